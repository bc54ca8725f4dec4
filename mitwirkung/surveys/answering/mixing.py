"""Mixing anonymous responses: they leave the inbox for the responses in groups of at least
k, in random order and under new random ids, and each group is counted one step late.

The same mechanism as the ballots' (votes/casting/mixing.py, docs/secrecy.md, section
"Umfragen"), with what is generic in core/mixing.py. Sending writes the participation and
the response's answer rows in the inbox in one transaction (answering/services.py); once
k responses of the survey wait, one new transaction moves them, shuffled, into
survey_responses and survey_answers with a mix number and deletes them from the inbox
(SQLite overwrites deleted rows, PostgreSQL runs VACUUM right after). Results count the
mixes up to `survey.mixes_counted`, which lags one mix behind (services.counted), so
every change of the results is at least k responses; the mix that moves it on adds the
groups it passes to the tallies results read, in its own transaction (tallies.py).

After the close, the first results read seals the survey (`seal_if_closed`): whatever
still waits joins the newest group, not counted yet, the two are mixed again as one, and
everything is counted. Nothing is sent after that: a send checks `sealed_at` in the same
statement that writes its participation.

With k = 1 every response is mixed and counted at once, alone.
"""

from __future__ import annotations

from collections import defaultdict

from flask import current_app
from sqlalchemy import bindparam, delete, select

from ...core import backlogs
from ...core.database import own_transaction
from ...core.mixing import (
    is_due,
    lock_state,
    mix_apart,
    shuffled_with_new_ids,
    state_lock,
    vacuum,
)
from ...core.mixing import mix as mix_once
from ...core.time import utcnow
from ...extensions import db
from .. import tallies
from ..models import Survey, SurveyAnswer, SurveyInbox, SurveyPhase, SurveyResponse
from ..services import phase
from ..storage import NewResponse, insert_responses

# The answer rows of one response: [question id, statement id, option id, number, text]
Rows = list[list]

backlogs.register("survey_responses_waiting_for_mix",
                  "Anonymous survey responses sent and waiting for their mix",
                  backlogs.rows(SurveyInbox))


def mix_size() -> int:
    """k for surveys: SURVEY_MIX_SIZE, or BALLOT_MIX_SIZE when that is not set."""
    config = current_app.config
    return config.get("SURVEY_MIX_SIZE") or config["BALLOT_MIX_SIZE"]


def mix_if_due(survey_id: int, waiting: int) -> None:
    """After a send has committed: mix the survey's inbox if `waiting` says so. A failing
    mix is logged, not raised: the response is safe in the inbox for the next mix."""
    if not is_due(waiting, mix_size()):
        return
    mix_apart(lambda: _mix(survey_id, final=False), "(SKIP_LOCKED, TRUNCATE false) survey_inbox",
              f"survey {survey_id}", "responses")


def seal_if_closed(survey: Survey) -> bool:
    """Once an anonymous survey has closed: mix and count whatever still waits, and seal
    it. True if this call sealed it. The results (page, exports) call this before they
    count; for a survey that is not anonymous, or not closed, it does nothing."""
    if (not survey.anonymous or survey.sealed_at is not None
            or phase(survey) != SurveyPhase.CLOSED):
        return False
    with own_transaction():
        mixed_again = _mix(survey.id, final=True)
    db.session.refresh(survey)
    vacuum("(TRUNCATE false) survey_inbox, survey_responses, survey_answers" if mixed_again
           else "(TRUNCATE false) survey_inbox")
    return True


class _ResponseInbox:
    """A survey's inbox as core/mixing.py's mix handles it."""

    def __init__(self, survey_id: int):
        self.survey_id = survey_id

    def lock(self, wait: bool):
        return lock_state(_STATE, self.survey_id, wait)

    def take_inbox(self) -> list[Rows]:
        return _take_inbox(self.survey_id)

    def take_group(self, mix: int) -> list[Rows]:
        return _take_group(self.survey_id, mix)

    def insert(self, responses: list[Rows], mix: int) -> None:
        _insert(self.survey_id, responses, mix)

    def finish(self, mixes: int, counted: int, upto: int, seal: bool) -> None:
        _finish(self.survey_id, mixes, counted, upto,
                **({"sealed_at": utcnow()} if seal else {}))


def _mix(survey_id: int, final: bool) -> bool:
    """One mix of the survey's inbox (core/mixing.py `mix`); True if it moved responses
    (when `final`: if it moved the newest group again). Runs in the caller's transaction.
    The newest group, mixed again at the seal, was never counted, so it is counted once."""
    return mix_once(_ResponseInbox(survey_id), mix_size(), final)


_STATE = state_lock(Survey, SurveyInbox.survey_id)


_TAKE_INBOX = (delete(SurveyInbox).where(SurveyInbox.survey_id == bindparam("survey_id"))
               .returning(SurveyInbox.rows))


def _take_inbox(survey_id: int) -> list[Rows]:
    """Delete what waits in the survey's inbox and return its answer rows."""
    return list(db.session.scalars(_TAKE_INBOX, {"survey_id": survey_id}))


def _take_group(survey_id: int, mix: int) -> list[Rows]:
    """Delete the responses of one mix with their answers and return their answer rows."""
    found = db.session.execute(
        select(SurveyAnswer.response_id, SurveyAnswer.question_id, SurveyAnswer.statement_id,
               SurveyAnswer.option_id, SurveyAnswer.number, SurveyAnswer.text)
        .where(SurveyAnswer.survey_id == survey_id, SurveyAnswer.mix == mix)
        .order_by(SurveyAnswer.response_id, SurveyAnswer.seq))
    responses: dict[str, Rows] = defaultdict(list)
    for response_id, *row in found:
        responses[response_id].append(row)
    # Responses left empty have no answer rows: they come back as such.
    ids = db.session.scalars(select(SurveyResponse.id).where(
        SurveyResponse.survey_id == survey_id, SurveyResponse.mix == mix)).all()
    db.session.execute(delete(SurveyAnswer).where(SurveyAnswer.survey_id == survey_id,
                                                  SurveyAnswer.mix == mix))
    db.session.execute(delete(SurveyResponse).where(SurveyResponse.survey_id == survey_id,
                                                    SurveyResponse.mix == mix))
    return [responses.get(response_id, []) for response_id in ids]


def _insert(survey_id: int, responses: list[Rows], mix: int) -> None:
    """Write the responses in random order under new random ids, as mix number `mix`
    (no day, no account: nothing but the mix)."""
    insert_responses(survey_id, [NewResponse(rows=rows, mix=mix, id=response_id)
                                 for response_id, rows in shuffled_with_new_ids(responses)])


def _finish(survey_id: int, mixes: int, counted: int, upto: int, **values) -> None:
    """Add the mixes after `counted` up to `upto` to the tallies, once each, and record
    the survey's new mixing state (and `values`, when sealing)."""
    tallies.add_mixes(survey_id, after=counted, upto=upto)
    surveys = Survey.__table__
    db.session.execute(surveys.update().where(surveys.c.id == survey_id).values(
        mixes=mixes, mixes_counted=upto, **values))
