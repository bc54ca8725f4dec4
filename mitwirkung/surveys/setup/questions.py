"""The questions of a survey (staff): adding, changing, fixing the wording of, deleting and
moving them, with the rules of each kind and of conditions. Operations add and flush; the
calling view commits once. The lock once anyone has answered, the errors and the limits are
the survey's (setup/services.py).

A condition points to an option of an earlier choice question, on an earlier page or
earlier on the same page: the answering pages decide on the server whether a question is
asked, and without JavaScript they put a question that depends on an answer of its own
page on a step of its own, after that answer has been sent (surveys/answering).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...core import audit
from ...extensions import db
from ..models import (
    TEXT_ANSWER_MAX,
    QuestionKind,
    Survey,
    SurveyOption,
    SurveyQuestion,
    SurveyStatement,
)
from .services import (
    END_LABEL_MAX,
    LABEL_MAX,
    NUMBER_LIMIT,
    OPTIONS_MAX,
    PAGES_MAX,
    SCALES,
    STATEMENTS_MAX,
    UNIT_MAX,
    ConditionBroken,
    InvalidChoice,
    QuestionError,
    SetupError,
    StructureLocked,
    ensure_unlocked,
    is_locked,
)

# Questions -----------------------------------------------------------------------------


@dataclass
class QuestionData:
    """What staff set for a question. Settings that do not apply to `kind` are ignored.

    `options`: labels of the options in order (not the "other" one), `correct`: their
    indexes that are correct in a quiz; `statements`: the matrix's statements in order;
    `condition_option_id` the option of an earlier question the question depends on."""

    kind: str
    title: str
    help_text: str = ""
    page: int = 1
    required: bool = False
    options: list[str] = field(default_factory=list)
    correct: list[int] = field(default_factory=list)
    other: bool = False
    min_choices: int | None = None
    max_choices: int | None = None
    max_length: int | None = None
    number_min: float | None = None
    number_max: float | None = None
    number_step: float | None = None
    unit: str = ""
    scale: str = "1-5"
    scale_min_label: str = ""
    scale_max_label: str = ""
    statements: list[str] = field(default_factory=list)
    condition_option_id: int | None = None
    condition_negated: bool = False


def question_data(question: SurveyQuestion) -> QuestionData:
    """The data of a stored question, as the form shows it."""
    options = [option for option in question.options if not option.is_other]
    scale = next((name for name, ends in SCALES.items()
                  if ends == (question.scale_min, question.scale_max)), "1-5")
    return QuestionData(
        kind=question.kind, title=question.title, help_text=question.help_text,
        page=question.page, required=question.required,
        options=[option.label for option in options],
        correct=[i for i, option in enumerate(options) if option.is_correct],
        other=any(option.is_other for option in question.options),
        min_choices=question.min_choices, max_choices=question.max_choices,
        max_length=question.max_length, number_min=question.number_min,
        number_max=question.number_max, number_step=question.number_step, unit=question.unit,
        scale=scale, scale_min_label=question.scale_min_label,
        scale_max_label=question.scale_max_label,
        statements=[statement.label for statement in question.statements],
        condition_option_id=question.condition_option_id,
        condition_negated=question.condition_negated)


def condition_sources(survey: Survey, before_page: int | None = None
                      ) -> list[SurveyQuestion]:
    """Questions a condition may point to: choice questions with options, on a page up to
    `before_page` (None: any page; the form offers them all and the server checks)."""
    return [question for question in survey.questions
            if question.kind_enum.has_options and question.options
            and (before_page is None or question.page <= before_page)]


def last_page(survey: Survey) -> int:
    return max((question.page for question in survey.questions), default=1)


def add_question(survey: Survey, actor, data: QuestionData) -> SurveyQuestion:
    """Add a question at the end of its page."""
    ensure_unlocked(survey)
    kind = _checked_kind(data.kind)
    data.page = _checked_page(survey, data.page)
    _check_question(survey, None, kind, data)
    # At the end of its page; _renumber gives every question its place.
    question = SurveyQuestion(kind=kind, page=data.page, position=10**6)
    _apply(question, kind, data)
    question.title = data.title.strip()
    choices = _labels(data.options) if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) \
        else []
    for i, label in enumerate(choices):
        question.options.append(SurveyOption(label=label, position=i,
                                             is_correct=survey.quiz and i in data.correct))
    if kind == QuestionKind.YES_NO:
        for i, label in enumerate(yes_no_labels()):
            question.options.append(SurveyOption(label=label, position=i,
                                                 is_correct=survey.quiz and i in data.correct))
    if kind.has_options and kind != QuestionKind.YES_NO and data.other:
        question.options.append(SurveyOption(label=other_label(), is_other=True,
                                             position=len(question.options)))
    statements = _labels(data.statements) if kind == QuestionKind.MATRIX else []
    for i, label in enumerate(statements):
        question.statements.append(SurveyStatement(label=label, position=i))
    _set_condition(survey, question, data)
    survey.questions.append(question)
    _renumber(survey)
    db.session.flush()
    audit.record(actor, "survey.question_add", survey, question_id=question.id,
                 title=question.title, kind=kind.value)
    return question


def update_question(question: SurveyQuestion, actor, data: QuestionData) -> SurveyQuestion:
    """Change a question of a survey nobody has answered yet. Options keep their identity
    (and the conditions that point to them) when their label stays or when a line is
    changed in place; an option a condition uses cannot go."""
    survey = question.survey
    ensure_unlocked(survey)
    kind = question.kind_enum
    data.page = _checked_page(survey, data.page, moving=question)
    _check_question(survey, question, kind, data)
    before = question_data(question)
    _apply(question, kind, data)
    question.title = data.title.strip()
    if kind == QuestionKind.YES_NO:
        for i, option in enumerate(question.options):
            option.is_correct = survey.quiz and i in data.correct
    elif kind.has_options:
        _replace_options(survey, question, _labels(data.options), data)
    if kind == QuestionKind.MATRIX:
        _replace_statements(question, _labels(data.statements))
    _set_condition(survey, question, data)
    question.page = data.page
    _renumber(survey)
    _check_conditions(survey)
    db.session.flush()
    after = question_data(question)
    changed = sorted(name for name in vars(after) if getattr(before, name) != getattr(after, name))
    audit.record(actor, "survey.question_update", survey, question_id=question.id,
                 title=question.title, changed=changed)
    return question


class Wording(NamedTuple):
    """The texts of a question that stay open to corrections once responses exist."""

    title: str
    help_text: str
    options: list[str]  # labels of the options that are not "other", in order
    statements: list[str]
    scale_min_label: str
    scale_max_label: str
    unit: str


def wording_of(question: SurveyQuestion) -> Wording:
    return Wording(question.title, question.help_text,
                   [option.label for option in question.options if not option.is_other],
                   [statement.label for statement in question.statements],
                   question.scale_min_label, question.scale_max_label, question.unit)


def fix_wording(question: SurveyQuestion, actor, wording: Wording) -> list[dict]:
    """Correct the texts of a question, also once responses exist: the same number of
    options and statements, each relabelled in place. Returns (and audits) the changes,
    each with what it was and what it became."""
    survey = question.survey
    title = wording.title.strip()
    if not title:
        raise QuestionError("title", _l("Please enter the question."))
    options = [option for option in question.options if not option.is_other]
    new_options = [label.strip() for label in wording.options]
    new_statements = [label.strip() for label in wording.statements]
    if question.kind_enum.has_options and question.kind != QuestionKind.YES_NO \
            and len(new_options) != len(options):
        raise QuestionError("options", _l(
            "The options are locked: keep one line for each of the %(count)d options and "
            "correct only their wording.", count=len(options)))
    if question.kind == QuestionKind.MATRIX and len(new_statements) != len(question.statements):
        raise QuestionError("statements", _l(
            "The statements are locked: keep one line for each of the %(count)d statements "
            "and correct only their wording.", count=len(question.statements)))
    for name, labels, limit in (("options", new_options, LABEL_MAX),
                                ("statements", new_statements, LABEL_MAX)):
        if any(not label or len(label) > limit for label in labels):
            raise QuestionError(name, _l("Each line needs a text of at most %(max)d characters.",
                                         max=limit))
    changes = []

    def change(what: str, target, attribute: str, value: str, **where):
        if getattr(target, attribute) != value:
            changes.append({"field": what, "before": getattr(target, attribute),
                            "after": value, **where})
            setattr(target, attribute, value)

    change("title", question, "title", title)
    change("help_text", question, "help_text", wording.help_text.strip())
    if question.kind != QuestionKind.YES_NO:
        for i, (option, label) in enumerate(zip(options, new_options, strict=False)):
            change("option", option, "label", label, number=i + 1)
    if question.kind == QuestionKind.MATRIX:
        for i, (statement, label) in enumerate(zip(question.statements, new_statements,
                                                   strict=False)):
            change("statement", statement, "label", label, number=i + 1)
    if question.kind in (QuestionKind.SCALE, QuestionKind.MATRIX):
        change("scale_min_label", question, "scale_min_label",
               wording.scale_min_label.strip()[:END_LABEL_MAX])
        change("scale_max_label", question, "scale_max_label",
               wording.scale_max_label.strip()[:END_LABEL_MAX])
    if question.kind == QuestionKind.NUMBER:
        change("unit", question, "unit", wording.unit.strip()[:UNIT_MAX])
    db.session.flush()
    audit.record(actor, "survey.question_wording", survey, question_id=question.id,
                 title=question.title, changes=changes)
    return changes


def question_deletion_refused(question: SurveyQuestion) -> SetupError | None:
    """Why deleting `question` would be refused now, None if it would not."""
    if is_locked(question.survey):
        return StructureLocked()
    dependants = _dependants(question.survey, {option.id for option in question.options})
    if dependants:
        return ConditionBroken(_l(
            "Question “%(title)s” is shown depending on this one: change its condition "
            "first.", title=dependants[0].title))
    return None


def delete_question(question: SurveyQuestion, actor) -> None:
    survey = question.survey
    ensure_unlocked(survey)
    refused = question_deletion_refused(question)
    if refused is not None:
        raise refused
    audit.record(actor, "survey.question_delete", survey, question_id=question.id,
                 title=question.title)
    survey.questions.remove(question)
    _renumber(survey)
    db.session.flush()


def move_question(question: SurveyQuestion, actor, direction: str) -> None:
    """Move a question one step up or down in the survey's order. Past the first or last
    question of its page it moves to the end of the page before or the start of the page
    after; a move that would put a condition before the answer it depends on is refused."""
    survey = question.survey
    ensure_unlocked(survey)
    if direction not in ("up", "down"):
        raise InvalidChoice("direction")
    ordered = list(survey.questions)
    index = ordered.index(question)
    neighbour_index = index - 1 if direction == "up" else index + 1
    if not 0 <= neighbour_index < len(ordered):
        return
    neighbour = ordered[neighbour_index]
    page_before = question.page
    if neighbour.page == question.page:
        question.position, neighbour.position = neighbour.position, question.position
    elif direction == "up":
        question.page = neighbour.page
        question.position = neighbour.position + 1
    else:
        question.page = neighbour.page
        question.position = neighbour.position - 1
    _sort(survey)
    _check_conditions(survey)
    _renumber(survey)
    db.session.flush()
    audit.record(actor, "survey.question_move", survey, question_id=question.id,
                 title=question.title, direction=direction, page_before=page_before,
                 page=question.page)


# The rules of a question ----------------------------------------------------------------


def yes_no_labels() -> list[str]:
    """Ja and Nein, in the site's language (the survey's content is in it)."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "de")):
        return [_("Yes"), _("No")]


