"""Engine set-up that the models do not express: SQLite pragmas and real transactions."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


def configure_engine(engine: Engine) -> None:
    """Give SQLite foreign keys, WAL, a busy timeout and transactions that can hold SAVEPOINTs."""
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
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _may_write() else "BEGIN")


def _may_write() -> bool:
    """True outside GET/HEAD requests. SQLite cannot turn a read transaction into a write
    once another writer has committed (it fails at once with SQLITE_BUSY), so a request that
    may write takes the write lock up front and waits its turn on busy_timeout instead."""
    from flask import has_request_context, request

    return not has_request_context() or request.method not in ("GET", "HEAD")
