"""The writes of one online ballot: participation, ballot, answers and online tallies.

Casting is the platform's hottest path, so its writes are statements built once and run
with parameters. On PostgreSQL every round trip to the server costs the app about 0.1 ms
of CPU in the driver, so the four inserts go as one statement there (data-modifying
CTEs; measured in docs/benchmarks.md). SQLite has neither round trips (it runs in the
app's process) nor data-modifying CTEs: it keeps four plain inserts.

Either way the participation's unique constraint decides: a second try of the same
account fails as a whole with IntegrityError and writes nothing. And either way the
participation is written only while the vote's `box_version` is the one the ballot was
checked against (votes/casting/ballot_box.py); otherwise nothing is written at all.
"""

from __future__ import annotations

import secrets
from datetime import date
from functools import cache

from sqlalchemy import Date, Integer, TextClause, bindparam, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..models import (
    AnswerKind,
    Ballot,
    BallotAnswer,
    BallotChannel,
    OnlineTally,
    Participation,
    Vote,
)

# Online tallies are counted in shards, so concurrent casts rarely wait on the same row.
TALLY_SHARDS = 8

# (question id, option id or None for blank) per question of the vote
Choices = list[tuple[int, int | None]]


def write_online_ballot(session: Session, vote_id: int, box_version: str, user_id: int,
                        voted_on: date, ballot_id: str, choices: Choices) -> bool:
    """Record the participation and, unlinked to it, the ballot with its answers, and
    count the choices in the online tallies. False, with nothing written, when the vote's
    set-up is no longer at `box_version`."""
    shard = secrets.randbelow(TALLY_SHARDS)
    write = (_write_in_one_statement if session.get_bind().dialect.name == "postgresql"
             else _write_in_four_inserts)
    return write(session, vote_id, box_version, user_id, voted_on, ballot_id, shard, choices)


def _kind(option_id: int | None) -> str:
    return AnswerKind.OPTION if option_id else AnswerKind.BLANK


def _tally_choice(option_id: int | None) -> str:
    return str(option_id) if option_id else AnswerKind.BLANK


_INSERT_PARTICIPATION = Participation.__table__.insert().from_select(
    ["vote_id", "user_id", "voted_on"],
    select(Vote.id, bindparam("user_id", type_=Integer), bindparam("voted_on", type_=Date))
    .where(Vote.id == bindparam("vote_id"), Vote.box_version == bindparam("box_version")),
)
_INSERT_BALLOT = Ballot.__table__.insert()
_INSERT_ANSWER = BallotAnswer.__table__.insert()
_COUNT_ONLINE = (
    sqlite_insert(OnlineTally.__table__)
    .values(question_id=bindparam("question_id"), choice=bindparam("choice"),
            shard=bindparam("shard"), count=1)
    .on_conflict_do_update(
        index_elements=["question_id", "choice", "shard"],
        set_={"count": OnlineTally.__table__.c.count + 1},
    )
)


def _write_in_four_inserts(session, vote_id, box_version, user_id, voted_on, ballot_id, shard,
                           choices) -> bool:
    participation = session.execute(_INSERT_PARTICIPATION, {
        "vote_id": vote_id, "box_version": box_version, "user_id": user_id,
        "voted_on": voted_on})
    if participation.rowcount == 0:
        return False
    session.execute(_INSERT_BALLOT, {"id": ballot_id, "vote_id": vote_id,
                                     "channel": BallotChannel.ONLINE, "batch_id": None,
                                     "serial": None, "voided": False})
    session.execute(_INSERT_ANSWER, [
        {"ballot_id": ballot_id, "question_id": question_id, "option_id": option_id,
         "kind": _kind(option_id)}
        for question_id, option_id in choices
    ])
    session.execute(_COUNT_ONLINE, [
        {"question_id": question_id, "choice": _tally_choice(option_id), "shard": shard}
        for question_id, option_id in choices
    ])
    return True


def _write_in_one_statement(session, vote_id, box_version, user_id, voted_on, ballot_id, shard,
                            choices) -> bool:
    params = {"vote_id": vote_id, "box_version": box_version, "user_id": user_id,
              "voted_on": voted_on, "ballot_id": ballot_id, "shard": shard}
    for n, (question_id, option_id) in enumerate(choices):
        params |= {f"question_{n}": question_id, f"option_{n}": option_id,
                   f"kind_{n}": _kind(option_id), f"choice_{n}": _tally_choice(option_id)}
    # The last insert counts one tally row per question, or none if nothing was written.
    return session.execute(_one_statement(len(choices)), params).rowcount > 0


@cache
def _one_statement(question_count: int) -> TextClause:
    """The four inserts as one PostgreSQL statement, for ballots of `question_count`
    questions. Written as SQL text: SQLAlchemy cannot cache a multi-row VALUES built from
    bind parameters and would compile it anew for every ballot."""
    choices = ",\n".join(
        f"(CAST(:question_{n} AS INTEGER), CAST(:option_{n} AS INTEGER),"
        f" CAST(:kind_{n} AS VARCHAR), CAST(:choice_{n} AS VARCHAR))"
        for n in range(question_count)
    )
    # Data-modifying CTEs all run, each once; a failing one (the participation's unique
    # constraint) fails the whole statement. Everything hangs on the participation, which
    # is written only if the vote is still at the box version. The key-share lock is the
    # one every ballot's foreign key takes anyway: it waits while staff lock the vote to
    # change its questions, then sees their new version.
    return text(f"""
WITH box AS (
    SELECT id FROM {Vote.__tablename__}
    WHERE id = :vote_id AND box_version = :box_version
    FOR KEY SHARE
), participation AS (
    INSERT INTO {Participation.__tablename__} (vote_id, user_id, voted_on)
    SELECT id, :user_id, :voted_on FROM box
    RETURNING vote_id
), choices (question_id, option_id, kind, choice) AS (
    VALUES {choices}
), ballot AS (
    INSERT INTO {Ballot.__tablename__} (id, vote_id, channel, voided)
    SELECT :ballot_id, vote_id, 'online', false FROM participation
    RETURNING id
), answers AS (
    INSERT INTO {BallotAnswer.__tablename__} (ballot_id, question_id, option_id, kind)
    SELECT ballot.id, question_id, option_id, kind FROM ballot, choices
)
INSERT INTO {OnlineTally.__tablename__} AS tally (question_id, choice, shard, count)
SELECT question_id, choice, :shard, 1 FROM participation, choices
ON CONFLICT (question_id, choice, shard) DO UPDATE SET count = tally.count + 1
""")
