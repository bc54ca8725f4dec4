"""Design votes: questions with options, secret online ballots, paper ballots in batches.

Secrecy is a property of the schema and of the order of writes: a participation row
says *that* an account voted, a ballot row says *what* was chosen, and nothing links the
two. Ballots carry a random id, no account, no session and no time; participations carry
the day only. An online ballot waits in the inbox, written with its participation, until
it is mixed into the ballots with at least k others (votes/casting/mixing.py,
docs/secrecy.md).
"""

import secrets
import time
import uuid
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    event,
    false,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..core.content_version import unseen
from ..core.enums import LabelledEnum
from ..core.sanitize import render_markdown
from ..core.time import utcnow
from ..extensions import db


class VoteStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    PUBLISHED = "published", _l("Published")


class VotePhase(LabelledEnum):
    """Where a vote stands now (votes.services.phase); derived, never stored."""

    DRAFT = "draft", _l("Draft")
    UPCOMING = "upcoming", _l("Upcoming")
    OPEN = "open", _l("Open")
    CLOSED = "closed", _l("Closed")


class VoteStanding(LabelledEnum):
    """Where a vote stands in the staff's list (votes.services.standing): its phase, and a
    closed vote whose result is declared final apart; derived, never stored."""

    DRAFT = "draft", _l("Draft")
    SCHEDULED = "scheduled", _l("Scheduled")
    OPEN = "open", _l("Open")
    CLOSED = "closed", _l("Closed")
    FINAL = "final", _l("Result final")


class ResultsVisibility(LabelledEnum):
    LIVE = "live", _l("Live, while the vote is open")
    AFTER_CLOSE = "after_close", _l("Only after the vote has closed")
    AFTER_FINAL = "after_final", _l("Only once the result is declared final")


class BallotChannel(LabelledEnum):
    ONLINE = "online", _l("online")
    PAPER = "paper", _l("paper")


class AnswerKind(LabelledEnum):
    OPTION = "option", _l("Option")
    BLANK = "blank", _l("blank")
    INVALID = "invalid", _l("invalid")


class BatchStatus(LabelledEnum):
    OPEN = "open", _l("being entered")
    # Entered and closed, waiting for the second entry of a vote with double entry.
    CHECKING = "checking", _l("awaiting check")
    COUNTED = "counted", _l("counted")
    VOID = "void", _l("void")


class BatchSource(LabelledEnum):
    MANUAL = "manual", _l("typed in")
    CSV = "csv", _l("CSV file")
    # Only the totals of a box counted by hand (votes/paper/tally_sheets.py).
    TALLY = "tally", _l("tally sheet")


class TallyEntry(LabelledEnum):
    """Which entry of a tally sheet: the first, or the check entry of double entry."""

    FIRST = "first", _l("first entry")
    CHECK = "check", _l("check entry")


def new_box_version() -> str:
    """Random, not a counter: a vote created again under a reused id gets a new one too."""
    return uuid.uuid4().hex


