"""The writes of a sent response: the participation, which decides "once", and, for an
anonymous survey, the response in the inbox beside it, apart from the account.

Both are written only while the survey is not sealed; on PostgreSQL the statement waits
while a mix seals it (answering/mixing.py) and then sees it sealed. An anonymous response
goes there as one statement (a data-modifying CTE, as votes/casting/writes.py casts a
ballot): atomic on its own, so the request needs no transaction and saves five round trips.
SQLite has neither round trips nor data-modifying CTEs: it runs the plain statements in
the request's write transaction.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import Date, Integer, String, bindparam, func, select, text
from sqlalchemy.exc import IntegrityError

from ...core.database import is_unique_violation
from ...extensions import db
from ..models import Survey, SurveyInbox, SurveyParticipation, new_response_id


class NotWritten(Exception):
    """Nothing was written: `already` if this account or browser has answered, else the
    survey is sealed or gone."""

    def __init__(self, already: bool):
        super().__init__()
        self.already = already


def participate(survey_id: int, user_id: int | None, browser: str | None,
                today: date) -> None:
    """The participation alone (a response that is not anonymous follows it); NotWritten."""
    _written(lambda: db.session.execute(_PARTICIPATE, {
        "survey_id": survey_id, "user_id": user_id, "browser_key": browser,
        "answered_on": today}).scalar())


def into_inbox(survey_id: int, user_id: int | None, browser: str | None, today: date,
               rows: list) -> int:
    """The participation and the anonymous response in the inbox; how many responses of
    the survey wait there now, this one included. NotWritten."""
    params = {"survey_id": survey_id, "user_id": user_id, "browser_key": browser,
              "answered_on": today, "inbox_id": new_response_id(),
              "rows": [list(row) for row in rows]}
    if db.session.get_bind().dialect.name == "postgresql":
        return _written(lambda: db.session.execute(
            _IN_ONE_STATEMENT, params | {"rows": json.dumps(params["rows"])}).scalar())
    participate(survey_id, user_id, browser, today)
    db.session.execute(SurveyInbox.__table__.insert(), {
        "id": params["inbox_id"], "survey_id": survey_id, "rows": params["rows"]})
    return db.session.scalar(_WAITING, {"survey_id": survey_id})


def _written(write):
    """What `write` returns; NotWritten when a unique constraint refused it (already), or
    it returned nothing or met a missing survey (sealed or gone)."""
    try:
        result = write()
    except IntegrityError as error:
        raise NotWritten(already=is_unique_violation(error)) from error
    if result is None:
        raise NotWritten(already=False)
    return result


_PARTICIPATE = SurveyParticipation.__table__.insert().from_select(
    ["survey_id", "user_id", "browser_key", "answered_on"],
    select(Survey.id, bindparam("user_id", type_=Integer),
           bindparam("browser_key", type_=String), bindparam("answered_on", type_=Date))
    .where(Survey.id == bindparam("survey_id"), Survey.sealed_at.is_(None))
    .with_for_update(read=True, key_share=True)
).returning(SurveyParticipation.id)

_WAITING = select(func.count()).select_from(SurveyInbox).where(
    SurveyInbox.survey_id == bindparam("survey_id"))

# Everything hangs on the participation, written only while the survey is not sealed; a
# failing part (the participation's unique constraints) fails the whole statement. The
# count in RETURNING sees the inbox as the statement began, without this response.
_IN_ONE_STATEMENT = text(f"""
WITH open_survey AS (
    SELECT id FROM {Survey.__tablename__}
    WHERE id = :survey_id AND sealed_at IS NULL
    FOR KEY SHARE
), participation AS (
    INSERT INTO {SurveyParticipation.__tablename__} (survey_id, user_id, browser_key,
                                                     answered_on)
    SELECT id, CAST(:user_id AS INTEGER), CAST(:browser_key AS VARCHAR),
           CAST(:answered_on AS DATE)
    FROM open_survey
    RETURNING survey_id
)
INSERT INTO {SurveyInbox.__tablename__} (id, survey_id, rows)
SELECT :inbox_id, survey_id, CAST(:rows AS JSON) FROM participation
RETURNING (SELECT COUNT(*) FROM {SurveyInbox.__tablename__} WHERE survey_id = :survey_id) + 1
""")
