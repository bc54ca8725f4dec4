"""Surveys: questionnaires on a project, their questions in pages, and the responses.

A response is stored as answer rows, one per question the respondent was shown (one per
statement of a matrix, one per chosen option of a multiple choice plus a row that says
how many were chosen), so that results read one histogram query over one table.

An anonymous survey keeps responses apart from their respondents the way a vote keeps
ballots apart from voters (docs/secrecy.md): a participation row says *that* an account
(or a browser) answered, the response waits in the inbox until it is mixed with at least
k others into the responses, under a new random id, and results count a mix one step
late (surveys/answering/mixing.py). A survey that is not anonymous writes its response
straight away, with the account, so that the respondent can change it until the close.
"""

import uuid
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    event,
    false,
    select,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..core.content_version import unseen
from ..core.enums import LabelledEnum
from ..core.sanitize import render_markdown
from ..core.time import utcnow
from ..extensions import db

TITLE_MAX = 300
TEXT_ANSWER_MAX = 5_000


class SurveyStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    PUBLISHED = "published", _l("Published")


class SurveyPhase(LabelledEnum):
    """Where a survey stands now (surveys.services.phase); derived, never stored."""

    DRAFT = "draft", _l("Draft")
    UPCOMING = "upcoming", _l("Upcoming")
    OPEN = "open", _l("Open")
    CLOSED = "closed", _l("Closed")


class Audience(LabelledEnum):
    """Who may answer (and see) a survey."""

    PUBLIC = "public", _l("Everyone, also without an account")
    CITIZENS = "citizens", _l("Confirmed citizens")
    STAFF = "staff", _l("City staff only")


class QuestionKind(LabelledEnum):
    SINGLE = "single", _l("Single choice")
    MULTIPLE = "multiple", _l("Multiple choice")
    TEXT = "text", _l("Free text")
    NUMBER = "number", _l("Number")
    SCALE = "scale", _l("Scale")
    YES_NO = "yes_no", _l("Yes or no")
    MATRIX = "matrix", _l("Matrix (several statements on one scale)")

    @property
    def has_options(self) -> bool:
        return self in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YES_NO)

    @property
    def is_numeric(self) -> bool:
        return self in (QuestionKind.NUMBER, QuestionKind.SCALE, QuestionKind.MATRIX)


def new_response_id() -> str:
    """Random, so the order of responses says nothing about the order of respondents."""
    return uuid.uuid4().hex


def new_version() -> str:
    """Random, not a counter: a survey created again under a reused slug gets a new one."""
    return uuid.uuid4().hex


