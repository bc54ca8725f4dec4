"""The write of one online ballot: its participation and, beside it, the ballot in the inbox.

Casting is the platform's hottest path, so its writes are statements built once and run
with parameters. On PostgreSQL every round trip to the server costs the app about 0.1 ms
of CPU in the driver, so the write goes as one statement there (a data-modifying CTE;
measured in docs/benchmarks.md). SQLite has neither round trips (it runs in the app's
process) nor data-modifying CTEs: it keeps plain statements.

Either way the participation's unique constraint decides: a second try of the same
account fails as a whole with IntegrityError and writes nothing. And either way the
participation is written only while the vote's `box_version` is the one the ballot was
checked against (votes/casting/ballot_box.py); otherwise nothing is written at all. The
ballot is neither counted nor a ballot yet: a mix does both, with k others
(votes/casting/mixing.py).
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import Date, Integer, bindparam, func, select, text
from sqlalchemy.orm import Session

from ..models import InboxBallot, Participation, Vote, new_ballot_id

# (question id, option id or None for blank) per question of the vote
Choices = list[tuple[int, int | None]]


def write_online_ballot(session: Session, vote_id: int, box_version: str, user_id: int,
                        voted_on: date, choices: Choices) -> int | None:
    """Record the participation and put the ballot in the vote's inbox. Returns how many
    ballots of the vote now wait there, this one included; None, with nothing written,
    when the vote's set-up is no longer at `box_version`."""
    params = {"vote_id": vote_id, "box_version": box_version, "user_id": user_id,
              "voted_on": voted_on, "inbox_id": new_ballot_id()}
    if session.get_bind().dialect.name == "postgresql":
        return session.execute(_IN_ONE_STATEMENT, params | {"choices": json.dumps(choices)}
                               ).scalar()
    if session.execute(_INSERT_PARTICIPATION, params).rowcount == 0:
        return None
    return session.execute(_INSERT_INBOX, {"id": params["inbox_id"], "vote_id": vote_id,
                                           "choices": choices, "of_vote": vote_id}).scalar()


_INSERT_PARTICIPATION = Participation.__table__.insert().from_select(
    ["vote_id", "user_id", "voted_on"],
    select(Vote.id, bindparam("user_id", type_=Integer), bindparam("voted_on", type_=Date))
    .where(Vote.id == bindparam("vote_id"), Vote.box_version == bindparam("box_version")),
)
# SQLite counts the inbox, this ballot included, in the insert's RETURNING clause.
_INSERT_INBOX = InboxBallot.__table__.insert().returning(
    select(func.count()).select_from(InboxBallot)
    .where(InboxBallot.vote_id == bindparam("of_vote")).scalar_subquery())

# Data-modifying CTEs all run, each once; a failing one (the participation's unique
# constraint) fails the whole statement. Everything hangs on the participation, which is
# written only if the vote is still at the box version. The key-share lock is the one every
# ballot's foreign key takes anyway: it waits while staff lock the vote to change its
# questions, or a mix to seal it, and then sees their new version. The count in RETURNING
# sees the inbox as the statement began, without this ballot.
_IN_ONE_STATEMENT = text(f"""
WITH box AS (
    SELECT id FROM {Vote.__tablename__}
    WHERE id = :vote_id AND box_version = :box_version
    FOR KEY SHARE
), participation AS (
    INSERT INTO {Participation.__tablename__} (vote_id, user_id, voted_on)
    SELECT id, :user_id, :voted_on FROM box
    RETURNING vote_id
)
INSERT INTO {InboxBallot.__tablename__} (id, vote_id, choices)
SELECT :inbox_id, vote_id, CAST(:choices AS JSON) FROM participation
RETURNING (SELECT COUNT(*) FROM {InboxBallot.__tablename__} WHERE vote_id = :vote_id) + 1
""")