class Vote(db.Model):
    __tablename__ = "votes"
    __table_args__ = (
        CheckConstraint(VoteStatus.check("status"), name="status"),
        CheckConstraint(ResultsVisibility.check("results_visibility"), name="visibility"),
        CheckConstraint("closes_at > opens_at", name="window"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    # Markdown, and the HTML it renders to, kept in step by _render_description.
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    # UTC, naive; entered and shown in Europe/Berlin.
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    results_visibility: Mapped[str] = mapped_column(String(16),
                                                    default=ResultsVisibility.AFTER_CLOSE)
    status: Mapped[str] = mapped_column(String(16), default=VoteStatus.DRAFT)
    # Paper batches count only once a second staff member has entered the same cards.
    double_entry: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Replaced whenever the vote, a question or an option changes (the events at the end);
    # a ballot cast from a cached ballot box counts only while it is unchanged.
    box_version: Mapped[str] = mapped_column(String(32), default=new_box_version)
    # When the online ballots were mixed for the last time, after the close: from then on
    # nothing waits in the inbox and nothing can be cast (votes/casting/mixing.py).
    sealed_at: Mapped[datetime | None]
    # How many mixes have moved online ballots of this vote, numbered from 1, and up to
    # which of them their ballots are in the online tallies.
    mixes: Mapped[int] = mapped_column(default=0, server_default="0")
    mixes_counted: Mapped[int] = mapped_column(default=0, server_default="0")
    # The result declared final, by whom: from then on nothing about the vote changes
    # (votes/results/final.py).
    final_at: Mapped[datetime | None]
    final_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    project = relationship("Project", lazy="joined")
    final_by = relationship("User", foreign_keys=[final_by_id])
    questions: Mapped[list["Question"]] = relationship(
        back_populates="vote",
        order_by="(Question.position, Question.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def status_label(self):
        return VoteStatus.label_of(self.status)

    @property
    def is_final(self) -> bool:
        return self.final_at is not None

    @property
    def project_public(self) -> bool:
        return self.project.status != "draft"

    @validates("description")
    def _render_description(self, _key, text):
        self.description_html = render_markdown(text)
        return text

    def __repr__(self) -> str:
        return f"<Vote {self.slug}>"


class Question(db.Model):
    __tablename__ = "vote_questions"
    __table_args__ = (UniqueConstraint("vote_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    # The CSV column name for paper ballots, e.g. "entwurf".
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    help_text: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    vote: Mapped[Vote] = relationship(back_populates="questions")
    options: Mapped[list["Option"]] = relationship(
        back_populates="question",
        order_by="(Option.position, Option.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Option(db.Model):
    __tablename__ = "vote_options"
    __table_args__ = (UniqueConstraint("question_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("vote_questions.id", ondelete="CASCADE"), index=True
    )
    # Printed on the paper card: A, B, C ...
    code: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    image: Mapped[str | None] = mapped_column(String(64))
    image_alt: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(default=0)

    question: Mapped[Question] = relationship(back_populates="options")


class Participation(db.Model):
    """That an account has voted online; the unique constraint makes it once per vote."""

    __tablename__ = "vote_participations"
    __table_args__ = (UniqueConstraint("vote_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    voted_on: Mapped[date] = mapped_column(Date)


def new_ballot_id() -> str:
    return uuid.uuid4().hex


def new_paper_ballot_id() -> str:
    """A paper card's ballot id: after every random (hex) id, and in the order cards are
    entered. SQLite keeps ballots and answers ordered by ballot id (no rowid), so a
    10,000-card import appends to the end of the tables instead of dirtying a page per card
    across a million online ballots (which tripled its time). A card's order of entry is no
    secret: its batch, its number and whoever entered it are on record anyway."""
    return f"p{time.time_ns():019d}{secrets.token_hex(6)}"


class PaperBatch(db.Model):
    """A stack of paper cards from one station and day, entered by hand or from a CSV file."""

    __tablename__ = "paper_batches"
    __table_args__ = (
        CheckConstraint(BatchStatus.check("status"), name="status"),
        CheckConstraint(BatchSource.check("source"), name="source"),
        # The same file cannot count twice in a vote; after a void it may come in again.
        Index(
            "uq_paper_batches_vote_file",
            "vote_id",
            "file_sha256",
            unique=True,
            sqlite_where=text(f"status != '{BatchStatus.VOID}'"),
            postgresql_where=text(f"status != '{BatchStatus.VOID}'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    station: Mapped[str] = mapped_column(String(120))
    collected_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(8))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(8), default=BatchStatus.OPEN)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    # Double entry: who confirmed that the check entry agrees, and when.
    checked_at: Mapped[datetime | None]
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    voided_at: Mapped[datetime | None]
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    void_reason: Mapped[str] = mapped_column(Text, default="")
    # How many cards the station said the stack holds, if it said: checked when it closes.
    expected_cards: Mapped[int | None]

    entered_by = relationship("User", foreign_keys=[entered_by_id], lazy="joined")

    @property
    def status_label(self):
        return BatchStatus.label_of(self.status)

    @property
    def source_label(self):
        return BatchSource.label_of(self.source)

    @property
    def is_tally(self) -> bool:
        return self.source == BatchSource.TALLY


class PaperCheckCard(db.Model):
    """A card of a batch's check entry (double entry): typed or imported a second time by
    another staff member. Never a ballot, so it never counts and takes no serial."""

    __tablename__ = "paper_check_cards"
    __table_args__ = (UniqueConstraint("batch_id", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by the unique constraint, which starts with it.
    batch_id: Mapped[int] = mapped_column(ForeignKey("paper_batches.id", ondelete="CASCADE"))
    serial: Mapped[str] = mapped_column(String(40))
    # Question code -> [kind, option code or null], e.g. {"entwurf": ["option", "B"]}; the
    # codes are fixed once the vote has ballots, which it has while a batch is checked.
    answers: Mapped[dict] = mapped_column(JSON)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PaperTallySheet(db.Model):
    """The totals of a tally sheet (a batch whose source is 'tally'), as one person typed
    them: its first entry, and with double entry a check entry by someone else. The batch
    counts the first entry's totals once both agree (votes/paper/tally_sheets.py)."""

    __tablename__ = "paper_tally_sheets"
    __table_args__ = (CheckConstraint(TallyEntry.check("entry"), name="entry"),)

    batch_id: Mapped[int] = mapped_column(
        ForeignKey("paper_batches.id", ondelete="CASCADE"), primary_key=True
    )
    entry: Mapped[str] = mapped_column(String(8), primary_key=True)
    cards: Mapped[int]
    # Question code -> {option code, "blank" or "invalid" -> count}; the codes are fixed
    # once the vote has ballots, which it has from its first paper batch on.
    counts: Mapped[dict] = mapped_column(JSON)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)


class PaperCardAuthor(db.Model):
    """Who entered the answers now on record of a first-entry card, when that is not the
    batch's own entrant: the person who corrected or added it during double entry. A card
    counts only when its two entries come from two different people (double_entry.py)."""

    __tablename__ = "paper_card_authors"

    ballot_id: Mapped[str] = mapped_column(
        ForeignKey("ballots.id", ondelete="CASCADE"), primary_key=True
    )
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("paper_batches.id", ondelete="CASCADE"), index=True
    )
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class InboxBallot(db.Model):
    """An online ballot as cast, waiting to be mixed. Written in the same transaction as its
    participation, so it can be paired with it: it lives only until the next mix, which
    deletes it for good (votes/casting/mixing.py)."""

    __tablename__ = "ballot_inbox"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_ballot_id)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    # [[question id, option id or null for blank], ...]
    choices: Mapped[list] = mapped_column(JSON)


class Ballot(db.Model):
    """One cast ballot, online or paper. An online ballot holds nothing about its voter.

    On SQLite a table without rowid, kept in the order of its random ids: a rowid would
    number the ballots in the order they were written."""

    __tablename__ = "ballots"
    __table_args__ = (
        CheckConstraint(BallotChannel.check("channel"), name="channel"),
        CheckConstraint(
            "(channel = 'online' AND batch_id IS NULL AND serial IS NULL)"
            " OR (channel = 'paper' AND batch_id IS NOT NULL AND serial IS NOT NULL)",
            name="paper_fields",
        ),
        # A card's serial counts once per vote; a voided batch frees its serials.
        Index(
            "uq_ballots_vote_serial",
            "vote_id",
            "serial",
            unique=True,
            sqlite_where=text("serial IS NOT NULL AND voided = 0"),
            postgresql_where=text("serial IS NOT NULL AND NOT voided"),
        ),
        Index("ix_ballots_vote_mix", "vote_id", "mix"),
        {"sqlite_with_rowid": False},
    )

    # Random, so the order of ballots says nothing about the order of voters.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_ballot_id)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(8))
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("paper_batches.id", ondelete="CASCADE"), index=True
    )
    serial: Mapped[str | None] = mapped_column(String(40))
    voided: Mapped[bool] = mapped_column(default=False)
    # Online: the mix that brought it here, counting from 1 per vote; the ballots of one mix
    # (at least k) are alike in every other respect. None for paper ballots.
    mix: Mapped[int | None]

    answers: Mapped[list["BallotAnswer"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class BallotAnswer(db.Model):
    """The answer of one ballot to one question: an option, blank or invalid."""

    __tablename__ = "ballot_answers"
    __table_args__ = (
        CheckConstraint(AnswerKind.check("kind"), name="kind"),
        CheckConstraint("(kind = 'option') = (option_id IS NOT NULL)", name="option_kind"),
        {"sqlite_with_rowid": False},  # as ballots
    )

    ballot_id: Mapped[str] = mapped_column(
        ForeignKey("ballots.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("vote_questions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    option_id: Mapped[int | None] = mapped_column(ForeignKey("vote_options.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))


class OnlineTally(db.Model):
    """Online counts per question and choice, so that a result with a million ballots reads
    a few rows. Only a mix writes them, in steps of at least k ballots; the shard column
    dates from when every cast counted itself (always 0 now)."""

    __tablename__ = "online_tallies"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("vote_questions.id", ondelete="CASCADE"), primary_key=True
    )
    # An option id as text, or "blank"; online ballots are never invalid.
    choice: Mapped[str] = mapped_column(String(16), primary_key=True)
    shard: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class PaperTally(db.Model):
    """A counted batch's totals per question and choice, written once when the batch starts
    to count (its cards cannot change after that), so results never re-count paper cards."""

    __tablename__ = "paper_tallies"

    batch_id: Mapped[int] = mapped_column(
        ForeignKey("paper_batches.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("vote_questions.id", ondelete="CASCADE"), primary_key=True
    )
    # An option id as text, "blank" or "invalid".
    choice: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int]


# A new box version whenever what a ballot box holds (votes/casting/ballot_box.py) may change.
# Mapper events fire inside every ORM flush, so no service can forget it; Core statements
# bypass them, and the app changes a vote's set-up only through the ORM.
@event.listens_for(Vote, "before_update")
def _vote_changed(_mapper, _connection, vote: Vote) -> None:
    vote.box_version = new_box_version()


_NEW_VERSION = {"box_version": bindparam("box_version")}
_VOTE_OF_QUESTION = (
    Vote.__table__.update().where(Vote.id == bindparam("vote_id")).values(_NEW_VERSION)
)
_VOTE_OF_OPTION = (
    Vote.__table__.update()
    .where(Vote.id == select(Question.vote_id).where(Question.id == bindparam("question_id"))
           .scalar_subquery())
    .values(_NEW_VERSION)
)


@event.listens_for(Question, "after_insert")
@event.listens_for(Question, "after_update")
@event.listens_for(Question, "after_delete")
def _question_changed(_mapper, connection, question: Question) -> None:
    connection.execute(_VOTE_OF_QUESTION,
                       {"vote_id": question.vote_id, "box_version": new_box_version()})


@event.listens_for(Option, "after_insert")
@event.listens_for(Option, "after_update")
@event.listens_for(Option, "after_delete")
def _option_changed(_mapper, connection, option: Option) -> None:
    connection.execute(_VOTE_OF_OPTION,
                       {"question_id": option.question_id, "box_version": new_box_version()})


# Shown on no page kept for visitors (core/page_cache.py): writes here leave the content
# version alone.
unseen(Ballot, BallotAnswer, InboxBallot, OnlineTally, Participation, PaperBatch,
       PaperCardAuthor, PaperCheckCard, PaperTally, PaperTallySheet)
