"""Answering a survey: who may, turning its pages (whose steps answering/steps.py cuts),
the answers that travel with the form between pages, and sending the response.

Nothing is stored until the last page is sent. The answers of the pages before travel
in one hidden field, signed with the app's secret (a salt per survey), and every page
checks them again; the send checks the whole response once more against the survey as it
is now (answers.check_response). Conditions are decided on the server.

Services add and flush; the calling view commits.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from ...core.database import start_writes
from ...core.domain import DomainError
from ...core.permissions import can
from ...core.time import utcnow
from ...extensions import db
from .. import answers as rules
from .. import services
from ..models import (
    Audience,
    Survey,
    SurveyAnswer,
    SurveyPhase,
    SurveyResponse,
)
from ..storage import NewResponse, insert_responses, replace_answers
from . import writes
from .steps import (
    Step,
    asked_in,
    first_step,
    next_step,
    previous_step,
    shown,
    step_of,
    steps,
)

# -- refusals ---------------------------------------------------------------------------


class AnswerRefused(DomainError):
    """A response that cannot be taken; the message says why, and that nothing was stored."""


class NotOpen(AnswerRefused):
    message = _l("This survey is not open. Your answers were not stored.")


class AlreadyAnswered(AnswerRefused):
    message = _l("You have already answered this survey. Your answers were not stored "
                 "again.")


class SignInNeeded(AnswerRefused):
    message = _l("Please log in to answer this survey.")


class ConfirmationNeeded(AnswerRefused):
    message = _l("Please confirm your e-mail address before you answer this survey.")


class StaffOnly(AnswerRefused):
    message = _l("Only city staff answer this survey.")


class StaleForm(AnswerRefused):
    """The hidden answers were tampered with, come from another survey, or the survey has
    changed so that they no longer fit."""

    message = _l("Your earlier answers could not be read, perhaps because the survey has "
                 "changed. Nothing was stored; please answer again from the first page.")


# -- who may answer ----------------------------------------------------------------------

@dataclass(frozen=True)
class Standing:
    """Where a person stands with a survey, for its page."""

    phase: SurveyPhase
    answered: bool
    # What keeps them from starting (a refusal class), or None: they may start.
    obstacle: type[AnswerRefused] | None
    # They answered and may change the response (changeable survey, open, an account).
    may_change: bool


def obstacle(survey: Survey, user) -> type[AnswerRefused] | None:
    """Why `user` (or a visitor) cannot answer now, or None. Seeing is decided before
    (services.may_see)."""
    if not services.is_open(survey):
        return NotOpen
    if survey.audience == Audience.PUBLIC:
        return None
    if not getattr(user, "is_authenticated", False):
        return SignInNeeded
    if survey.audience == Audience.STAFF:
        return None if services.is_staff(user) else StaffOnly
    return None if can(user, "participate") else ConfirmationNeeded


def standing(survey: Survey, user, browser_key: str | None) -> Standing:
    answered = services.has_answered(survey, user, browser_key)
    blocked = obstacle(survey, user)
    may_change = (answered and blocked is None and survey.changeable and not survey.anonymous
                  and getattr(user, "is_authenticated", False))
    if answered and not may_change and blocked is None:
        blocked = AlreadyAnswered
    return Standing(services.phase(survey), answered, blocked, may_change)


def browser_key(survey: Survey, cookie: str | None) -> str | None:
    """What a participation stores for a visitor's browser: the SHA-256 of its random
    cookie and the survey, so that the same browser's participations in two surveys do
    not share a value."""
    if not cookie:
        return None
    return hashlib.sha256(f"{survey.id}:{cookie}".encode()).hexdigest()


# -- the answers that travel with the form ---------------------------------------------

def _serializer(survey: Survey) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=f"survey-answers:{survey.id}")


def seal(survey: Survey, answers: rules.Answers, step: Step, js: bool) -> str:
    """The hidden field: the answers so far, the step shown (by its first question) and
    whether it was shown as a whole page (with JavaScript)."""
    return _serializer(survey).dumps({"a": answers, "at": step.questions[0].id, "j": js})


def unseal(survey: Survey, token: str) -> tuple[rules.Answers, int | None, bool]:
    """(answers, first question of the step shown, shown whole) from the hidden field;
    StaleForm if it was changed or belongs to another survey."""
    try:
        data = _serializer(survey).loads(token or "")
    except BadSignature as error:
        raise StaleForm from error
    if (not isinstance(data, dict) or not isinstance(data.get("a"), dict)
            or not all(isinstance(value, dict) for value in data["a"].values())):
        raise StaleForm
    at = data.get("at")
    return data["a"], at if isinstance(at, int) else None, bool(data.get("j"))


# -- one page sent -------------------------------------------------------------------------

@dataclass
class Page:
    """An answering page to show: its step, the answers so far, the form's values and the
    errors (question id -> message), in question order."""

    step: Step
    answers: rules.Answers
    values: dict[str, list[str]]
    errors: dict[int, str] = field(default_factory=dict)
    js: bool = False
    # Sent with Next, but no later question turned out to be asked: shown again to be sent,
    # so that a button that said "Next" never sends the response.
    confirm: bool = False
    # The survey's steps as this page is shown (split unless `js`), when already cut.
    all_steps: list[Step] | None = None


@dataclass
class Finished:
    """Every page answered and the whole response checked: the answers to store."""

    answers: rules.Answers


def values_of(questions, answers: rules.Answers) -> dict[str, list[str]]:
    """Form values that show `answers` again."""
    values: dict[str, list[str]] = {}
    for question in questions:
        value = answers.get(str(question.id))
        if value:
            for name, item in rules.form_data(question, value).items():
                values[name] = item if isinstance(item, list) else [item]
    return values


def start(survey: Survey, user, js: bool) -> Page:
    """The first page: empty, or, for a response that may be changed, as it was sent."""
    answers = stored_answers(survey, user) if getattr(user, "is_authenticated", False) else {}
    all_steps = steps(survey, split=not js)
    step = first_step(all_steps, answers)
    return Page(step, answers, values_of(survey.questions, answers), js=js,
                all_steps=all_steps)


def turn(survey: Survey, form, js: bool) -> Page | Finished:
    """A page sent with Next (or Back, when form["action"] == "back"): the page to show
    next, the same page with its errors, or the finished answers. StaleForm if the hidden
    answers cannot be read."""
    answers, at, shown_whole = unseal(survey, form.get("answers", ""))
    known = {str(question.id) for question in survey.questions}
    answers = {key: value for key, value in answers.items() if key in known}
    sent_steps = steps(survey, split=not shown_whole)
    current = step_of(sent_steps, at)
    # The pages before were checked when they were sent; the survey may have changed since.
    earlier_errors: dict[int, str] = {}
    for step in sent_steps[:current.index]:
        for question in asked_in(step, answers):
            try:
                answers[str(question.id)] = rules.check(question,
                                                        dict(answers.get(str(question.id), {})))
            except rules.AnswerError as error:
                earlier_errors[question.id] = error.message
    if earlier_errors:
        back_to = step_of(sent_steps, next(iter(earlier_errors)))
        return Page(back_to, answers, values_of(survey.questions, answers), earlier_errors,
                    shown_whole, all_steps=sent_steps)
    values = {name: list(form.getlist(name)) for name in form if name.startswith("q")}
    errors: dict[int, str] = {}
    for question in current.questions:
        key = str(question.id)
        if not rules.condition_holds(question, answers):
            answers.pop(key, None)  # not asked (decided with this page's answers too)
            continue
        try:
            answers[key] = rules.read(question, form)
        except rules.AnswerError as error:
            errors[question.id] = error.message
            answers.pop(key, None)
    going_back = form.get("action") == "back"
    if errors and not going_back:  # the same page again, as it was shown, with what was typed
        return Page(current, answers, values, errors, shown_whole, all_steps=sent_steps)
    # The next (or previous) step as the page sent counts steps, then as this page will
    # be shown: with JavaScript switched on or off meanwhile, the steps differ.
    all_steps = sent_steps if shown_whole == js else steps(survey, split=not js)
    if going_back:
        target = previous_step(sent_steps, current.index, answers) or current
        return Page(step_of(all_steps, target.questions[0].id), answers,
                    values_of(survey.questions, answers), js=js, all_steps=all_steps)
    following = next_step(sent_steps, current.index, answers)
    if following is not None:
        target = step_of(all_steps, following.questions[0].id)
        if not shown(target, answers):
            target = next_step(all_steps, target.index, answers)
        if target is not None:
            return Page(target, answers, values_of(survey.questions, answers), js=js,
                        all_steps=all_steps)
    if form.get("action") == "next":
        return Page(step_of(all_steps, current.questions[0].id), answers,
                    values_of(survey.questions, answers), js=js, confirm=True,
                    all_steps=all_steps)
    try:
        return Finished(rules.check_response(survey.questions, answers))
    except rules.ResponseError as error:
        back_to = step_of(all_steps, next(iter(error.errors)))
        return Page(back_to, answers, values_of(survey.questions, answers), error.errors, js,
                    all_steps=all_steps)


# -- reading a stored response -----------------------------------------------------------

def own_response_id(survey: Survey, user) -> str | None:
    """The id of `user`'s response to a survey that is not anonymous."""
    if survey.anonymous or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(SurveyResponse.id).where(
        SurveyResponse.survey_id == survey.id, SurveyResponse.user_id == user.id))