def other_label() -> str:
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "de")):
        return _("Other, please specify")


def _checked_kind(kind: str) -> QuestionKind:
    try:
        return QuestionKind(kind)
    except ValueError:
        raise InvalidChoice("kind") from None


def _labels(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines if line.strip()]


def _check_question(survey, question, kind: QuestionKind, data: QuestionData) -> None:
    """Refuse settings that do not fit, each at its field."""
    if not data.title.strip():
        raise QuestionError("title", _l("Please enter the question."))
    if len(data.title.strip()) > LABEL_MAX:
        raise QuestionError("title", _l("Please keep the question to %(max)d characters.",
                                        max=LABEL_MAX))
    if not 1 <= data.page <= PAGES_MAX:
        raise QuestionError("page", _l("Please enter a page from 1 to %(max)d.", max=PAGES_MAX))
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        options = _labels(data.options)
        if len(options) > OPTIONS_MAX:
            raise QuestionError("options", _l("Please keep to %(max)d options.", max=OPTIONS_MAX))
        if any(len(label) > LABEL_MAX for label in options):
            raise QuestionError("options", _l("Each line needs a text of at most %(max)d "
                                              "characters.", max=LABEL_MAX))
        folded = [label.casefold() for label in options]
        if len(set(folded)) != len(folded):
            raise QuestionError("options", _l("Each option must differ from the others."))
        if len(options) + bool(data.other) < 2:
            raise QuestionError("options", _l("Please enter at least two options, one per "
                                              "line."))
        if any(i >= len(options) for i in data.correct):
            raise QuestionError("options", _l("Please mark only options that exist as "
                                              "correct."))
    if kind == QuestionKind.YES_NO and any(i not in (0, 1) for i in data.correct):
        raise InvalidChoice("correct")
    if kind == QuestionKind.MULTIPLE:
        count = len(_labels(data.options)) + bool(data.other)
        low, high = data.min_choices, data.max_choices
        if low is not None and not 0 <= low <= count:
            raise QuestionError("min_choices", _l("Please enter a number from 0 to %(max)d, "
                                                  "the number of options.", max=count))
        if high is not None and not 1 <= high <= count:
            raise QuestionError("max_choices", _l("Please enter a number from 1 to %(max)d, "
                                                  "the number of options.", max=count))
        if low is not None and high is not None and low > high:
            raise QuestionError("max_choices", _l("The most choices cannot be fewer than the "
                                                  "fewest."))
    if kind == QuestionKind.TEXT and data.max_length is not None \
            and not 1 <= data.max_length <= TEXT_ANSWER_MAX:
        raise QuestionError("max_length", _l("Please enter a number from 1 to %(max)d.",
                                             max=TEXT_ANSWER_MAX))
    if kind == QuestionKind.NUMBER:
        for name in ("number_min", "number_max", "number_step"):
            value = getattr(data, name)
            if value is not None and not abs(value) < NUMBER_LIMIT:
                raise QuestionError(name, _l("Please enter a smaller number."))
        if data.number_step is not None and data.number_step <= 0:
            raise QuestionError("number_step", _l("The step must be more than 0."))
        if data.number_min is not None and data.number_max is not None \
                and data.number_max <= data.number_min:
            raise QuestionError("number_max", _l("The highest number must be more than the "
                                                 "lowest."))
        if len(data.unit.strip()) > UNIT_MAX:
            raise QuestionError("unit", _l("Please keep the unit to %(max)d characters.",
                                           max=UNIT_MAX))
    if kind in (QuestionKind.SCALE, QuestionKind.MATRIX):
        if data.scale not in SCALES:
            raise InvalidChoice("scale")
        for name in ("scale_min_label", "scale_max_label"):
            if len(getattr(data, name).strip()) > END_LABEL_MAX:
                raise QuestionError(name, _l("Please keep the label to %(max)d characters.",
                                             max=END_LABEL_MAX))
    if kind == QuestionKind.MATRIX:
        statements = _labels(data.statements)
        if not statements:
            raise QuestionError("statements", _l("Please enter at least one statement, one "
                                                 "per line."))
        if len(statements) > STATEMENTS_MAX or any(len(s) > LABEL_MAX for s in statements):
            raise QuestionError("statements", _l(
                "Please keep to %(count)d statements of at most %(max)d characters each.",
                count=STATEMENTS_MAX, max=LABEL_MAX))
    _check_condition(survey, question, data)


