"""Surveys as every part of them sees them: lookup, phase, and who may see, answer and read
results. The rules live here once; the builder, the answering pages, the results, the
exports and the project page ask these functions.
"""

from __future__ import annotations

from sqlalchemy import bindparam, exists, func, select
from sqlalchemy.orm import selectinload

from ..core.permissions import can
from ..core.time import utcnow
from ..extensions import db
from .models import (
    Audience,
    Survey,
    SurveyAnswer,
    SurveyParticipation,
    SurveyPhase,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)


def get_survey(slug: str) -> Survey | None:
    """The survey with its questions, their options and statements loaded."""
    return db.session.scalar(
        select(Survey).where(Survey.slug == slug).options(
            selectinload(Survey.questions).selectinload(SurveyQuestion.options),
            selectinload(Survey.questions).selectinload(SurveyQuestion.statements)))


def phase(survey: Survey, now=None) -> SurveyPhase:
    """Where the survey stands at `now` (default: the server's clock)."""
    now = now or utcnow()
    if survey.status != SurveyStatus.PUBLISHED:
        return SurveyPhase.DRAFT
    if now < survey.opens_at:
        return SurveyPhase.UPCOMING
    if now >= survey.closes_at:
        return SurveyPhase.CLOSED
    return SurveyPhase.OPEN


def is_staff(user) -> bool:
    return can(user, "manage_projects")


def is_public(survey: Survey) -> bool:
    return survey.status == SurveyStatus.PUBLISHED and survey.project_public


def may_see(survey: Survey, user) -> bool:
    """Drafts (of the survey or its project) and staff-only surveys are for staff; the
    rest for everyone (answering may still need an account)."""
    if is_staff(user):
        return True
    return is_public(survey) and survey.audience != Audience.STAFF


def may_answer_as(survey: Survey, user) -> bool:
    """Whether `user` (or a visitor) belongs to the survey's audience."""
    if survey.audience == Audience.STAFF:
        return is_staff(user)
    if survey.audience == Audience.CITIZENS:
        return can(user, "participate")
    return True


def is_open(survey: Survey, now=None) -> bool:
    return phase(survey, now) == SurveyPhase.OPEN and (survey.project_public
                                                        or survey.audience == Audience.STAFF)


def results_visible(survey: Survey, user, now=None) -> bool:
    """The figures: staff always; others only for public results of a closed survey that
    is not confidential."""
    if is_staff(user):
        return True
    return (may_see(survey, user) and survey.results_public and not survey.confidential
            and phase(survey, now) == SurveyPhase.CLOSED)


def count_visible(survey: Survey, user, now=None) -> bool:
    """How many responded: also the public of a confidential survey with public results."""
    if is_staff(user):
        return True
    return (may_see(survey, user) and survey.results_public
            and phase(survey, now) == SurveyPhase.CLOSED)


def may_export(user) -> bool:
    """Raw responses (CSV, JSON of every response) are for staff only, never the public."""
    return is_staff(user)


def counted(survey: Survey):
    """The SQL condition on answer rows (and responses) that results count: every response
    of a survey that is not anonymous; of an anonymous one, the mixes counted so far."""
    if not survey.anonymous:
        return SurveyAnswer.mix.is_(None)
    return SurveyAnswer.mix <= survey.mixes_counted


def response_count(survey: Survey) -> int:
    """How many responses the results count."""
    condition = (SurveyResponse.mix.is_(None) if not survey.anonymous
                 else SurveyResponse.mix <= survey.mixes_counted)
    return db.session.scalar(select(func.count()).select_from(SurveyResponse).where(
        SurveyResponse.survey_id == survey.id, condition)) or 0


# Built once, of the table's columns (Core, which the session runs without its ORM steps):
# every answering page asks (statements made anew cost more than the query).
_PARTICIPATIONS = SurveyParticipation.__table__.c
_ANSWERED_BY_ACCOUNT = select(exists().where(
    _PARTICIPATIONS.survey_id == bindparam("survey_id"),
    _PARTICIPATIONS.user_id == bindparam("who")))
_ANSWERED_BY_BROWSER = select(exists().where(
    _PARTICIPATIONS.survey_id == bindparam("survey_id"),
    _PARTICIPATIONS.browser_key == bindparam("who")))


def has_answered(survey: Survey, user, browser_key: str | None = None) -> bool:
    """Whether this account (or, for visitors, this browser) has sent a response."""
    if getattr(user, "is_authenticated", False):
        statement, who = _ANSWERED_BY_ACCOUNT, user.id
    elif browser_key:
        statement, who = _ANSWERED_BY_BROWSER, browser_key
    else:
        return False
    return bool(db.session.scalar(statement, {"survey_id": survey.id, "who": who}))


def responses_exist(survey: Survey) -> bool:
    """Once anyone has answered, questions and options are locked (typo fixes only): a
    participation exists from the first response on, also while it waits to be mixed
    (responses without one are the demo's)."""
    return bool(db.session.scalar(select(
        exists().where(SurveyParticipation.survey_id == survey.id)
        | exists().where(SurveyResponse.survey_id == survey.id))))


def surveys_of_project(project, viewer) -> list[Survey]:
    """The project's surveys that `viewer` may see, soonest closing first."""
    query = (select(Survey).where(Survey.project_id == project.id)
             .order_by(Survey.closes_at, Survey.id))
    if not is_staff(viewer):
        query = query.where(Survey.status == SurveyStatus.PUBLISHED,
                            Survey.audience != Audience.STAFF)
    return list(db.session.scalars(query))
