"""Every counted response for staff, as CSV (the German spreadsheet profile of
core/csv_export.py) and as JSON, both streamed: the answer rows are read in chunks ordered
by (response, seq), a response at a time is turned into a row, and memory stays flat
however many responses there are.

Columns (docs/api.md, "Survey responses"): the response's random id, then every question
in question order whatever its conditions (a question not asked is an empty cell, never a
missing column): one column for single choice, yes/no, free text, number and scale; one per
option for multiple choice, holding 1 (chosen), 0 (not chosen, the question answered) or
nothing (left empty or not asked), so that a spreadsheet's SUM counts an option and its
AVERAGE gives its share; one for the "Sonstiges" text of a question with such an option;
one per statement for a matrix. Responses come in the order of their random ids, never in
the order they were sent.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from flask import Response, abort, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...core.csv_export import csv_stream_response
from ...extensions import db
from .. import answers, bp, services
from ..models import QuestionKind, Survey, SurveyAnswer, SurveyQuestion
from . import services as results

CHUNK = 5_000  # answer rows fetched at a time


def _survey_for_staff_or_404(slug: str) -> Survey:
    """Raw responses are for staff only: 404 for a survey the person may not see, 403
    otherwise (visitors too: no login page in between)."""
    survey = services.get_survey(slug)
    if survey is None or not services.may_see(survey, current_user):
        abort(404)
    if not services.may_export(current_user):
        abort(403)
    return survey


def raw_responses(survey: Survey) -> Iterator[tuple[str, dict[int, list]]]:
    """(response id, {question id: its stored rows}) for every counted response, in the
    order of the random ids, read in chunks; a question missing from the dict was not
    asked."""
    results._before_counting(survey)
    query = (select(SurveyAnswer.response_id, SurveyAnswer.question_id,
                    SurveyAnswer.statement_id, SurveyAnswer.option_id, SurveyAnswer.number,
                    SurveyAnswer.text)
             .where(SurveyAnswer.survey_id == survey.id, services.counted(survey))
             .order_by(SurveyAnswer.response_id, SurveyAnswer.seq)
             .execution_options(yield_per=CHUNK))
    current, rows = None, {}
    # Core rows on the session's connection (no ORM row processing), fetched CHUNK at a
    # time: a server-side cursor on PostgreSQL.
    for response_id, question_id, statement_id, option_id, number, text \
            in db.session.connection().execute(query):
        if response_id != current:
            if current is not None:
                yield current, rows
            current, rows = response_id, {}
        rows.setdefault(question_id, []).append((statement_id, option_id, number, text))
    if current is not None:
        yield current, rows


def responses(survey: Survey) -> Iterator[tuple[str, dict[str, dict]]]:
    """(response id, {question id: answer value}) for every counted response (the values of
    surveys/answers.py: {} left empty; a question not asked is not in the dict)."""
    questions = {question.id: question for question in survey.questions}
    for response_id, rows in raw_responses(survey):
        yield response_id, {str(question_id): answers.value_from_rows(questions[question_id],
                                                                      stored)
                            for question_id, stored in rows.items()
                            if question_id in questions}


# -- CSV ----------------------------------------------------------------------------------

def _other(question: SurveyQuestion):
    return next((option for option in question.options if option.is_other), None)


def header(survey: Survey) -> list[str]:
    """The column names: each question numbered in question order."""
    names = [_("Response id")]
    for number, question in enumerate(survey.questions, 1):
        title = f"{number}. {question.title}"
        kind = question.kind_enum
        if kind == QuestionKind.MULTIPLE:
            names += [f"{title}: {option.label}" for option in question.options]
        elif kind == QuestionKind.MATRIX:
            names += [f"{title}: {statement.label}" for statement in question.statements]
        else:
            names.append(title)
        other = _other(question) if kind.has_options else None
        if other is not None:
            names.append(_("%(question)s: %(option)s (text)", question=title,
                           option=other.label))
    return names


def _columns(question: SurveyQuestion):
    """A function from the question's stored rows (None: not asked) to its cells, as
    `header` names them; made once per export, called once per response."""
    kind = question.kind_enum
    other = kind.has_options and _other(question) is not None
    if kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
        labels = {option.id: option.label for option in question.options}

        def single(rows):
            if rows is None:
                return ["", ""] if other else [""]
            cells = [labels.get(rows[0][1], "")]
            return cells + [rows[0][3] or ""] if other else cells
        return single
    if kind == QuestionKind.MULTIPLE:
        option_ids = [option.id for option in question.options]

        def multiple(rows):
            if rows is None or rows[0][2] is None:  # not asked, or left empty
                return [""] * (len(option_ids) + other)
            chosen = {row[1] for row in rows[1:]}
            cells = [1 if option_id in chosen else 0 for option_id in option_ids]
            if other:
                cells.append(next((row[3] for row in rows[1:] if row[3]), ""))
            return cells
        return multiple
    if kind == QuestionKind.TEXT:
        return lambda rows: [rows[0][3] or ""] if rows else [""]
    if kind == QuestionKind.MATRIX:
        statement_ids = [statement.id for statement in question.statements]

        def matrix(rows):
            points = {row[0]: row[2] for row in rows or ()}
            return [points.get(statement_id) for statement_id in statement_ids]
        return matrix
    return lambda rows: [rows[0][2]] if rows else [None]  # number, scale


def csv_rows(survey: Survey):
    yield header(survey)
    columns = [(question.id, _columns(question)) for question in survey.questions]
    for response_id, rows in raw_responses(survey):
        row = [response_id]
        for question_id, cells in columns:
            row += cells(rows.get(question_id))
        yield row


@bp.route("/manage/surveys/<slug>/responses.csv")
def responses_csv(slug: str):
    survey = _survey_for_staff_or_404(slug)
    return csv_stream_response(csv_rows(survey), f"antworten-{survey.slug}.csv")


# -- JSON ---------------------------------------------------------------------------------

def _question_json(question: SurveyQuestion) -> dict:
    data = {"id": question.id, "page": question.page, "kind": question.kind,
            "title": question.title, "required": question.required}
    if question.kind_enum.has_options:
        data["options"] = [{"id": option.id, "label": option.label,
                            "other": option.is_other} for option in question.options]
    if question.kind == QuestionKind.MATRIX:
        data["statements"] = [{"id": statement.id, "label": statement.label}
                              for statement in question.statements]
    if question.kind in (QuestionKind.SCALE, QuestionKind.MATRIX):
        data["scale"] = {"min": question.scale_min, "max": question.scale_max,
                         "min_label": question.scale_min_label,
                         "max_label": question.scale_max_label}
    if question.kind == QuestionKind.NUMBER:
        data["unit"] = question.unit
    if question.has_condition:
        data["condition"] = {"question": question.condition_question_id,
                             "option": question.condition_option_id,
                             "negated": question.condition_negated}
    return data


def json_chunks(survey: Survey, responses_per_chunk: int = 500) -> Iterator[str]:
    """The whole document in pieces: the survey and its questions, then the responses."""
    head = json.dumps({"survey": survey.slug, "title": survey.title,
                       "questions": [_question_json(q) for q in survey.questions]},
                      ensure_ascii=False)
    yield head[:-1] + ', "responses": ['
    pieces, first = [], True
    for response_id, values in responses(survey):
        pieces.append(("" if first else ",") + "\n" + json.dumps(
            {"id": response_id, "answers": values}, ensure_ascii=False))
        first = False
        if len(pieces) >= responses_per_chunk:
            yield "".join(pieces)
            pieces = []
    yield "".join(pieces) + "\n]}\n"


@bp.route("/manage/surveys/<slug>/responses.json")
def responses_json(slug: str):
    survey = _survey_for_staff_or_404(slug)
    return Response(
        stream_with_context(piece.encode("utf-8") for piece in json_chunks(survey)),
        mimetype="application/json",
        headers={"Content-Disposition": f"attachment; filename=antworten-{survey.slug}.json",
                 "Cache-Control": "no-store"})
