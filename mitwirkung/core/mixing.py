"""What every inbox-and-mix keeps the same (docs/secrecy.md): when a mix is due, the steps
of one mix (and of the sealing mix after the close), locking the owner's mixing state,
running a mix in a transaction of its own, shuffling what it moves under new random ids,
and clearing deleted rows from PostgreSQL's pages.

Votes mix ballots (votes/casting/mixing.py), anonymous surveys mix responses
(surveys/answering/mixing.py); each knows its own tables, this module none.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Callable
from typing import Protocol, TypeVar

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from .database import own_transaction

logger = logging.getLogger(__name__)

T = TypeVar("T")


def is_due(waiting: int, k: int) -> bool:
    """Whether the write that saw `waiting` items in the inbox (itself included) starts a
    mix: the one that makes k, 2k, 3k ... and, once 2k wait, every one. Concurrent writes
    see about the same count, so this keeps all but one of them from trying a mix that
    another process is running already (each try costs a transaction)."""
    return waiting >= k and (waiting % k == 0 or waiting >= 2 * k)


class Inbox(Protocol):
    """One owner's inbox (a vote's ballots, a survey's responses) as a mix handles it."""

    def lock(self, wait: bool):
        """The owner's mixing state, locked (see `state_lock`); None if another mix holds
        it (unless `wait`) or the owner is gone."""

    def take_inbox(self) -> list:
        """Delete what waits in the inbox and return it."""

    def take_group(self, mix: int) -> list:
        """Delete what mix number `mix` moved and return it, as the inbox held it."""

    def insert(self, items: list, mix: int) -> None:
        """Write `items`, shuffled under new ids, as mix number `mix`."""

    def finish(self, mixes: int, counted: int, upto: int, seal: bool) -> None:
        """Count the mixes after `counted` up to `upto` and record the new state (and, when
        `seal`, that nothing is taken any more)."""


def mix(inbox: Inbox, k: int, final: bool) -> bool:
    """One mix of `inbox`, in the caller's transaction: True if it moved anything (when
    `final`: if it mixed the newest group again). A mix moves k or more waiting items as
    the next group and counts the group before it, one step late (with k = 1 every group
    at once). The final mix, after the close, adds the remainder to the newest group while
    that is not counted yet, mixes them again as one, counts everything and seals."""
    state = inbox.lock(wait=final)
    if state is None or state.sealed_at is not None:
        return False  # another process is mixing this inbox right now, or it is sealed
    last, counted = state.mixes, state.mixes_counted
    if not final and state.waiting < k:
        return False  # another mix came first
    waiting = inbox.take_inbox()
    if not final:
        if len(waiting) < k:  # the count was read just before another mix committed
            db.session.rollback()
            return False
        last += 1
        inbox.insert(waiting, last)
        # The newest group waits for the next step, unless groups are single items.
        inbox.finish(last, counted, max(counted, last if k == 1 else last - 1), seal=False)
        return True
    mixed_again = bool(waiting) and last > counted
    if mixed_again:  # the remainder joins the uncounted newest group, mixed as one
        inbox.insert(waiting + inbox.take_group(last), last)
    elif waiting:
        last += 1
        inbox.insert(waiting, last)
    inbox.finish(last, counted, last, seal=True)
    return mixed_again


def state_lock(owner, inbox_owner_column):
    """The statements that read an owner's mixing state (sealed_at, mixes, mixes_counted
    and how many items wait in its inbox) by its id (`:owner_id`), plain and with the two
    locks `lock_state` chooses between."""
    plain = select(
        owner.sealed_at, owner.mixes, owner.mixes_counted,
        select(func.count()).select_from(inbox_owner_column.table)
        .where(inbox_owner_column == owner.id)
        .scalar_subquery().label("waiting"),
    ).where(owner.id == bindparam("owner_id"))
    return (plain, plain.with_for_update(),
            plain.with_for_update(key_share=True, skip_locked=True))


def lock_state(statements, owner_id: int, wait: bool):
    """Lock the owner against other mixes and read its mixing state (None: no such owner,
    or, unless `wait`, another mix holds the lock). On PostgreSQL the sealing mix takes the
    lock that a cast's or send's write waits for (FOR UPDATE against its FOR KEY SHARE),
    so one still running finishes first and a later one finds the owner sealed; the other
    mixes take one that writes pass (FOR NO KEY UPDATE). SQLite runs one write
    transaction at a time."""
    plain, or_wait, or_skip = statements
    query = plain
    if db.session.get_bind().dialect.name == "postgresql":
        query = or_wait if wait else or_skip
    return db.session.execute(query, {"owner_id": owner_id}).first()


def shuffled_with_new_ids(items: list[T]) -> list[tuple[str, T]]:
    """`items` in random order (secrets.SystemRandom), each with a new random id: nothing
    in the order or the ids of what a mix writes says in which order the items came."""
    items = list(items)
    secrets.SystemRandom().shuffle(items)
    return [(uuid.uuid4().hex, item) for item in items]


def mix_apart(mix: Callable[[], bool], vacuum_tables: str, what: str, items: str) -> None:
    """Run `mix` (True if it moved anything) in a transaction of its own, after the write
    that made it due has committed. A mix that fails is logged, not raised: what waits is
    safe in the inbox and the next mix takes it. After a mix that moved something,
    PostgreSQL clears the deleted inbox rows (`vacuum_tables`). `what` names the inbox's
    owner and `items` what waits in it, for the log ("vote 3", "ballots")."""
    try:
        with own_transaction():
            mixed = mix()
    except SQLAlchemyError:
        logger.exception("mixing the inbox of %s failed; its %s wait", what, items)
        return
    if mixed:
        vacuum(vacuum_tables)


def vacuum(tables: str) -> None:
    """PostgreSQL keeps deleted rows in its pages, readable, until VACUUM clears them; it
    cannot run inside a transaction, so it gets a connection of its own. It clears what no
    transaction still running can see; what it leaves, the next mix's VACUUM clears.
    `tables` is the statement's rest, e.g. "(SKIP_LOCKED, TRUNCATE false) ballot_inbox"
    (a constant of the caller, never user input). SQLite needs none: it overwrites deleted
    rows (secure_delete, core/database.py)."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        return
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(f"VACUUM {tables}")
    except SQLAlchemyError:
        logger.exception("VACUUM %s failed; the next mix tries again", tables)
