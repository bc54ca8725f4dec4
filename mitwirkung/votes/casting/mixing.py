"""Mixing: online ballots leave the inbox for the ballots in groups of at least k, in random
order, and each group is counted one step late.

Why (docs/secrecy.md): a cast writes its participation and its ballot in one transaction,
so that a ballot with a receipt is never lost and the participation's unique constraint
decides double votes. Whoever reads the database can pair those two rows: on PostgreSQL
they carry the same transaction id, on SQLite neighbouring rowids. So the ballot waits in
the inbox only until k ballots of its vote wait. Then one new transaction moves them,
shuffled and under new random ids, into the ballots, deletes them from the inbox for
good (PostgreSQL: VACUUM right after; SQLite: secure_delete) and counts the group before.

Counting a group late makes every change of the results at least k ballots, also at the
close, when the last, smaller remainder joins the newest group, still uncounted, and the
two are mixed again as one. That final mix seals the vote: nothing is cast after it.

Each mix is one transaction of its own: a crash inside it leaves the inbox as it was, for
the next mix. With k = 1 every ballot is mixed and counted at once, alone.
"""

from __future__ import annotations

from collections import defaultdict

from flask import current_app
from sqlalchemy import bindparam, delete, select, text

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
from ..models import (
    AnswerKind,
    Ballot,
    BallotAnswer,
    BallotChannel,
    InboxBallot,
    Vote,
    VotePhase,
    new_box_version,
)
from ..services import phase

# (question id, option id or None for blank) per question of one ballot
Choices = list[list[int | None]]

backlogs.register("ballots_waiting_for_mix", "Online ballots cast and waiting for their mix",
                  backlogs.rows(InboxBallot))


def mix_size() -> int:
    """k, the smallest group a ballot is mixed and counted in."""
    return current_app.config["BALLOT_MIX_SIZE"]


def mix_if_due(vote_id: int, waiting: int) -> None:
    """After a cast: mix the vote's inbox if `waiting` says so. A mix that fails is logged,
    not raised: the voter's ballot is safe in the inbox and the next mix takes it."""
    if not is_due(waiting, mix_size()):
        return
    # The VACUUM skips the inbox if another VACUUM of it runs (that clears most of ours
    # too, and the next mix the rest); it never waits for the lock that shrinking the
    # file needs.
    mix_apart(lambda: _mix(vote_id, final=False), "(SKIP_LOCKED, TRUNCATE false) ballot_inbox",
              f"vote {vote_id}", "ballots")


def seal_if_closed(vote: Vote) -> bool:
    """Once the vote has closed: mix and count whatever still waits, and seal it. True if
    this call sealed it. Results (page, JSON, CLI) ask for this before they count."""
    if vote.sealed_at is not None or phase(vote) != VotePhase.CLOSED:
        return False
    with own_transaction():
        mixed_again = _mix(vote.id, final=True)
    db.session.refresh(vote)
    # Without shrinking the files: that waits up to 5 s for a lock every cast takes.
    vacuum("(TRUNCATE false) ballot_inbox, ballots, ballot_answers" if mixed_again
           else "(TRUNCATE false) ballot_inbox")
    return True


class _BallotInbox:
    """A vote's inbox as core/mixing.py's mix handles it."""

    def __init__(self, vote_id: int):
        self.vote_id = vote_id

    def lock(self, wait: bool):
        return lock_state(_STATE, self.vote_id, wait)

    def take_inbox(self) -> list[Choices]:
        return _take_inbox(self.vote_id)

    def take_group(self, mix: int) -> list[Choices]:
        return _take_group(self.vote_id, mix)

    def insert(self, ballots: list[Choices], mix: int) -> None:
        _insert(self.vote_id, ballots, mix)

    def finish(self, mixes: int, counted: int, upto: int, seal: bool) -> None:
        sealing = {"sealed_at": utcnow(), "box_version": new_box_version()} if seal else {}
        _finish(self.vote_id, mixes, counted, upto, **sealing)


def _mix(vote_id: int, final: bool) -> bool:
    """One mix of the vote's inbox (core/mixing.py `mix`); True if it moved ballots (when
    `final`: if it moved the newest group again). Runs in the caller's transaction."""
    return mix_once(_BallotInbox(vote_id), mix_size(), final)


_STATE = state_lock(Vote, InboxBallot.vote_id)


_TAKE_INBOX = (delete(InboxBallot).where(InboxBallot.vote_id == bindparam("vote_id"))
               .returning(InboxBallot.choices))


def _take_inbox(vote_id: int) -> list[Choices]:
    """Delete what waits in the vote's inbox and return its choices."""
    return list(db.session.scalars(_TAKE_INBOX, {"vote_id": vote_id}))