def _apply(question: SurveyQuestion, kind: QuestionKind, data: QuestionData) -> None:
    """The settings of the question's kind; the others back to their defaults."""
    question.help_text = data.help_text.strip()
    question.required = bool(data.required)
    multiple = kind == QuestionKind.MULTIPLE
    question.min_choices = data.min_choices if multiple else None
    question.max_choices = data.max_choices if multiple else None
    question.max_length = data.max_length if kind == QuestionKind.TEXT else None
    number = kind == QuestionKind.NUMBER
    question.number_min = data.number_min if number else None
    question.number_max = data.number_max if number else None
    question.number_step = data.number_step if number else None
    question.unit = data.unit.strip() if number else ""
    scaled = kind in (QuestionKind.SCALE, QuestionKind.MATRIX)
    question.scale_min, question.scale_max = SCALES[data.scale] if scaled else (None, None)
    question.scale_min_label = data.scale_min_label.strip() if scaled else ""
    question.scale_max_label = data.scale_max_label.strip() if scaled else ""


def _replace_options(survey, question: SurveyQuestion, labels: list[str],
                     data: QuestionData) -> None:
    """Options after an edit: one with the same label keeps its row, a line changed in
    place keeps the row of the option that was there; the rest come and go. An option
    that a condition uses cannot go."""
    old = [option for option in question.options if not option.is_other]
    other = next((option for option in question.options if option.is_other), None)
    by_label = {option.label: option for option in old}
    kept: list[SurveyOption | None] = [by_label.pop(label, None) for label in labels]
    free = [option for option in old if option.label in by_label]
    for i, label in enumerate(labels):
        if kept[i] is None:
            in_place = old[i] if i < len(old) and old[i] in free else None
            if in_place is not None:
                free.remove(in_place)
                in_place.label = label
                kept[i] = in_place
    gone = list(free) + ([other] if other is not None and not data.other else [])
    dependants = _dependants(survey, {option.id for option in gone})
    if dependants:
        raise ConditionBroken(_l(
            "Question “%(title)s” is shown depending on an option you removed: change its "
            "condition first.", title=dependants[0].title), "options")
    for option in gone:
        question.options.remove(option)
    for i, label in enumerate(labels):
        option = kept[i] or SurveyOption(label=label)
        option.position = i
        option.is_correct = survey.quiz and i in data.correct
        if kept[i] is None:
            question.options.append(option)
    if data.other:
        if other is None:
            other = SurveyOption(label=other_label(), is_other=True)
            question.options.append(other)
        other.position = len(labels)
    question.options.sort(key=lambda option: option.position)


