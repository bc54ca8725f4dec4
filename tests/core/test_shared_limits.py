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
