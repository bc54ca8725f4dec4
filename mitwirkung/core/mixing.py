"""What every inbox-and-mix keeps the same (docs/secrecy.md): when a mix is due, running
one in a transaction of its own, shuffling what it moves under new random ids, and
clearing deleted rows from PostgreSQL's pages.

Votes mix ballots (votes/casting/mixing.py), anonymous surveys mix responses
(surveys/answering/mixing.py); each knows its own tables, this module none.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Callable
from typing import TypeVar

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