class Survey(db.Model):
    __tablename__ = "surveys"
    __table_args__ = (
        CheckConstraint(SurveyStatus.check("status"), name="status"),
        CheckConstraint(Audience.check("audience"), name="audience"),
        CheckConstraint("closes_at > opens_at", name="window"),
        # An anonymous response cannot be found again, so it cannot be changed either.
        CheckConstraint("NOT (anonymous AND changeable)", name="anonymous_final"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    # Markdown, and the HTML it renders to when saved.
    intro: Mapped[str] = mapped_column(Text, default="")
    intro_html: Mapped[str] = mapped_column(Text, default="")
    # UTC, naive; entered and shown in Europe/Berlin.
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default=SurveyStatus.DRAFT)
    audience: Mapped[str] = mapped_column(String(16), default=Audience.CITIZENS)
    anonymous: Mapped[bool] = mapped_column(default=True, server_default=true())
    # The public sees only how many responded (adhocracy4's is_confidential).
    confidential: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Results open to everyone who may see the survey, once it has closed.
    results_public: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A respondent may change the response until the close (never when anonymous).
    changeable: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Choice questions have correct options and the score is shown after sending.
    quiz: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Anonymous surveys: how many mixes moved responses, up to which of them results count,
    # and when the last one after the close sealed the survey (surveys/answering/mixing.py).
    mixes: Mapped[int] = mapped_column(default=0, server_default="0")
    mixes_counted: Mapped[int] = mapped_column(default=0, server_default="0")
    sealed_at: Mapped[datetime | None]
    # Replaced whenever the survey, a question, an option or a statement changes (the
    # events at the end): the answering pages keep a survey per process while it holds
    # (surveys/answering/survey_cache.py).
    version: Mapped[str] = mapped_column(String(32), default=new_version, server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    project = relationship("Project", lazy="joined")
    questions: Mapped[list["SurveyQuestion"]] = relationship(
        back_populates="survey",
        order_by="(SurveyQuestion.page, SurveyQuestion.position, SurveyQuestion.id)",
        cascade="all, delete-orphan", passive_deletes=True)

    @validates("intro")
    def _render_intro(self, _key, value):
        self.intro_html = render_markdown(value)
        return value

    @property
    def status_label(self):
        return SurveyStatus.label_of(self.status)

    @property
    def audience_label(self):
        return Audience.label_of(self.audience)

    @property
    def project_public(self) -> bool:
        return self.project.status != "draft"

    def __repr__(self) -> str:
        return f"<Survey {self.slug}>"


class SurveyQuestion(db.Model):
    """A question on a page of a survey. Which settings apply depends on its kind; the
    others stay at their defaults. Shown only when its condition holds: the answer to an
    earlier choice question has (or, negated, has not) the condition's option."""

    __tablename__ = "survey_questions"
    __table_args__ = (
        CheckConstraint(QuestionKind.check("kind"), name="kind"),
        CheckConstraint("page >= 1", name="page"),
        CheckConstraint("min_choices IS NULL OR min_choices >= 0", name="min_choices"),
        CheckConstraint("max_choices IS NULL OR max_choices >= 1", name="max_choices"),
        CheckConstraint("max_length IS NULL OR max_length >= 1", name="max_length"),
        CheckConstraint("number_step IS NULL OR number_step > 0", name="number_step"),
        CheckConstraint("scale_max IS NULL OR scale_min IS NULL OR scale_max > scale_min",
                        name="scale"),
        CheckConstraint("(condition_question_id IS NULL) = (condition_option_id IS NULL)",
                        name="condition"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    page: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    help_text: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=False)
    # Multiple choice: how many options must and may be chosen.
    min_choices: Mapped[int | None]
    max_choices: Mapped[int | None]
    # Free text: the longest answer.
    max_length: Mapped[int | None]
    # Number: the range, step and unit ("Stunden").
    number_min: Mapped[float | None] = mapped_column(Float)
    number_max: Mapped[float | None] = mapped_column(Float)
    number_step: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40), default="")
    # Scale and matrix: 1-5 or 0-10, with labelled ends.
    scale_min: Mapped[int | None]
    scale_max: Mapped[int | None]
    scale_min_label: Mapped[str] = mapped_column(String(80), default="")
    scale_max_label: Mapped[str] = mapped_column(String(80), default="")
    condition_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="SET NULL"))
    # Options refer to their question too: the cycle is closed once both tables exist.
    condition_option_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_options.id", ondelete="SET NULL", use_alter=True))
    condition_negated: Mapped[bool] = mapped_column(default=False)

    survey: Mapped[Survey] = relationship(back_populates="questions")
    options: Mapped[list["SurveyOption"]] = relationship(
        back_populates="question", foreign_keys="SurveyOption.question_id",
        order_by="(SurveyOption.position, SurveyOption.id)",
        cascade="all, delete-orphan", passive_deletes=True)
    statements: Mapped[list["SurveyStatement"]] = relationship(
        back_populates="question", order_by="(SurveyStatement.position, SurveyStatement.id)",
        cascade="all, delete-orphan", passive_deletes=True)

    @property
    def kind_enum(self) -> QuestionKind:
        return QuestionKind(self.kind)

    @property
    def kind_label(self):
        return QuestionKind.label_of(self.kind)

    @property
    def has_condition(self) -> bool:
        return self.condition_option_id is not None


class SurveyOption(db.Model):
    """A choice of a single, multiple or yes/no question. The "other" option asks for a
    text ("Sonstiges, bitte angeben"); in a quiz, the correct options are marked."""

    __tablename__ = "survey_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(TITLE_MAX))
    is_other: Mapped[bool] = mapped_column(default=False)
    is_correct: Mapped[bool] = mapped_column(default=False)

    question: Mapped[SurveyQuestion] = relationship(back_populates="options",
                                                    foreign_keys=[question_id])


class SurveyStatement(db.Model):
    """A statement of a matrix question, answered on the question's scale."""

    __tablename__ = "survey_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(TITLE_MAX))

    question: Mapped[SurveyQuestion] = relationship(back_populates="statements")


class SurveyParticipation(db.Model):
    """That an account, or a browser of a public survey, has answered; the unique
    constraints make it once per survey. A browser is known by the hash of a random
    cookie, which is no guarantee (a second browser answers again)."""

    __tablename__ = "survey_participations"
    __table_args__ = (
        UniqueConstraint("survey_id", "user_id"),
        UniqueConstraint("survey_id", "browser_key"),
        CheckConstraint("(user_id IS NULL) <> (browser_key IS NULL)", name="who"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                                index=True)
    browser_key: Mapped[str | None] = mapped_column(String(64))
    answered_on: Mapped[date] = mapped_column(Date)


class SurveyInbox(db.Model):
    """An anonymous response as sent, waiting to be mixed. Written in the same transaction
    as its participation, so it lives only until the next mix, which deletes it for good."""

    __tablename__ = "survey_inbox"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_response_id)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    # The answer rows (surveys/answers.py), as lists.
    rows: Mapped[list] = mapped_column(JSON)


