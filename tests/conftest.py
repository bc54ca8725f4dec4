"""Test fixtures: an app per database (--db sqlite|postgresql), a rolled-back transaction per
test, a client, and one signed-in client per role."""

import os
import re
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import scoped_session, sessionmaker

from mitwirkung import create_app
from mitwirkung.extensions import db

from . import factories

# Property tests (hypothesis) run the same examples every time, so CI is deterministic and
# a failure repeats; no example database is kept. HYPOTHESIS_PROFILE=explore draws new
# examples on each run, for a developer hunting bugs. Deadlines are off: the first request
# of a test builds caches and would fail a per-example deadline for no reason. Fixtures that
# are not reset between a test's examples are fine: each property restores what it changes.
settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)
settings.register_profile("explore", settings.get_profile("ci"), derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_addoption(parser):
    parser.addoption("--db", choices=("sqlite", "postgresql"), default="sqlite")


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: runs in Chromium against a live server")
    config.addinivalue_line("markers", "vote(**fields): fields of the `vote` fixture (tests/votes)")
    compile_catalogues()


def compile_catalogues() -> None:
    """Build each .mo file that is missing or older than its .po: a fresh clone has none, and
    without it every page would silently fall back to English."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    translations = Path(__file__).resolve().parents[1] / "mitwirkung" / "translations"
    for po in translations.glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalogue = read_po(source, locale=po.parts[-3])
        with mo.open("wb") as target:
            write_mo(target, catalogue)


def app_settings(tmp_path_factory, database_url: str) -> dict:
    """Settings every test app shares; a fresh instance folder for mail and uploads."""
    instance = tmp_path_factory.mktemp("instance")
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,  # reset before every test, see _fresh_rate_limits
        "MAIL_URL": "",
        # Tests deliver the outbox themselves (the `outbox` fixture), not a thread.
        "MAIL_WORKER": False,
        "OUTBOX_DIR": str(instance / "outbox"),
        "UPLOAD_DIR": str(instance / "uploads"),
        "SITE_URL": "http://mitwirkung.test",
        # Fast hashing in tests; production uses the default scrypt cost.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        # Each ballot counts at once; the secrecy tests set k themselves (the `mix_size`
        # fixture of tests/votes/conftest.py).
        "BALLOT_MIX_SIZE": 1,
    }


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory) -> str:
    if request.config.getoption("--db") == "postgresql":
        url = os.environ.get("TEST_DATABASE_URL")
        if not url:
            pytest.exit("--db postgresql needs TEST_DATABASE_URL (make test sets it)", returncode=2)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture
def empty_database_url(request, database_url, tmp_path):
    """A URL of a new, empty database of the kind under test (for tests that must commit)."""
    with _new_database(request, database_url, tmp_path, "empty") as url:
        yield url


@pytest.fixture
def second_empty_database_url(request, database_url, tmp_path):
    """Another one, e.g. to restore a backup into."""
    with _new_database(request, database_url, tmp_path, "second") as url:
        yield url


@contextmanager
def _new_database(request, database_url: str, tmp_path, suffix: str):
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / suffix}.db"
        return
    url = make_url(database_url)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = "mitwirkung_" + re.sub(r"\W", "_", request.node.name.lower())[:40] + "_" + suffix
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


_session_app = []


def session_app():
    """The app of this test session, for builders that must run app code outside a request
    (tests/votes/factories.py casts and mixes as the ballot view does)."""
    return _session_app[0]


@pytest.fixture(scope="session")
def app(tmp_path_factory, database_url):
    app = create_app(app_settings(tmp_path_factory, database_url))
    _session_app[:] = [app]
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        else:
            db.drop_all()
        db.create_all()
    return app


class _TestSession(scoped_session):
    """One session for the whole test: requests end with remove(), which must not detach
    the objects the test holds; the fixture closes it at the end."""

    def remove(self):
        pass

    def close_for_good(self):
        super().remove()


@pytest.fixture(autouse=True)
def _rolled_back(request):
    """Run each test inside a transaction that is rolled back; commits become savepoints."""
    if request.node.get_closest_marker("browser") or "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        engine = db.engine
    connection = engine.connect()
    outer = connection.begin()
    original = db.session
    db.session = _TestSession(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                     expire_on_commit=False)  # as the app's own sessions (extensions.py)
    )
    try:
        yield
    finally:
        db.session.close_for_good()
        db.session = original
        outer.rollback()
        connection.close()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request):
    if "app" in request.fixturenames:
        from mitwirkung.extensions import limiter

        limiter.reset()


@pytest.fixture(autouse=True)
def _empty_ballot_box_cache():
    """Each test's votes and surveys are rolled back, and a rolled-back one's id comes
    again: a ballot box or survey kept by an earlier test must not stand in for it."""
    from mitwirkung.core import page_cache
    from mitwirkung.pages import settings
    from mitwirkung.surveys.answering import survey_cache
    from mitwirkung.votes.casting import ballot_box

    ballot_box.forget_all()
    survey_cache.forget_all()
    page_cache.forget_all()
    settings.forget_shown()
    yield
    ballot_box.forget_all()
    page_cache.forget_all()
    survey_cache.forget_all()
    settings.forget_shown()


@pytest.fixture
def app_ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def count_queries(app):
    """count_queries(client, url) -> the number of SQL statements one GET of `url` runs
    (asserting it answers 200): pages must run a small, fixed number."""
    from sqlalchemy import event

    def count(client, url: str) -> int:
        statements = []
        with app.app_context():
            engine = db.engine

        def note(*_args):
            statements.append(1)

        event.listen(engine, "before_cursor_execute", note)
        try:
            response = client.get(url)
            assert response.status_code == 200, url
        finally:
            event.remove(engine, "before_cursor_execute", note)
        return len(statements)

    return count


def signed_in_client(app, user):
    return client_of(app, user.get_id())


def client_of(app, user_id: str):
    """A client signed in as the account with this id (when the object may be gone)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True
    return client


@pytest.fixture
def citizen(app):
    return factories.user(role="citizen")


@pytest.fixture
def staff(app):
    return factories.user(role="staff")


@pytest.fixture
def moderator(app):
    return factories.user(role="moderator")


@pytest.fixture
def admin(app):
    return factories.user(role="admin")


@pytest.fixture
def clients(app, citizen, staff, moderator, admin):
    """One client per role, plus an anonymous visitor: for permission matrices."""
    return {
        "visitor": app.test_client(),
        "citizen": signed_in_client(app, citizen),
        "staff": signed_in_client(app, staff),
        "moderator": signed_in_client(app, moderator),
        "admin": signed_in_client(app, admin),
    }


@pytest.fixture
def world(app_ctx, staff):
    """Objects for every path argument of the URL map (tests/url_map.py)."""
    from .url_map import build_world

    return build_world(staff)


@pytest.fixture
def outbox(app):
    """The mails delivered so far, as parsed messages (newest last): each call first delivers
    what the outbox table holds, as the worker would, into .eml files."""
    from email import policy
    from email.parser import BytesParser
    from pathlib import Path

    from mitwirkung.core.mail import deliver_due

    folder = Path(app.config["OUTBOX_DIR"])
    for old in folder.glob("*.eml"):
        old.unlink()

    def read():
        with app.app_context():
            deliver_due()
        return [
            BytesParser(policy=policy.default).parsebytes(path.read_bytes())
            for path in sorted(folder.glob("*.eml"))
        ]

    return read
