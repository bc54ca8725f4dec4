"""Reading survey results: the histogram from the running tallies (tallies.py: a few
hundred rows however many responses), with a breakdown also one query joining the
answer rows, turned into figures by statistics.py; the free texts of a question; who may
read what. The views call these; nothing here writes, except the mix that seals an
anonymous survey after its close (`_before_counting`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from ...core.paging import Page
from ...extensions import db
from .. import services, tallies
from ..answering.mixing import seal_if_closed
from ..models import QuestionKind, Survey, SurveyAnswer, SurveyPhase, SurveyQuestion
from . import statistics
from .statistics import Line, Summary

TEXTS_PER_PAGE = 50
SEARCH_MAX = 200


class NoSuchBreakdown(LookupError):
    """?by= names no single choice or yes/no question of the survey."""


def _before_counting(survey: Survey) -> None:
    """An anonymous survey counts only mixed groups, one step late; after its close the last
    group is mixed and the survey sealed before anything is counted."""
    if survey.anonymous:
        seal_if_closed(survey)


def breakdown_choices(survey: Survey) -> list[SurveyQuestion]:
    """The questions a breakdown may split by: single choice and yes/no (one answer each,
    so every response falls into one group)."""
    return [question for question in survey.questions
            if question.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO)]


@dataclass
class QuestionResult:
    question: SurveyQuestion
    summary: Summary
    # Breakdown only: the table's rows, whole first, then each group.
    lines: list[Line] = field(default_factory=list)

    @property
    def bars(self) -> list[tuple[str, int, float | None]]:
        """(label, count, share) per option (choice kinds)."""
        return [(option.label, self.summary.options.get(option.id, 0),
                 self.summary.share(option.id)) for option in self.question.options]

    @property
    def distribution(self) -> list[tuple[str, int, float | None]]:
        """(label, count, share of the answers) per point of a scale, per value of a number
        question with few values, else per range of values."""
        n = self.summary.answered
        bars = statistics.distribution(self.question, self.summary)
        return [(_range_label(low, high, last=i == len(bars) - 1), count,
                 100 * count / n if n else None)
                for i, (low, high, count) in enumerate(bars)]


def _range_label(low: float, high: float, last: bool) -> str:
    def number(value):
        return format_decimal(value, format="#,##0.##")

    if low == high:
        return number(low)
    if last:
        return _("%(low)s to %(high)s", low=number(low), high=number(high))
    return _("%(low)s to under %(high)s", low=number(low), high=number(high))


@dataclass
class Group:
    """A column of a breakdown: an option of the breakdown question, or no answer to it."""

    label: str
    size: int  # the breakdown question's own count: on the page anyway
    option_id: int | None
    hidden: bool = False  # too few responses (or the partner of such a group)


@dataclass
class Results:
    survey: Survey
    responses: int
    questions: list[QuestionResult]
    by: SurveyQuestion | None = None
    groups: list[Group] = field(default_factory=list)

    @property
    def hidden_any(self) -> bool:
        return any(group.hidden for group in self.groups) or any(
            cell.hidden for result in self.questions for line in result.lines
            for cell in line.cells)


def _counted_rows(survey: Survey, statement):
    """Restrict `statement` on answer rows to the survey's questions and counted responses;
    naming the questions lets the histogram index (question, statement, option, number,
    mix) answer the query on its own."""
    question_ids = [question.id for question in survey.questions]
    return statement.where(SurveyAnswer.question_id.in_(question_ids), services.counted(survey))


def split_histogram(survey: Survey, by: SurveyQuestion) -> dict[int, dict[int, list[tuple]]]:
    """option of `by` -> question id -> histogram rows of the responses that chose it: one
    query joining each answer row to its response's answer to `by`."""
    group = aliased(SurveyAnswer)
    query = _counted_rows(survey, select(
        group.option_id, SurveyAnswer.question_id, SurveyAnswer.statement_id,
        SurveyAnswer.option_id, SurveyAnswer.number, func.count(),
        func.count(SurveyAnswer.text),
    ).join(group, and_(group.response_id == SurveyAnswer.response_id,
                       group.question_id == by.id, group.option_id.is_not(None)))
    ).group_by(group.option_id, SurveyAnswer.question_id, SurveyAnswer.statement_id,
               SurveyAnswer.option_id, SurveyAnswer.number)
    split: dict[int, dict[int, list[tuple]]] = {}
    for option_id, question_id, statement_id, answer_option, number, count, texts \
            in db.session.execute(query):
        split.setdefault(option_id, {}).setdefault(question_id, []).append(
            (statement_id, answer_option, number, count, texts))
    return split


# -- breakdowns that cannot change, kept ----------------------------------------------------
#
# The whole histogram comes from the tallies; a breakdown cannot (it pairs each answer with
# the same response's answer to another question, and tallies know no responses), so it
# still joins the answer rows: for 50,000 responses seconds on SQLite. Where the counted
# answers cannot change under a key, the split histogram is kept per process under that
# key: a memo of a fact, not state (every process computes the same from the database, and
# a new fact is a new key).

