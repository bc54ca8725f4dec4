"""Rate limits count across app servers when they share Redis (the production set-up in
docs/deployment.md), and do not with per-process memory: two processes, one account."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="needs TEST_REDIS_URL (make test starts "
                                 "redis-server for the PostgreSQL run)")


def probe(*arguments) -> list[int]:
    result = subprocess.run([sys.executable, "-m", "tests.limits_probe", *arguments], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, check=True)
    return json.loads(result.stdout) if result.stdout.strip() else []


@pytest.fixture
def database(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'servers.db'}"
    probe("setup", url)
    return url


@pytest.fixture
def redis_storage():
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield REDIS_URL
    connection.flushdb()


def two_servers(database, storage, login, addresses) -> list[int]:
    first = probe("try", database, storage, login, "6", addresses)
    second = probe("try", database, storage, login, "6", addresses)
    return first + second


@needs_redis
def test_failures_for_an_account_count_across_servers(database, redis_storage):
    statuses = two_servers(database, redis_storage, "erika", "new-address")
    assert statuses == [200] * 11 + [429]  # ten failures, this minute's try, then wait


@needs_redis
def test_tries_from_one_address_count_across_servers(database, redis_storage):
    # Six tries at two different names on each server: the address's 10 per minute hold.
    first = probe("try", database, redis_storage, "erika", "6", "same")
    second = probe("try", database, redis_storage, "jemand", "6", "same")
    assert first + second == [200] * 10 + [429, 429]


def test_with_memory_each_server_counts_alone(database):
    """Why production needs Redis: the same tries, and nobody is slowed down."""
    assert two_servers(database, "memory://", "erika", "new-address") == [200] * 12


def closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_with_redis_away_limits_hold_in_memory_instead_of_failing(database):
    """Redis restarting (make drills): every limited request used to be a 500. Now each
    server counts in its own memory meanwhile: the limits still hold within one process."""
    away = f"redis://127.0.0.1:{closed_port()}/0"
    assert probe("try", database, away, "erika", "12", "new-address") == [200] * 11 + [429]
    assert probe("try", database, away, "jemand", "12", "same") == [200] * 10 + [429] * 2


def test_counts_by_hand_fall_back_to_memory_when_the_storage_fails(app_ctx, monkeypatch):
    """Comments, survey sends and the login slowdown count by hand (core/rate_limits.py):
    a storage error falls back to this process's memory, never raises."""
    from limits import parse
    from limits.strategies import FixedWindowRateLimiter

    from mitwirkung.core import rate_limits
    from mitwirkung.extensions import limiter

    class Unreachable(FixedWindowRateLimiter):
        def __init__(self):
            pass

        def hit(self, *_args):
            raise ConnectionError("Redis is restarting")

        test = hit

    monkeypatch.setattr(type(limiter), "limiter", property(lambda _self: Unreachable()))
    limit, key = parse("2 per minute"), "test-fallback"
    assert [rate_limits.hit(limit, key) for _ in range(3)] == [True, True, False]
    assert rate_limits.test(limit, key) is False


def test_a_database_outage_under_a_rate_limit_is_a_503_not_taken_for_redis(tmp_path_factory):
    """A limit's key names the signed-in account from the session, without asking the
    database: Flask-Limiter takes an error inside its check for its storage failing, and a
    database outage there became a 500 and per-process limits (make drills)."""
    from mitwirkung import create_app
    from mitwirkung.config import engine_options
    from mitwirkung.extensions import limiter

    from ..conftest import app_settings
    from .test_database_unavailable import assert_retry_page, free_port, signed_in_someone

    closed = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/mitwirkung"
    app = create_app(app_settings(tmp_path_factory, closed)
                     | {"SQLALCHEMY_ENGINE_OPTIONS": engine_options(closed)})
    client = signed_in_someone(app)
    for path in ("/surveys/umfrage/answer", "/boards/ideen/submit/confirm"):
        assert_retry_page(client.post(path, data={"q1": "1"}))
        assert limiter._storage_dead is False  # the limits' storage was never in question
