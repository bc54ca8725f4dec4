"""A number that changes with every committed write that may change what a visitor's page
shows, so a page kept for visitors (core/page_cache.py) is exact the moment anything it
shows changes: an idea, a support, a comment, a moderation decision, a setting.

It is decided below the features, where every statement passes (ORM flushes, Core and
text statements, the command line): after a write to a table that pages may show, the same
transaction stores a new random number in the one-row table `content_version`. Random, not
counted up, so a restored backup or a rolled-back test never brings an old number back.
Tables whose writes no page for visitors shows (ballots, survey answers, the audit log ...)
are declared by their features with `unseen()`: casting and answering, the busy writes,
never touch the row. A write that cannot be placed counts as seen.

Order matters only where a write commits on its own (PostgreSQL's autocommit requests,
core/database.py reads_first): there the number is stored after the write, so whoever
reads the new number reads the new content; a page read in between is kept under the old
number, which nobody asks for again.
"""

from __future__ import annotations

import re
import secrets

from flask import g, has_request_context
from sqlalchemy import DDL, BigInteger, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

# Set to True in a connection's info to write without touching the number (migrations run
# before its table exists).
OFF = "content_version_off"
_STORED = "content_version_stored"  # in a connection's info: stored in this transaction


class ContentVersion(db.Model):
    """The one row: the number of what visitors see now."""

    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


event.listen(ContentVersion.__table__, "after_create",
             DDL("INSERT INTO content_version (id, version) VALUES (1, 1)"))

_CURRENT = select(ContentVersion.__table__.c.version).where(
    ContentVersion.__table__.c.id == 1)

_unseen: set[str] = {ContentVersion.__tablename__}


def unseen(*models) -> None:
    """Declare that writes to the tables of `models` never change a page kept for visitors
    (core/page_cache.py): revisit when a page that shows them is kept."""
    _unseen.update(model.__tablename__ for model in models)


def current() -> int | None:
    """The number now (None without its row: then nothing may be kept); noted for the
    request."""
    version = db.session.execute(_CURRENT).scalar()
    note(version)
    return version


def column():
    """The number as a column, for a request to read it with a query it runs anyway (then
    `note` it)."""
    return _CURRENT.scalar_subquery()


def note(version: int | None) -> None:
    """Remember the number this request read, for what is kept per process under it (the
    settings a page shows: pages/settings.py)."""
    if has_request_context():
        g.content_version = version


def noted() -> int | None:
    """The number this request read, or None if it read none."""
    return g.get("content_version") if has_request_context() else None


# The statements --------------------------------------------------------------------------

_WRITES = ("insert", "update", "delete", "replace", "with")
# Each table a statement writes to; `update` needs its SET, so neither "FOR UPDATE" nor
# "DO UPDATE SET" of an upsert counts as a table.
_TARGETS = re.compile(
    r'\b(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|delete\s+from)\s+"?(\w+)'
    r'|\bupdate\s+"?(\w+)"?\s+set\b', re.IGNORECASE)


def shows(statement: str) -> bool:
    """True when `statement` writes to a table that a page for visitors may show."""
    head = statement.lstrip()[:7].lower()
    if not head.startswith(_WRITES):
        return False
    targets = {name.lower() for pair in _TARGETS.findall(statement) for name in pair if name}
    known = targets & db.metadata.tables.keys()
    if head.startswith("with") and not known:
        return False  # a query with a WITH clause that writes nowhere
    return not known or bool(known - _unseen)


def _store(cursor) -> None:
    """A new number, through a cursor of its own: the write's cursor may still hold the rows
    it returns. A literal of our own making: no parameter style to match per driver."""
    own = cursor.connection.cursor()
    try:
        own.execute(f"UPDATE content_version SET version = {secrets.randbits(62)} WHERE id = 1")
    finally:
        own.close()


def _after_execute(connection, cursor, statement, _parameters, _context, _executemany):
    info = connection.info
    if info.get(OFF) or not shows(statement):
        return
    autocommit = connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT"
    if autocommit or not info.get(_STORED):
        _store(cursor)
        info[_STORED] = not autocommit


def _transaction_ended(connection, *_args):
    connection.info.pop(_STORED, None)


def watch(engine: Engine) -> None:
    """Store a new number with every write that pages may show, on `engine`."""
    event.listen(engine, "after_cursor_execute", _after_execute)
    # A savepoint's end too: what was stored inside one may be rolled back with it (and the
    # tests' commits are savepoints).
    for name in ("commit", "rollback", "release_savepoint", "rollback_savepoint"):
        event.listen(engine, name, _transaction_ended)

