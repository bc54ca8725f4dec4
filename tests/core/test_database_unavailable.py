"""While the database cannot answer (down, restarting, its connections killed, SQLite locked
past its busy timeout) every request gets 503 with Retry-After and a short page that asks to
try again, never a 500 or a traceback; once the database is back the app answers again by
itself. A locked SQLite database within its busy timeout is waited for.

These apps commit for real, each on a database of its own."""

import socket
import sqlite3
import threading
import time
from contextlib import closing

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from mitwirkung import create_app
from mitwirkung.config import engine_options
from mitwirkung.core.database import is_unavailable
from mitwirkung.extensions import db

from .. import factories
from ..conftest import app_settings

RETRY_TEXT = "Bitte versuchen Sie es in 5 Sekunden noch einmal"


def assert_retry_page(response) -> None:
    """What a person (and `make drills`) sees while the database is away."""
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"  # also where Flask-Limiter sets its own
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert RETRY_TEXT in page and "Der Dienst ist gleich wieder da" in page
    assert "Traceback" not in page and "OperationalError" not in page


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def own_app(tmp_path_factory, url: str, **settings):
    """An app on its own database, with its tables and one account, `anna`."""
    app = create_app(app_settings(tmp_path_factory, url) | settings)
    with app.app_context():
        db.create_all()
        factories.user(username="anna")
        db.session.commit()
    return app


def signed_in_someone(app):
    """A client whose session names an account (the app must ask the database who)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:x"
    return client


def finish(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_every_request_answers_503_while_the_database_server_is_unreachable(tmp_path_factory):
    closed = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/mitwirkung"
    app = create_app(app_settings(tmp_path_factory, closed)
                     | {"SQLALCHEMY_ENGINE_OPTIONS": engine_options(closed)})
    visitor, signed_in = app.test_client(), signed_in_someone(app)
    for client, method, path in [(visitor, "GET", "/"), (signed_in, "GET", "/"),
                                 (visitor, "GET", "/projects/platz"),
                                 (visitor, "POST", "/login"), (signed_in, "POST", "/logout")]:
        response = client.open(path, method=method,
                               data={"login": "anna", "password": "Passwort-123-abc"})
        assert_retry_page(response)
    # Liveness asks nothing of the database; readiness names it.
    assert visitor.get("/health").status_code == 200
    ready = visitor.get("/health/ready")
    assert ready.status_code == 503 and ready.get_data(as_text=True) == "unavailable: database\n"


def test_the_retry_page_speaks_english_to_who_chose_it(tmp_path_factory):
    closed = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/mitwirkung"
    client = create_app(app_settings(tmp_path_factory, closed)).test_client()
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page and "Please try again in 5 seconds." in page


# SQLite ----------------------------------------------------------------------------------

@pytest.fixture
def sqlite_app(tmp_path_factory, tmp_path):
    app = own_app(tmp_path_factory, f"sqlite:///{tmp_path / 'locked.db'}")
    yield app
    finish(app)


def hold_write_lock(path, seconds: float) -> threading.Thread:
    """Take SQLite's write lock from another connection now; let it go after `seconds`."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")

    def release():
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()

    releaser = threading.Thread(target=release)
    releaser.start()
    return releaser


def database_file(app) -> str:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database


def test_a_locked_sqlite_database_is_waited_for(sqlite_app):
    client = sqlite_app.test_client()
    releaser = hold_write_lock(database_file(sqlite_app), 1.0)
    started = time.monotonic()
    # A login writes (its failure count), so it needs the lock the other connection holds.
    response = client.post("/login", data={"login": "anna", "password": "falsch-falsch-1"})
    waited = time.monotonic() - started
    releaser.join()
    assert response.status_code == 200 and "nicht richtig" in response.get_data(as_text=True)
    assert waited >= 0.9


def test_sqlite_locked_past_its_busy_timeout_answers_503_then_recovers(sqlite_app):
    with sqlite_app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def short_timeout(dbapi_connection, _record):  # after the app's own, which sets 10 s
        dbapi_connection.execute("PRAGMA busy_timeout=100")

    engine.dispose()
    client = sqlite_app.test_client()
    releaser = hold_write_lock(database_file(sqlite_app), 1.0)
    assert_retry_page(client.post("/login", data={"login": "anna", "password": "falsch-1"}))
    releaser.join()
    assert client.post("/login", data={"login": "anna", "password": "falsch-1"}
                       ).status_code == 200


