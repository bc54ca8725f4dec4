"""What an answer is, per kind of question: read from a form, checked, shown again, and
stored as answer rows. The one place that knows the kinds' rules; the answering pages, the
final check before a response is stored, the results and the demo all go through it.

An answer (a "value") is a small dict that survives JSON, keyed by what it holds:

    single, yes/no   {"option": 12} or {"option": 14, "other": "Fahrrad"}
    multiple         {"options": [12, 13]}, also with "other"
    free text        {"text": "..."}
    number, scale    {"number": 8.5}
    matrix           {"rows": {"31": 4, "32": 2}}   (statement id -> point on the scale)
    not answered     {}

Answers of a response: {str(question id): value} for every question it was shown, so an
absent key means "not asked" (its condition did not hold), {} means "asked, left empty".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from .models import TEXT_ANSWER_MAX, QuestionKind, SurveyQuestion

Value = dict
Answers = dict[str, Value]
# (statement id, option id, number, text) per stored answer row of one question
Row = tuple[int | None, int | None, float | None, str | None]

OTHER_MAX = 300


class AnswerError(ValueError):
    """An answer that does not fit its question; the message says why, for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def field_name(question: SurveyQuestion, part: str = "") -> str:
    """The form field of a question (`part`: "other", or a matrix statement's "s31")."""
    return f"q{question.id}" + (f"_{part}" if part else "")


# -- reading a form -------------------------------------------------------------------

def read(question: SurveyQuestion, form: Mapping) -> Value:
    """The answer the form gives to `question`, checked; AnswerError if it does not fit."""
    kind = question.kind_enum
    name = field_name(question)
    if kind != QuestionKind.MULTIPLE and _sent_twice(question, form):
        raise AnswerError(_("Please give one answer only."))
    if kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
        raw = (form.get(name) or "").strip()
        value: Value = {"option": _int(raw)} if raw else {}
        if raw and value["option"] is None:
            raise AnswerError(_("Please choose one of the answers."))
    elif kind == QuestionKind.MULTIPLE:
        raws = _getlist(form, name)
        options = [_int(raw) for raw in raws]
        if None in options:
            raise AnswerError(_("Please choose among the answers shown."))
        value = {"options": options} if options else {}
    elif kind == QuestionKind.TEXT:
        text = (form.get(name) or "").strip().replace("\r\n", "\n")
        value = {"text": text} if text else {}
    elif kind in (QuestionKind.NUMBER, QuestionKind.SCALE):
        raw = (form.get(name) or "").strip()
        value = {"number": _number(raw)} if raw else {}
        if raw and value["number"] is None:
            raise AnswerError(_("Please enter a number, such as 8 or 8,5."))
    else:  # matrix
        rows = {}
        for statement in question.statements:
            raw = (form.get(field_name(question, f"s{statement.id}")) or "").strip()
            if raw:
                point = _int(raw)
                if point is None:
                    raise AnswerError(_("Please choose a point on the scale for each "
                                        "statement."))
                rows[str(statement.id)] = point
        value = {"rows": rows} if rows else {}
    other = (form.get(field_name(question, "other")) or "").strip()
    if other and kind.has_options:
        value["other"] = other
    return check(question, value)


def _sent_twice(question: SurveyQuestion, form: Mapping) -> bool:
    """Whether a field that takes one value came with several (a form made by hand)."""
    if not hasattr(form, "getlist"):
        return False
    names = [field_name(question), field_name(question, "other")] + [
        field_name(question, f"s{statement.id}") for statement in question.statements]
    return any(len(form.getlist(name)) > 1 for name in names)


def _getlist(form: Mapping, name: str) -> list[str]:
    raws = form.getlist(name) if hasattr(form, "getlist") else form.get(name) or []
    return [raw.strip() for raw in raws if raw.strip()]


def _int(raw) -> int | None:
    try:
        return int(str(raw))
    except ValueError:
        return None


