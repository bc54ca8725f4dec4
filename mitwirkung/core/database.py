"""Engine set-up that the models do not express: SQLite pragmas and real transactions."""

import sqlite3
from contextlib import contextmanager
from functools import wraps

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from ..extensions import db


def configure_engine(engine: Engine) -> None:
    """Give SQLite foreign keys, WAL, a busy timeout, secure deletes and transactions that can
    hold SAVEPOINTs."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not pysqlite, decide when a transaction begins (SQLAlchemy docs,
        # "Serializable isolation / Savepoints / Transactional DDL" for pysqlite).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows are overwritten with zeros: a mixed ballot's inbox row must leave no
        # trace in the file (docs/secrecy.md).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _may_write() else "BEGIN")


def _may_write() -> bool:
    """True outside GET/HEAD requests. SQLite cannot turn a read transaction into a write
    once another writer has committed (it fails at once with SQLITE_BUSY), so a request that
    may write takes the write lock up front and waits its turn on busy_timeout instead."""
    if not has_request_context() or g.get("writes_now"):
        return True
    return request.method not in ("GET", "HEAD") and not g.get("reads_first")


def reads_first(view):
    """For a busy POST that reads, then writes once (casting a ballot), through
    start_writes().

    SQLite: the reads run without the single write lock, which start_writes() takes just
    for the writes. PostgreSQL: the request runs without a transaction, saving the BEGIN
    and COMMIT round trips; its reads need none, and its write must be ONE statement, which
    is atomic on its own (votes/casting/writes.py). Inside an outer transaction (the tests'
    rolled-back one) it changes nothing."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        g.reads_first = True
        bind = db.session.get_bind()
        if (bind.dialect.name == "postgresql" and isinstance(bind, Engine)
                and not db.session().in_transaction()):
            db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        return view(*args, **kwargs)

    return wrapped


def start_writes(transaction: bool = False) -> None:
    """End the reading transaction of a `reads_first` request; the next one takes the lock.
    Outside a request (a service called by a test or command) there is nothing to end.

    `transaction`: the writes are more than one statement that must hold together (a
    support under a per-board limit: a lock, then a count and an insert), so on PostgreSQL
    too they leave the request's autocommit for a transaction of their own, which the
    view's commit ends."""
    if has_app_context() and g.get("reads_first"):
        g.reads_first = False
        if transaction or db.session.get_bind().dialect.name == "sqlite":
            db.session.commit()


@contextmanager
def own_transaction():
    """A write of its own in the middle of a request, a GET's too (a mix of ballots): ends
    the request's transaction so far, runs the block in a new one that takes SQLite's write
    lock up front, and commits it, or rolls it back and re-raises."""
    db.session.commit()
    marked = has_request_context() and not g.get("writes_now")
    if marked:
        g.writes_now = True
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        if marked:
            g.writes_now = False


def is_unique_violation(error: IntegrityError) -> bool:
    """True when a unique constraint failed (not a foreign key or a check)."""
    driver_error = error.orig
    if getattr(driver_error, "sqlstate", None) == "23505":  # PostgreSQL (psycopg)
        return True
    return getattr(driver_error, "sqlite_errorname", "") in (
        "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY")


# SQLite's primary result codes that mean "not now" rather than "wrong query": busy and
# locked (past the busy timeout), an I/O error, a full disk, a file it cannot open. Its
# OperationalError also stands for "no such table" and syntax errors, which are bugs.
_SQLITE_NOT_NOW = {5, 6, 10, 13, 14}


def is_unavailable(error: BaseException | None) -> bool:
    """True when `error` says the database cannot answer now (down, restarting, a broken
    connection, the connection pool exhausted, SQLite locked past its busy timeout), not that
    the request or a query is wrong: the same request may simply be tried again later."""
    if isinstance(error, PoolTimeout):
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if isinstance(error.orig, sqlite3.Error):
        code = getattr(error.orig, "sqlite_errorcode", None)
        return code is not None and code & 0xFF in _SQLITE_NOT_NOW
    # PostgreSQL (psycopg): refused, shutting down, starting up, too many connections,
    # terminated, a serialization failure or deadlock: all worth a retry.
    return isinstance(error, OperationalError)