_KEPT: OrderedDict = OrderedDict()
_KEPT_MAX = 64
_KEPT_LOCK = threading.Lock()


def stable_key(survey: Survey, total: int) -> tuple | None:
    """A key that names the counted answers exactly, or None while they may still change.
    Anonymous: results count the mixes up to `mixes_counted`, and a mixed response never
    changes. Closed: no response comes or changes any more; an erased account takes its
    responses along, which changes `total`. Open and not anonymous: any moment may bring a
    response or change one, so nothing is kept."""
    identity = (survey.id, survey.created_at, tuple(q.id for q in survey.questions), total)
    if survey.anonymous:
        return (*identity, "mixes", survey.mixes_counted)
    if services.phase(survey) == SurveyPhase.CLOSED:
        return (*identity, "closed", survey.closes_at)
    return None


def _kept(key: tuple | None, compute):
    if key is None:
        return compute()
    with _KEPT_LOCK:
        if key in _KEPT:
            _KEPT.move_to_end(key)
            return _KEPT[key]
    value = compute()
    with _KEPT_LOCK:
        _KEPT[key] = value
        while len(_KEPT) > _KEPT_MAX:
            _KEPT.popitem(last=False)
    return value


def forget_kept() -> None:
    """Drop every kept breakdown (tests that roll back reuse ids)."""
    with _KEPT_LOCK:
        _KEPT.clear()


def results(survey: Survey, by: SurveyQuestion | None = None) -> Results:
    """Every question's figures; with `by`, also split by the answer to that question, the
    small numbers hidden."""
    _before_counting(survey)
    total = services.response_count(survey)
    rows = tallies.histogram(survey)
    questions = [QuestionResult(question, statistics.summarise(question, rows.get(question.id, ()),
                                                               total))
                 for question in survey.questions]
    found = Results(survey, total, questions)
    if by is None:
        return found
    key = stable_key(survey, total)
    split = _kept(key and (*key, "by", by.id), lambda: split_histogram(survey, by))
    by_summary = next(result.summary for result in questions if result.question is by)
    sizes = [by_summary.options.get(option.id, 0) for option in by.options]
    sizes.append(total - sum(sizes))  # no answer: left empty or not asked
    hidden = statistics.hidden_groups(sizes)
    found.by = by
    found.groups = [Group(option.label, sizes[i], option.id, i in hidden)
                    for i, option in enumerate(by.options)]
    # Those who left the breakdown question empty or were not asked it: a group of its
    # own, shown when there are any.
    no_answer = sizes[-1] > 0
    if no_answer:
        found.groups.append(Group("", sizes[-1], None, len(sizes) - 1 in hidden))
    for result in questions:
        question = result.question
        if question is by:
            continue
        parts = [split.get(option.id, {}).get(question.id, ()) for option in by.options]
        if no_answer:
            parts.append(statistics.subtract(rows.get(question.id, ()), parts))
        groups = [statistics.summarise(question, part, size)
                  for part, size in zip(parts, sizes, strict=False)]
        result.lines = statistics.breakdown_lines(question, result.summary, groups, hidden)
    return found


def breakdown_question(survey: Survey, raw: str | None) -> SurveyQuestion | None:
    """The question named by ?by=: None when absent or empty; NoSuchBreakdown when it is
    not one of `breakdown_choices`."""
    if not raw:
        return None
    if not raw.isdigit():
        raise NoSuchBreakdown(raw)
    found = next((question for question in breakdown_choices(survey)
                  if question.id == int(raw)), None)
    if found is None:
        raise NoSuchBreakdown(raw)
    return found


# -- free texts -------------------------------------------------------------------------

def has_texts(question: SurveyQuestion) -> bool:
    """Free text questions, and choice questions with a "Sonstiges, bitte angeben" option."""
    return question.kind == QuestionKind.TEXT or any(
        option.is_other for option in question.options)


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def texts(survey: Survey, question: SurveyQuestion, search: str = "", page: int = 1,
          per_page: int = TEXTS_PER_PAGE) -> Page:
    """A page of the question's free texts (or "Sonstiges" texts) in the counted responses,
    in the order of the responses' random ids (never the order they came in), optionally
    those containing `search` (any case; SQLite folds the case of ASCII letters only)."""
    _before_counting(survey)
    condition = and_(SurveyAnswer.question_id == question.id, services.counted(survey),
                     SurveyAnswer.text.is_not(None))
    term = search.replace("\x00", "").strip()[:SEARCH_MAX]
    if term:
        condition = and_(condition, SurveyAnswer.text.ilike(_like(term), escape="\\"))
    total = db.session.scalar(select(func.count()).select_from(SurveyAnswer).where(condition))
    items = list(db.session.scalars(
        select(SurveyAnswer.text).where(condition)
        .order_by(SurveyAnswer.response_id, SurveyAnswer.seq)
        .limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, total=total or 0, page=page, per_page=per_page)