def _number(raw: str) -> float | None:
    """A number as Germans and others type it: 8,5 or 8.5, with a space or a dot as
    thousands separator only alongside a comma (1.234,5)."""
    text = raw.replace(" ", "").replace("\u00a0", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


# -- checking ---------------------------------------------------------------------------

def check(question: SurveyQuestion, value: Value) -> Value:
    """`value` if it is a valid answer to `question`, else AnswerError. Used on every page
    and again, for every answer, before a response is stored."""
    if not isinstance(value, dict):
        raise AnswerError(_("This answer could not be read; please answer again."))
    if not _answered(value):
        if question.required:
            raise AnswerError(_("Please answer this question."))
        return {}
    kind = question.kind_enum
    if kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
        chosen = [value.get("option")]
    elif kind == QuestionKind.MULTIPLE:
        chosen = value.get("options")
        if not isinstance(chosen, list) or len(set(chosen)) != len(chosen):
            raise AnswerError(_("Please choose among the answers shown."))
    else:
        chosen = []
    if chosen:
        _check_options(question, chosen, value)
    if kind == QuestionKind.TEXT:
        _check_text(question, value.get("text"))
    elif kind in (QuestionKind.NUMBER, QuestionKind.SCALE):
        _check_number(question, value.get("number"))
    elif kind == QuestionKind.MATRIX:
        _check_matrix(question, value.get("rows"))
    allowed = {"option", "options", "other", "text", "number", "rows"}
    return {key: item for key, item in value.items() if key in allowed}


def _answered(value: Value) -> bool:
    return any(value.get(key) not in (None, "", [], {})
               for key in ("option", "options", "text", "number", "rows"))


def _check_options(question: SurveyQuestion, chosen: list, value: Value) -> None:
    options = {option.id: option for option in question.options}
    if any(option_id not in options for option_id in chosen):
        raise AnswerError(_("Please choose among the answers shown."))
    if question.kind == QuestionKind.MULTIPLE:
        low, high = question.min_choices, question.max_choices
        if low and len(chosen) < low:
            raise AnswerError(ngettext("Please choose at least %(num)d answer.",
                                       "Please choose at least %(num)d answers.", low))
        if high and len(chosen) > high:
            raise AnswerError(ngettext("Please choose at most %(num)d answer.",
                                       "Please choose at most %(num)d answers.", high))
    other = value.get("other")
    other_chosen = any(options[option_id].is_other for option_id in chosen)
    if other_chosen and not (isinstance(other, str) and other.strip()):
        raise AnswerError(_("Please say what you mean by \u201c%(label)s\u201d.",
                            label=next(options[option_id].label for option_id in chosen
                                       if options[option_id].is_other)))
    if other_chosen and len(other) > OTHER_MAX:
        raise AnswerError(_("Please keep the text to %(max)d characters.", max=OTHER_MAX))
    if not other_chosen:
        value.pop("other", None)


def _check_text(question: SurveyQuestion, text) -> None:
    if not isinstance(text, str):
        raise AnswerError(_("This answer could not be read; please answer again."))
    limit = min(question.max_length or TEXT_ANSWER_MAX, TEXT_ANSWER_MAX)
    if len(text) > limit:
        raise AnswerError(_("Please keep your answer to %(max)d characters (it has "
                            "%(length)d).", max=limit, length=len(text)))


def _check_number(question: SurveyQuestion, number) -> None:
    if isinstance(number, bool) or not isinstance(number, int | float) \
            or not math.isfinite(number):
        raise AnswerError(_("Please enter a number, such as 8 or 8,5."))
    low, high, step = bounds(question)
    if low is not None and number < low or high is not None and number > high:
        raise AnswerError(_range_message(question, low, high))
    if step and not _on_step(number, low or 0, step):
        raise AnswerError(_("Please enter a number in steps of %(step)s.",
                            step=format_number(step)))


def _check_matrix(question: SurveyQuestion, rows) -> None:
    statements = {str(statement.id) for statement in question.statements}
    if not isinstance(rows, dict) or not set(rows) <= statements:
        raise AnswerError(_("Please choose a point on the scale for each statement."))
    if question.required and set(rows) != statements:
        raise AnswerError(_("Please choose a point on the scale for each statement."))
    low, high = question.scale_min, question.scale_max
    for point in rows.values():
        if isinstance(point, bool) or not isinstance(point, int) or not low <= point <= high:
            raise AnswerError(_("Please choose a point on the scale for each statement."))


def bounds(question: SurveyQuestion) -> tuple[float | None, float | None, float | None]:
    """(lowest, highest, step) a number or scale answer may take."""
    if question.kind in (QuestionKind.SCALE, QuestionKind.MATRIX):
        return question.scale_min, question.scale_max, 1
    return question.number_min, question.number_max, question.number_step


def _on_step(number: float, start: float, step: float) -> bool:
    steps = (number - start) / step
    return abs(steps - round(steps)) < 1e-9


def _range_message(question, low, high) -> str:
    unit = f" {question.unit}" if question.unit else ""
    if low is not None and high is not None:
        return _("Please enter a number from %(low)s to %(high)s%(unit)s.",
                 low=format_number(low), high=format_number(high), unit=unit)
    if low is not None:
        return _("Please enter a number of at least %(low)s%(unit)s.",
                 low=format_number(low), unit=unit)
    return _("Please enter a number of at most %(high)s%(unit)s.",
             high=format_number(high), unit=unit)


def format_number(number: float) -> str:
    """8.0 -> "8", 8.5 -> "8,5" in German (the decimal sign of the locale)."""
    from flask_babel import format_decimal

    return format_decimal(number, format="#,##0.###")


# -- conditions -------------------------------------------------------------------------

def condition_holds(question: SurveyQuestion, answers: Answers) -> bool:
    """Whether `question` is asked, given the answers so far: no condition, or the earlier
    question's answer has (negated: has not) the condition's option. An earlier question
    that was not asked has no option chosen."""
    if not question.has_condition:
        return True
    chosen = chosen_options(answers.get(str(question.condition_question_id), {}))
    return (question.condition_option_id in chosen) != question.condition_negated


def chosen_options(value: Value) -> list[int]:
    """The options an answer chose (none for kinds without options)."""
    if "options" in value:
        return list(value["options"])
    return [value["option"]] if value.get("option") is not None else []


def asked(questions: Iterable[SurveyQuestion], answers: Answers) -> list[SurveyQuestion]:
    """The questions asked, in order, given `answers` (decided on the server)."""
    return [question for question in questions if condition_holds(question, answers)]


# -- the whole response ------------------------------------------------------------------

@dataclass
class ResponseError(ValueError):
    """Answers that cannot be stored: question id -> message, in question order."""

    errors: dict[int, str]


def check_response(questions: list[SurveyQuestion], answers: Answers) -> Answers:
    """The answers to store: every question asked, checked again (the pages checked them
    once, but a response is stored only as a whole that fits the survey as it is now);
    answers to questions not asked are dropped. ResponseError lists every misfit."""
    stored: Answers = {}
    errors: dict[int, str] = {}
    for question in questions:
        if not condition_holds(question, stored):
            continue
        try:
            stored[str(question.id)] = check(question, dict(answers.get(str(question.id), {})))
        except AnswerError as error:
            errors[question.id] = error.message
            stored[str(question.id)] = {}
    if errors:
        raise ResponseError(errors)
    return stored


def rows(question: SurveyQuestion, value: Value) -> list[Row]:
    """The answer rows that store `value` (checked) for `question`. A question asked and
    left empty still has a row (all empty), so results tell "missing" from "not asked"."""
    kind = question.kind_enum
    other = value.get("other")
    if kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
        return [(None, value.get("option"), None, other)]
    if kind == QuestionKind.MULTIPLE:
        options = value.get("options", [])
        # The first row says how many options were chosen (None: left empty).
        return [(None, None, len(options) if options else None, None)] + [
            (None, option_id, None, other if _is_other(question, option_id) else None)
            for option_id in options]
    if kind == QuestionKind.TEXT:
        return [(None, None, None, value.get("text"))]
    if kind in (QuestionKind.NUMBER, QuestionKind.SCALE):
        return [(None, None, value.get("number"), None)]
    points = value.get("rows", {})
    return [(statement.id, None, points.get(str(statement.id)), None)
            for statement in question.statements]


def _is_other(question: SurveyQuestion, option_id: int) -> bool:
    return any(option.id == option_id and option.is_other for option in question.options)


def response_rows(questions: list[SurveyQuestion], answers: Answers
                  ) -> list[tuple[int, int | None, int | None, float | None, str | None]]:
    """(question id, statement id, option id, number, text) for every row of a checked
    response, in question order."""
    return [(question.id, *row) for question in questions
            if str(question.id) in answers
            for row in rows(question, answers[str(question.id)])]


def value_from_rows(question: SurveyQuestion, stored: list[Row]) -> Value:
    """The answer that `stored` rows of one question hold (a response shown again)."""
    kind = question.kind_enum
    value: Value = {}
    if kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
        _statement, option_id, _number, text = stored[0]
        value = {"option": option_id} if option_id is not None else {}
        if text:
            value["other"] = text
    elif kind == QuestionKind.MULTIPLE:
        options = [option_id for _s, option_id, _n, _t in stored if option_id is not None]
        value = {"options": options} if options else {}
        other = next((text for _s, _o, _n, text in stored if text), None)
        if other:
            value["other"] = other
    elif kind == QuestionKind.TEXT:
        value = {"text": stored[0][3]} if stored[0][3] else {}
    elif kind in (QuestionKind.NUMBER, QuestionKind.SCALE):
        value = {"number": stored[0][2]} if stored[0][2] is not None else {}
    else:
        points = {str(statement_id): int(number) for statement_id, _o, number, _t in stored
                  if number is not None}
        value = {"rows": points} if points else {}
    return value


def form_data(question: SurveyQuestion, value: Value) -> dict[str, str | list[str]]:
    """Form fields that show `value` again (what was sent before, or on an earlier visit)."""
    data: dict[str, str | list[str]] = {}
    name = field_name(question)
    if "option" in value:
        data[name] = str(value["option"])
    if "options" in value:
        data[name] = [str(option_id) for option_id in value["options"]]
    if "text" in value:
        data[name] = value["text"]
    if "number" in value:
        data[name] = format_number(value["number"])
    for statement_id, point in value.get("rows", {}).items():
        data[field_name(question, f"s{statement_id}")] = str(point)
    if value.get("other"):
        data[field_name(question, "other")] = value["other"]
    return data


def quiz_score(questions: list[SurveyQuestion], answers: Answers) -> tuple[int, int]:
    """(questions answered right, questions with a right answer): right means exactly the
    correct options chosen."""
    right = total = 0
    for question in questions:
        correct = {option.id for option in question.options if option.is_correct}
        if not correct:
            continue
        total += 1
        if set(chosen_options(answers.get(str(question.id), {}))) == correct:
            right += 1
    return right, total
