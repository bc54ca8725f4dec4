"""Setting up a survey (staff): its settings, publishing, the staff's list, and what the
questions' operations (setup/questions.py) share: the errors, the limits and the lock.
Operations add and flush; the calling view commits once.

Once anyone has answered (services.responses_exist), the structure is locked: no question,
option or statement comes or goes, and no kind, page, order, condition, requirement or
limit changes, since each would change what earlier respondents were asked. The wording
stays open for typo fixes (titles, help texts, option and statement labels, the labels of
a scale's ends, the unit), and each fix is audited with what it was and what it became.
Who may answer (audience), whether responses are anonymous, and the quiz setting lock too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from ...core import audit
from ...core.domain import DomainError
from ...core.time import utcnow
from ...extensions import db
from .. import services
from ..models import (
    Audience,
    QuestionKind,
    Survey,
    SurveyPhase,
    SurveyResponse,
    SurveyStatus,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_MAX = 80
TITLE_MAX = 200
# /manage/surveys/new is the form for a new survey.
RESERVED_SLUGS = frozenset({"new"})
OPTIONS_MAX = 100
STATEMENTS_MAX = 50
LABEL_MAX = 300
END_LABEL_MAX = 80
UNIT_MAX = 40
PAGES_MAX = 50
NUMBER_LIMIT = 1e12
SCALES = {"1-5": (1, 5), "0-10": (0, 10)}
# Settings that lock once responses exist: they decide who answered and how it is stored.
LOCKED_SETTINGS = ("audience", "anonymous", "quiz")


class SetupError(DomainError):
    """A survey change was refused; `field` names the form field it belongs to, if one."""


class SlugTaken(SetupError):
    message = _l("Another survey already uses this web address.")
    field = "slug"


class SlugFixed(SetupError):
    message = _l("The web address of a published survey cannot change: it has been shared.")
    field = "slug"


class InvalidWindow(SetupError):
    message = _l("The closing time must be after the opening time.")
    field = "closes_at"


class AlreadySealed(SetupError):
    message = _l("This survey has closed and its responses are counted: it cannot open "
                 "again.")
    field = "closes_at"


class AnonymousFinal(SetupError):
    message = _l("An anonymous response cannot be found again, so it cannot be changed "
                 "either: switch off “Anonymous” to let respondents change their response.")
    field = "changeable"


class InvalidChoice(SetupError):
    message = _l("Please choose one of the offered values.")

    def __init__(self, field_name: str):
        super().__init__(field_name)
        self.field = field_name


class SettingLocked(SetupError):
    message = _l("Responses exist: who may answer, whether responses are anonymous and the "
                 "quiz setting can no longer change.")

    def __init__(self, field_name: str):
        super().__init__(field_name)
        self.field = field_name


class StructureLocked(SetupError):
    message = _l("Responses exist: questions, options and statements can no longer be added, "
                 "removed or reordered, and their settings can no longer change. Their "
                 "wording can still be corrected.")


class AlreadyPublished(SetupError):
    message = _l("This survey is already published.")


class NotReady(SetupError):
    """The survey cannot be published yet; `problems` lists why, each a sentence."""

    message = _l("The survey needs at least one question before it can be published.")

    def __init__(self, problems: list[str]):
        super().__init__(problems)
        self.problems = problems

    def __str__(self) -> str:
        return " ".join(self.problems)


class QuestionError(SetupError):
    """A question's settings do not fit; `field` is the form field, message given."""

    def __init__(self, field_name: str | None, message):
        super().__init__(field_name)
        self.field = field_name
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class ConditionBroken(SetupError):
    """A change would leave a condition pointing to a later question or a missing option."""

    def __init__(self, message, field_name: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field_name

    def __str__(self) -> str:
        return str(self.message)


# Surveys -------------------------------------------------------------------------------


@dataclass
class SurveySettings:
    """What staff set for a survey; times naive UTC."""

    title: str
    slug: str
    opens_at: datetime
    closes_at: datetime
    intro: str = ""
    audience: str = Audience.CITIZENS
    anonymous: bool = True
    confidential: bool = False
    results_public: bool = False
    changeable: bool = False
    quiz: bool = False

    def cleaned(self) -> SurveySettings:
        return SurveySettings(**(vars(self) | {"title": self.title.strip(),
                                               "slug": self.slug.strip().lower(),
                                               "intro": self.intro or ""}))


class ListedSurvey(NamedTuple):
    """A row of the staff's list of surveys."""

    survey: Survey
    phase: SurveyPhase
    responses: int


def all_surveys(now=None) -> list[ListedSurvey]:
    """Every survey, the latest to open first, with its phase and how many responses its
    results count: one query (the project is joined)."""
    now = now or utcnow()
    counted = or_(and_(Survey.anonymous.is_(False), SurveyResponse.mix.is_(None)),
                  and_(Survey.anonymous.is_(True), SurveyResponse.mix <= Survey.mixes_counted))
    responses = (select(func.count()).select_from(SurveyResponse)
                 .where(SurveyResponse.survey_id == Survey.id, counted)
                 .correlate(Survey).scalar_subquery())
    rows = db.session.execute(select(Survey, responses)
                              .order_by(Survey.opens_at.desc(), Survey.id.desc()))
    return [ListedSurvey(survey, services.phase(survey, now), int(count or 0))
            for survey, count in rows]


def is_locked(survey: Survey) -> bool:
    """The structure is fixed once the first response exists (also one still waiting to
    be mixed)."""
    return survey.id is not None and services.responses_exist(survey)


def create_survey(project, actor, settings: SurveySettings) -> Survey:
    """A draft survey of `project`."""
    settings = settings.cleaned()
    _check_settings(settings)
    if _slug_in_use(settings.slug, survey_id=None):
        raise SlugTaken()
    survey = Survey(project_id=project.id, status=SurveyStatus.DRAFT,
                    created_by_id=getattr(actor, "id", None), **vars(settings))
    with _unique_guard(SlugTaken):
        db.session.add(survey)
    audit.record(actor, "survey.create", survey, slug=survey.slug, project_id=project.id)
    return survey


def update_survey(survey: Survey, actor, settings: SurveySettings) -> Survey:
    """Change a survey's settings: the slug only while it is a draft; audience, anonymity
    and the quiz setting only while nobody has answered."""
    settings = settings.cleaned()
    _check_settings(settings)
    if survey.sealed_at is not None and settings.closes_at > utcnow():
        raise AlreadySealed()
    if settings.slug != survey.slug:
        if survey.status != SurveyStatus.DRAFT:
            raise SlugFixed()
        if _slug_in_use(settings.slug, survey_id=survey.id):
            raise SlugTaken()
    changed = sorted(name for name, value in vars(settings).items()
                     if getattr(survey, name) != value)
    locked = [name for name in LOCKED_SETTINGS if name in changed]
    if locked and is_locked(survey):
        raise SettingLocked(locked[0])
    with _unique_guard(SlugTaken):
        for name, value in vars(settings).items():
            setattr(survey, name, value)
    audit.record(actor, "survey.update", survey, slug=survey.slug, changed=changed)
    return survey


def readiness_problems(survey: Survey) -> list[str]:
    """What keeps `survey` from being published, as sentences; empty when it is ready."""
    if not survey.questions:
        return [_("Add at least one question.")]
    problems = []
    for question in survey.questions:
        kind = question.kind_enum
        if kind.has_options and len(question.options) < 2:
            problems.append(_("Question “%(title)s” needs at least two options.",
                              title=question.title))
        if kind == QuestionKind.MATRIX and not question.statements:
            problems.append(_("Question “%(title)s” needs at least one statement.",
                              title=question.title))
    return problems


def publish_survey(survey: Survey, actor) -> Survey:
    """Make a draft survey public (for its audience, once its project is public)."""
    if survey.status != SurveyStatus.DRAFT:
        raise AlreadyPublished()
    problems = readiness_problems(survey)
    if problems:
        raise NotReady(problems)
    survey.status = SurveyStatus.PUBLISHED
    db.session.flush()
    audit.record(actor, "survey.publish", survey, slug=survey.slug)
    return survey


def _check_settings(settings: SurveySettings) -> None:
    if settings.audience not in set(Audience):
        raise InvalidChoice("audience")
    if settings.closes_at <= settings.opens_at:
        raise InvalidWindow()
    if settings.anonymous and settings.changeable:
        raise AnonymousFinal()


def _slug_in_use(slug: str, survey_id: int | None) -> bool:
    if slug in RESERVED_SLUGS:
        return True
    query = select(Survey.id).where(Survey.slug == slug)
    if survey_id is not None:
        query = query.where(Survey.id != survey_id)
    return db.session.scalar(query) is not None


def ensure_unlocked(survey: Survey) -> None:
    """Refuse structural changes once a response exists. The survey's row is locked first:
    a first participation's insert checks its foreign key to it (on PostgreSQL a key-share
    lock), so no response slips in between this check and the change."""
    db.session.execute(select(Survey.id).where(Survey.id == survey.id).with_for_update())
    if is_locked(survey):
        raise StructureLocked()


@contextmanager
def _unique_guard(error: type[SetupError]) -> Iterator[None]:
    # The unique constraint decides when two staff members pick the same slug at once.
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError as exc:
        raise error() from exc