def stored_answers(survey: Survey, user) -> rules.Answers:
    """`user`'s response as answers (to prefill the pages when it may be changed)."""
    if survey.anonymous or not survey.changeable:
        return {}
    found = db.session.execute(
        select(SurveyAnswer.question_id, SurveyAnswer.statement_id, SurveyAnswer.option_id,
               SurveyAnswer.number, SurveyAnswer.text)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id == survey.id, SurveyResponse.user_id == user.id)
        .order_by(SurveyAnswer.seq)).all()
    by_question: dict[int, list] = {}
    for question_id, *row in found:
        by_question.setdefault(question_id, []).append(tuple(row))
    return {str(question.id): rules.value_from_rows(question, by_question[question.id])
            for question in survey.questions if question.id in by_question}


# -- sending -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sent:
    """A stored response: its survey, whether it replaced an earlier one, and (anonymous)
    how many responses of the survey now wait in the inbox for a mix."""

    survey_id: int
    replaced: bool = False
    waiting: int = 0


def send(survey: Survey, user, answers: rules.Answers, browser: str | None = None) -> Sent:
    """Store the response of `user` (or, in a public survey, of the visitor whose browser
    key is `browser`): check the whole of it against the survey as it is now, then write
    the participation, whose unique constraints decide "once", and the response: straight
    away with the account when the survey is not anonymous (replacing the earlier one when
    it may be changed), else into the inbox, apart from the account, to be mixed.
    AnswerRefused or answers.ResponseError, with nothing written."""
    blocked = obstacle(survey, user)
    if blocked is not None:
        raise blocked
    signed_in = getattr(user, "is_authenticated", False)
    if not signed_in and not browser:
        raise SignInNeeded
    checked = rules.check_response(survey.questions, answers)
    rows = rules.response_rows(survey.questions, checked)
    today = utcnow().date()
    user_id, browser = (user.id, None) if signed_in else (None, browser)
    try:
        if survey.anonymous:
            # Only now the write lock (SQLite); PostgreSQL writes in one statement. The
            # pages before and the checks only read, so many people can be between pages.
            start_writes()
            return Sent(survey.id, waiting=writes.into_inbox(survey.id, user_id, browser,
                                                             today, rows))
        start_writes(transaction=True)
        # Only a response that may be changed is looked for: a second one of any other
        # kind is refused by the participation's unique constraints.
        if signed_in and survey.changeable and services.has_answered(survey, user):
            response_id = own_response_id(survey, user)
            if response_id is None:
                raise AlreadyAnswered
            replace_answers(survey.id, response_id, rows, today)
            return Sent(survey.id, replaced=True)
        writes.participate(survey.id, user_id, browser, today)
    except writes.NotWritten as refused:
        raise (AlreadyAnswered if refused.already else NotOpen) from refused
    insert_responses(survey.id, [NewResponse(rows=rows, user_id=user_id, sent_on=today)])
    return Sent(survey.id)


def quiz_outcome(survey: Survey, answers: rules.Answers) -> dict[str, bool]:
    """question id -> answered right, for the questions with correct options."""
    outcome = {}
    for question in survey.questions:
        correct = {option.id for option in question.options if option.is_correct}
        if correct and str(question.id) in answers:
            outcome[str(question.id)] = set(rules.chosen_options(answers[str(question.id)])) \
                == correct
        elif correct:
            outcome[str(question.id)] = False
    return outcome
