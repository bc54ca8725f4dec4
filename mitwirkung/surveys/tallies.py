"""Running counts of the answer rows that results count (survey_tallies), so that the
results page of 50,000 responses reads a few hundred rows instead of 1.6 million.

A tally counts the answer rows of a question with one key: statement, option, number and
whether the row holds a text, exactly what results group answers by. It changes in the
transaction of the write it counts, never later, so tallies and counted answers agree at
every commit:

- not anonymous: every response counts at once; storage.py adds the rows of a response
  it writes without a mix, and subtracts the old rows of a response that is changed or
  erased (`add`, `change`);
- anonymous: a response counts only once its mix counts, one step late; the mix that
  moves `mixes_counted` on adds the groups it passes with one INSERT ... SELECT
  (`add_mixes`), as votes count online_tallies. The seal mixes the newest group again
  only while it is not counted yet, so nothing is counted twice;
- the demo writes mixes directly and calls `recount`, which rebuilds a survey's tallies
  from its counted answers; `from_answers` is what an integrity check compares
  `stored` with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from . import services
from .models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse, SurveyTally

# (question id, statement id or 0, option id or 0, has number, number or 0, has text): the
# primary key (models.SurveyTally says why "none" is 0 there).
Key = tuple[int, int, int, bool, float, bool]
KEY_COLUMNS = ("question_id", "statement_id", "option_id", "has_number", "number", "has_text")


def _key(row) -> Key:
    """The key of an answer row (question id, statement id, option id, number, text)."""
    question_id, statement_id, option_id, number, text = row
    return (question_id, statement_id or 0, option_id or 0, number is not None,
            float(number or 0), text is not None)


def _upsert(statement):
    """`statement` (an INSERT into survey_tallies) adding to the counts that exist."""
    return statement.on_conflict_do_update(
        index_elements=KEY_COLUMNS,
        set_={"count": SurveyTally.__table__.c["count"] + statement.excluded["count"]})


def _insert():
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(SurveyTally.__table__)


# One statement per dialect, run with many rows of parameters: the same SQL whatever the
# rows (compiled once; a multi-row VALUES would be compiled anew for every response).
_ADD_ROWS = {name: _upsert(dialect.insert(SurveyTally.__table__))
             for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))}


def add(rows: Iterable, sign: int = 1) -> None:
    """Add answer rows to the tallies (sign -1: take them away): one statement, executed
    for each key the rows have."""
    _write(_counts(rows, sign))


def change(old: Iterable, new: Iterable) -> None:
    """A response's rows `old` replaced by `new`: only the difference is written."""
    counts = _counts(new, 1)
    counts.subtract(_counts(old, 1))
    _write(counts)


def _counts(rows: Iterable, sign: int) -> Counter:
    counts: Counter = Counter()
    for row in rows:
        counts[_key(row)] += sign
    return counts


def _write(counts: Counter) -> None:
    # Sorted, so that concurrent sends on PostgreSQL lock the rows they share in the same
    # order and never wait for each other in a circle. Keys whose count does not change
    # are left alone (and so not locked).
    values = [dict(zip((*KEY_COLUMNS, "count"), (*key, count), strict=True))
              for key, count in sorted(counts.items()) if count]
    if values:
        db.session.execute(_ADD_ROWS[db.session.get_bind().dialect.name], values)


def _grouped(query):
    """`query` (selecting from answer rows, restricted) as the tallies' rows: key, count."""
    answer = SurveyAnswer
    has_text = answer.text.is_not(None)
    return query.add_columns(
        answer.question_id, func.coalesce(answer.statement_id, 0),
        func.coalesce(answer.option_id, 0), answer.number.is_not(None),
        func.coalesce(answer.number, 0), has_text, func.count(),
    ).group_by(answer.question_id, answer.statement_id, answer.option_id, answer.number,
               has_text)


def add_mixes(survey_id: int, after: int, upto: int) -> None:
    """Add the answers of an anonymous survey's mixes after `after` up to `upto`: ONE
    statement, reaching the answers through the responses of those mixes (their index
    survey_id, mix), so its cost follows the size of the groups, not of the survey."""
    if upto <= after:
        return
    query = _grouped(select().select_from(SurveyResponse).join(
        SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id).where(
        SurveyResponse.survey_id == survey_id, SurveyResponse.mix > after,
        SurveyResponse.mix <= upto))
    db.session.execute(_upsert(_insert().from_select((*KEY_COLUMNS, "count"), query)))


def _counted_answers(survey: Survey):
    return _grouped(select().where(SurveyAnswer.survey_id == survey.id,
                                   services.counted(survey)))


def recount(survey: Survey) -> None:
    """Rebuild the survey's tallies from the answers it counts now: for writers that put
    answer rows in place directly (the demo's mixes), and to repair."""
    db.session.execute(delete(SurveyTally).where(SurveyTally.question_id.in_(
        select(SurveyQuestion.id).where(SurveyQuestion.survey_id == survey.id))))
    db.session.execute(_insert().from_select((*KEY_COLUMNS, "count"),
                                             _counted_answers(survey)))


def from_answers(survey: Survey) -> dict[Key, int]:
    """What the tallies should hold, counted from the answers (a full read: for checks)."""
    return {tuple(key): count for *key, count in db.session.execute(_counted_answers(survey))}


def stored(survey: Survey) -> dict[Key, int]:
    """What the tallies hold, but for counts that went back to 0 (a changed response)."""
    columns = [getattr(SurveyTally, name) for name in KEY_COLUMNS]
    return {tuple(key): count for *key, count in db.session.execute(
        select(*columns, SurveyTally.count).join(
            SurveyQuestion, SurveyQuestion.id == SurveyTally.question_id)
        .where(SurveyQuestion.survey_id == survey.id, SurveyTally.count != 0))}


def histogram(survey: Survey) -> dict[int, list[tuple]]:
    """question id -> its histogram rows (statement, option, number, count, texts) as
    results/statistics.py reads them, from the tallies (None for none again). `texts`:
    how many of the rows hold a text (a free text, or a "Sonstiges" option's text)."""
    rows: dict[int, dict[tuple, list[int]]] = {}
    for (question_id, statement_id, option_id, has_number, number, has_text), count \
            in stored(survey).items():
        found = rows.setdefault(question_id, {}).setdefault(
            (statement_id or None, option_id or None, number if has_number else None), [0, 0])
        found[0] += count
        found[1] += count if has_text else 0
    return {question_id: [(*key, count, texts) for key, (count, texts) in found.items()]
            for question_id, found in rows.items()}