class SurveyResponse(db.Model):
    """One response. Anonymous: a random id and its mix, nothing about the respondent;
    otherwise also the account (so it can be changed) and the day it was last sent. On
    SQLite a table without rowid, kept in the order of its random ids."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("survey_id", "user_id"),
        CheckConstraint("mix IS NULL OR user_id IS NULL", name="anonymous"),
        Index("ix_survey_responses_survey_mix", "survey_id", "mix"),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_response_id)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Anonymous: the mix that brought it here, counting from 1 per survey. None otherwise.
    mix: Mapped[int | None]
    sent_on: Mapped[date | None] = mapped_column(Date)


class SurveyAnswer(db.Model):
    """One answer row of a response (surveys/answers.py says which rows a response has).
    It carries its response's survey and mix, so results read this one table."""

    __tablename__ = "survey_answers"
    __table_args__ = (
        Index("ix_survey_answers_histogram", "question_id", "statement_id", "option_id",
              "number", "mix"),
        {"sqlite_with_rowid": False},  # as responses
    )

    response_id: Mapped[str] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"))
    statement_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_statements.id", ondelete="CASCADE"))
    option_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_options.id", ondelete="CASCADE"))
    number: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)
    mix: Mapped[int | None]


class SurveyTally(db.Model):
    """Running counts of the counted answer rows, per question and exactly the key the
    results group them by, so that results read a few hundred rows, not a row per answer.
    surveys/tallies.py alone writes them, in the transaction of the write it counts.

    The key is the primary key, for the upsert that adds to it (ON CONFLICT on SQLite and
    PostgreSQL both need a unique key without NULLs: SQLite never finds two NULLs equal).
    So "none" is stored as a sentinel: 0 for a statement or option (ids start at 1, and
    the sentinel is why these two have no foreign key: the question's cascades suffice,
    as options and statements are locked once responses exist), and `has_number` false
    with `number` 0 (any number may be 0, so the flag tells them apart)."""

    __tablename__ = "survey_tallies"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"), primary_key=True)
    statement_id: Mapped[int] = mapped_column(primary_key=True)
    option_id: Mapped[int] = mapped_column(primary_key=True)
    has_number: Mapped[bool] = mapped_column(primary_key=True)
    number: Mapped[float] = mapped_column(Float, primary_key=True)
    has_text: Mapped[bool] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


# A new version whenever what the answering pages keep of a survey may change. Mapper events
# fire inside every ORM flush, so no service can forget it; Core statements bypass them, and
# the builder changes a survey only through the ORM (mixing's Core updates change nothing
# the answering pages keep).
@event.listens_for(Survey, "before_update")
def _survey_changed(_mapper, _connection, survey: Survey) -> None:
    survey.version = new_version()


_SURVEY = Survey.__table__
_OF_SURVEY = _SURVEY.update().where(_SURVEY.c.id == bindparam("survey_id")).values(
    version=bindparam("version"))
_OF_QUESTION = _SURVEY.update().where(_SURVEY.c.id == select(SurveyQuestion.survey_id).where(
    SurveyQuestion.id == bindparam("question_id")).scalar_subquery()).values(
    version=bindparam("version"))


@event.listens_for(SurveyQuestion, "after_insert")
@event.listens_for(SurveyQuestion, "after_update")
@event.listens_for(SurveyQuestion, "after_delete")
def _question_changed(_mapper, connection, question: SurveyQuestion) -> None:
    connection.execute(_OF_SURVEY, {"survey_id": question.survey_id, "version": new_version()})


@event.listens_for(SurveyOption, "after_insert")
@event.listens_for(SurveyOption, "after_update")
@event.listens_for(SurveyOption, "after_delete")
@event.listens_for(SurveyStatement, "after_insert")
@event.listens_for(SurveyStatement, "after_update")
@event.listens_for(SurveyStatement, "after_delete")
def _part_changed(_mapper, connection, part) -> None:
    connection.execute(_OF_QUESTION, {"question_id": part.question_id,
                                      "version": new_version()})


# Shown on no page kept for visitors (core/page_cache.py): writes here leave the content
# version alone.
unseen(SurveyAnswer, SurveyInbox, SurveyParticipation, SurveyResponse, SurveyTally)