def _replace_statements(question: SurveyQuestion, labels: list[str]) -> None:
    old = list(question.statements)
    for i, label in enumerate(labels):
        if i < len(old):
            old[i].label, old[i].position = label, i
        else:
            question.statements.append(SurveyStatement(label=label, position=i))
    for statement in old[len(labels):]:
        question.statements.remove(statement)


def _check_condition(survey: Survey, question: SurveyQuestion | None,
                     data: QuestionData) -> None:
    """The condition's option belongs to a choice question of this survey on an earlier
    page than the question's."""
    if data.condition_option_id is None:
        return
    source = next((q for q in survey.questions
                   if any(o.id == data.condition_option_id for o in q.options)), None)
    if source is None or not source.kind_enum.has_options:
        raise ConditionBroken(_l("Please choose an option of an earlier choice question of "
                                 "this survey."), "condition")
    if question is not None and source.id == question.id:
        raise ConditionBroken(_l("A question cannot depend on its own answer."), "condition")
    stays_put = question is not None and question.page == data.page
    if source.page > data.page or (stays_put and source.page == data.page
                                   and source.position > question.position):
        raise ConditionBroken(_l(
            "“%(title)s” comes after this question: a question can depend only on the "
            "answer to an earlier one.", title=source.title), "condition")


def _set_condition(survey: Survey, question: SurveyQuestion, data: QuestionData) -> None:
    if data.condition_option_id is None:
        question.condition_question_id = question.condition_option_id = None
        question.condition_negated = False
        return
    source = next(q for q in survey.questions
                  if any(o.id == data.condition_option_id for o in q.options))
    question.condition_question_id = source.id
    question.condition_option_id = data.condition_option_id
    question.condition_negated = bool(data.condition_negated)