def _take_group(vote_id: int, mix: int) -> list[Choices]:
    """Delete the ballots of one mix (their answers go with them) and return their choices."""
    rows = db.session.execute(
        select(BallotAnswer.ballot_id, BallotAnswer.question_id, BallotAnswer.option_id)
        .join(Ballot, Ballot.id == BallotAnswer.ballot_id)
        .where(Ballot.vote_id == vote_id, Ballot.mix == mix)
    )
    ballots: dict[str, Choices] = defaultdict(list)
    for ballot_id, question_id, option_id in rows:
        ballots[ballot_id].append([question_id, option_id])
    db.session.execute(delete(Ballot).where(Ballot.vote_id == vote_id, Ballot.mix == mix))
    return list(ballots.values())


def _unzip(pairs: list[tuple[str, Choices]]) -> tuple[list[str], list[Choices]]:
    return [ballot_id for ballot_id, _ballot in pairs], [ballot for _id, ballot in pairs]


def _kind(option_id: int | None) -> str:
    return str(AnswerKind.OPTION if option_id else AnswerKind.BLANK)


def _insert(vote_id: int, ballots: list[Choices], mix: int) -> None:
    """Write the ballots in random order under new random ids, as mix number `mix`."""
    ids, ballots = _unzip(shuffled_with_new_ids(ballots))
    if db.session.get_bind().dialect.name == "postgresql":
        _insert_as_arrays(vote_id, ids, ballots, mix)
        return
    db.session.execute(Ballot.__table__.insert(), [
        {"id": ballot_id, "vote_id": vote_id, "channel": BallotChannel.ONLINE, "batch_id": None,
         "serial": None, "voided": False, "mix": mix}
        for ballot_id in ids
    ])
    db.session.execute(BallotAnswer.__table__.insert(), [
        {"ballot_id": ballot_id, "question_id": question_id, "option_id": option_id,
         "kind": _kind(option_id)}
        for ballot_id, choices in zip(ids, ballots, strict=True)
        for question_id, option_id in choices
    ])


# PostgreSQL: ballots and answers in one statement and one round trip, from arrays in the
# order of the shuffle (unnest keeps it), so the SQL is the same for any number of ballots.
_INSERT_AS_ARRAYS = text(f"""
WITH mixed AS (
    INSERT INTO ballots (id, vote_id, channel, voided, mix)
    SELECT id, :vote_id, '{BallotChannel.ONLINE}', false, :mix
    FROM unnest(CAST(:ids AS VARCHAR[])) WITH ORDINALITY AS shuffled (id, place)
    ORDER BY place
)
INSERT INTO ballot_answers (ballot_id, question_id, option_id, kind)
SELECT ballot_id, question_id, option_id, kind
FROM unnest(CAST(:ballot_ids AS VARCHAR[]), CAST(:question_ids AS INTEGER[]),
            CAST(:option_ids AS INTEGER[]), CAST(:kinds AS VARCHAR[]))
     WITH ORDINALITY AS answers (ballot_id, question_id, option_id, kind, place)
ORDER BY place
""")


def _insert_as_arrays(vote_id: int, ids: list[str], ballots: list[Choices], mix: int) -> None:
    answers = [(ballot_id, question_id, option_id, _kind(option_id))
               for ballot_id, choices in zip(ids, ballots, strict=True)
               for question_id, option_id in choices]
    ballot_ids, question_ids, option_ids, kinds = (list(column) for column in zip(*answers,
                                                                                   strict=True))
    db.session.execute(_INSERT_AS_ARRAYS, {
        "vote_id": vote_id, "mix": mix, "ids": ids, "ballot_ids": ballot_ids,
        "question_ids": question_ids, "option_ids": option_ids, "kinds": kinds})


_COUNT = text(f"""
INSERT INTO online_tallies (question_id, choice, shard, count)
SELECT answer.question_id,
       COALESCE(CAST(answer.option_id AS VARCHAR(16)), '{AnswerKind.BLANK}'), 0, COUNT(*)
FROM ballot_answers AS answer JOIN ballots AS ballot ON ballot.id = answer.ballot_id
WHERE ballot.vote_id = :vote_id AND ballot.mix > :after AND ballot.mix <= :upto
GROUP BY answer.question_id, answer.option_id
ON CONFLICT (question_id, choice, shard) DO UPDATE SET count = online_tallies.count + excluded.count
""")


def _finish(vote_id: int, mixes: int, counted: int, upto: int, **values) -> None:
    """Add the groups after `counted` up to `upto` to the online tallies, once each, and
    record the vote's new mixing state (and `values`, when sealing)."""
    if upto > counted:
        db.session.execute(_COUNT, {"vote_id": vote_id, "after": counted, "upto": upto})
    votes = Vote.__table__
    db.session.execute(votes.update().where(votes.c.id == vote_id).values(
        mixes=mixes, mixes_counted=max(upto, counted), **values))