def test_a_failing_sqlite_connection_answers_503_then_recovers(sqlite_app, monkeypatch):
    with sqlite_app.app_context():
        engine = db.engine
    engine.dispose()  # the next request needs a new connection

    def cannot_open(*_args, **_kwargs):
        error = sqlite3.OperationalError("unable to open database file")
        error.sqlite_errorcode = 14  # SQLITE_CANTOPEN, as sqlite3 sets it
        raise error

    monkeypatch.setattr(engine.dialect, "connect", cannot_open)
    client = signed_in_someone(sqlite_app)
    assert_retry_page(client.get("/"))
    assert_retry_page(client.post("/login", data={"login": "anna", "password": "x"}))
    monkeypatch.undo()
    assert client.get("/").status_code == 200


def test_an_exhausted_connection_pool_answers_503(tmp_path_factory, tmp_path):
    app = own_app(tmp_path_factory, f"sqlite:///{tmp_path / 'pool.db'}",
                  SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0,
                                             "pool_timeout": 0.2})
    with app.app_context():
        engine = db.engine
    client = app.test_client()
    held = engine.connect()  # the pool's only connection, busy elsewhere
    assert_retry_page(client.get("/"))
    held.close()
    assert client.get("/").status_code == 200
    finish(app)


def test_only_errors_that_mean_not_now_count_as_unavailable():
    def sqlite_error(message: str, code: int | None):
        error = sqlite3.OperationalError(message)
        if code is not None:
            error.sqlite_errorcode = code
        return OperationalError("SELECT 1", {}, error)

    assert is_unavailable(sqlite_error("database is locked", 5))
    assert is_unavailable(sqlite_error("database table is locked", 6 | (1 << 8)))
    assert is_unavailable(PoolTimeout("QueuePool limit reached"))
    # Bugs stay bugs: a missing table or a constraint is no reason to ask for a retry.
    assert not is_unavailable(sqlite_error("no such table: x", 1))
    assert not is_unavailable(IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE")))
    assert not is_unavailable(ValueError("x")) and not is_unavailable(None)


# PostgreSQL ------------------------------------------------------------------------------

@pytest.fixture
def postgres_app(request, tmp_path_factory, empty_database_url):
    if not empty_database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL: run with --db postgresql")
    options = engine_options(empty_database_url) | getattr(request, "param", {})
    app = own_app(tmp_path_factory, empty_database_url, SQLALCHEMY_ENGINE_OPTIONS=options)
    admin = create_engine(make_url(empty_database_url).set(database="postgres"),
                          isolation_level="AUTOCOMMIT")
    app.database_name = make_url(empty_database_url).database
    app.admin = admin
    yield app
    with admin.connect() as connection:
        connection.execute(text(f"ALTER DATABASE {app.database_name} ALLOW_CONNECTIONS true"))
    finish(app)
    admin.dispose()


def kill_connections(app, allow_new: bool = True) -> int:
    """End every backend of the app's database, as a restart of the server does; with
    `allow_new` False the database also refuses new connections until allowed again."""
    with app.admin.connect() as connection:
        if not allow_new:
            connection.execute(
                text(f"ALTER DATABASE {app.database_name} ALLOW_CONNECTIONS false"))
        return len(connection.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
            {"name": app.database_name}).all())


def allow_connections(app) -> None:
    with app.admin.connect() as connection:
        connection.execute(text(f"ALTER DATABASE {app.database_name} ALLOW_CONNECTIONS true"))


def test_postgresql_down_answers_503_then_recovers_by_itself(postgres_app):
    client = postgres_app.test_client()
    assert client.get("/").status_code == 200
    assert kill_connections(postgres_app, allow_new=False) >= 1
    assert_retry_page(client.get("/"))
    assert_retry_page(client.post("/login", data={"login": "anna", "password": "falsch-1"}))
    assert client.get("/health/ready").status_code == 503
    allow_connections(postgres_app)
    assert client.get("/").status_code == 200
    assert client.get("/health/ready").get_data(as_text=True) == "ok\n"


def test_killed_pooled_connections_are_replaced_before_use(postgres_app):
    client = postgres_app.test_client()
    assert client.get("/").status_code == 200
    assert kill_connections(postgres_app) >= 1
    assert client.get("/").status_code == 200  # the pre-ping saw it dead and made a new one


@pytest.mark.parametrize("postgres_app", [{"pool_pre_ping": False}], indirect=True)
def test_a_connection_killed_under_a_request_does_not_stick(postgres_app):
    client = postgres_app.test_client()
    assert client.get("/").status_code == 200
    assert kill_connections(postgres_app) >= 1
    # Without the ping the dead connection is found in use: that request gets the retry
    # page, and the pool lets the connection go.
    assert_retry_page(client.get("/"))
    assert client.get("/").status_code == 200