def _dependants(survey: Survey, option_ids: set[int]) -> list[SurveyQuestion]:
    return [question for question in survey.questions
            if question.condition_option_id is not None
            and question.condition_option_id in option_ids]


def _check_conditions(survey: Survey) -> None:
    """Every condition still points to an earlier question (the survey's questions are in
    their new order)."""
    place = {question.id: index for index, question in enumerate(survey.questions)}
    for index, question in enumerate(survey.questions):
        source = place.get(question.condition_question_id)
        if source is not None and source >= index:
            raise ConditionBroken(_l(
                "Question “%(title)s” is shown depending on “%(source)s”, so it must stay "
                "after that one. Change its condition first.", title=question.title,
                source=survey.questions[source].title), "page")


def _checked_page(survey: Survey, page: int, moving: SurveyQuestion | None = None) -> int:
    """A page number at most one past the last page used by other questions."""
    others = [q.page for q in survey.questions if q is not moving]
    return min(page, max(others, default=0) + 1)


def _sort(survey: Survey) -> None:
    survey.questions.sort(key=lambda q: (q.page, q.position, q.id or 0))


def _renumber(survey: Survey) -> None:
    """Positions 0, 1, 2 ... in the survey's order, pages 1, 2, 3 ... without gaps."""
    _sort(survey)
    pages = {page: i + 1 for i, page in enumerate(sorted({q.page for q in survey.questions}))}
    for i, question in enumerate(survey.questions):
        question.page = pages[question.page]
        question.position = i


