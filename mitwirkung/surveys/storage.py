"""Writing responses as rows: the one place that knows the shape of survey_responses and
survey_answers. Sending (directly, or through the inbox and a mix), the demo and the
benchmark's seed all write through `insert_responses`. What counts at once (a response
without a mix) goes into the tallies here too, in the same transaction (tallies.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select

from ..extensions import db
from . import tallies
from .models import SurveyAnswer, SurveyResponse, new_response_id

# (question id, statement id, option id, number, text): surveys/answers.response_rows
AnswerRow = Sequence


@dataclass(frozen=True)
class NewResponse:
    rows: list[AnswerRow]
    user_id: int | None = None
    mix: int | None = None
    sent_on: date | None = None
    id: str | None = None


def insert_responses(survey_id: int, responses: list[NewResponse]) -> list[str]:
    """Write responses and their answer rows in two statements, and count those without a
    mix (a survey that is not anonymous) in a third; returns their ids (new random ones
    unless given). Mixed responses count when their mix does (answering/mixing.py)."""
    ids = [response.id or new_response_id() for response in responses]
    if not responses:
        return ids
    db.session.execute(SurveyResponse.__table__.insert(), [
        {"id": response_id, "survey_id": survey_id, "user_id": response.user_id,
         "mix": response.mix, "sent_on": response.sent_on}
        for response_id, response in zip(ids, responses, strict=True)])
    answers = [answer for response_id, response in zip(ids, responses, strict=True)
               for answer in _answers(survey_id, response_id, response.rows, response.mix)]
    if answers:
        db.session.execute(SurveyAnswer.__table__.insert(), answers)
    tallies.add(row for response in responses if response.mix is None for row in response.rows)
    return ids


def replace_answers(survey_id: int, response_id: str, rows: list[AnswerRow],
                    sent_on: date) -> None:
    """Put new answer rows in place of a (not anonymous) response's old ones; the tallies
    change by the difference."""
    old = db.session.execute(delete(SurveyAnswer).where(SurveyAnswer.response_id == response_id)
                             .returning(*_ROW)).all()
    db.session.execute(SurveyResponse.__table__.update()
                       .where(SurveyResponse.id == response_id).values(sent_on=sent_on))
    if rows:
        db.session.execute(SurveyAnswer.__table__.insert(),
                           _answers(survey_id, response_id, rows, None))
    tallies.change(old, rows)


def delete_responses_of(user_id: int) -> None:
    """Delete an account's responses (never mixed: anonymous ones have no account), taking
    their answers out of the tallies."""
    own = select(SurveyResponse.id).where(SurveyResponse.user_id == user_id)
    old = db.session.execute(delete(SurveyAnswer).where(SurveyAnswer.response_id.in_(own))
                             .returning(*_ROW)).all()
    tallies.add(old, sign=-1)
    db.session.execute(delete(SurveyResponse).where(SurveyResponse.user_id == user_id))


_ROW = (SurveyAnswer.question_id, SurveyAnswer.statement_id, SurveyAnswer.option_id,
        SurveyAnswer.number, SurveyAnswer.text)


def _answers(survey_id: int, response_id: str, rows: list[AnswerRow], mix: int | None
             ) -> list[dict]:
    return [{"response_id": response_id, "seq": seq, "survey_id": survey_id,
             "question_id": row[0], "statement_id": row[1], "option_id": row[2],
             "number": row[3], "text": row[4], "mix": mix}
            for seq, row in enumerate(rows)]
