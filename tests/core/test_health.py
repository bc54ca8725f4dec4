"""/health says the process answers and asks nothing else; /health/ready asks the database
and, where the rate limits live in Redis, Redis, and names what is down."""

import os

import pytest

from .test_database_unavailable import free_port


def test_liveness_runs_no_query(app, client, count_queries):
    assert count_queries(client, "/health") == 0
    response = client.get("/health")
    assert response.get_data(as_text=True) == "ok\n"
    assert response.headers["Cache-Control"] == "no-store"


def test_readiness_asks_the_database(client):
    # Down: tests/core/test_database_unavailable.py.
    assert client.get("/health/ready").get_data(as_text=True) == "ok\n"


@pytest.fixture
def limits_in(app, monkeypatch):
    """Point the readiness check (not the rate limiter itself) at another storage."""

    def point(url: str) -> None:
        monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", url)
        monkeypatch.setitem(app.extensions, "readiness_storage", None)

    yield point
    app.extensions.pop("readiness_storage", None)


def test_readiness_names_redis_when_it_is_down_and_not_its_address(client, limits_in):
    limits_in(f"redis://:hunter2@127.0.0.1:{free_port()}/0")
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "unavailable: redis\n"


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="needs TEST_REDIS_URL")
def test_readiness_with_redis_up(client, limits_in):
    limits_in(os.environ["TEST_REDIS_URL"])
    assert client.get("/health/ready").get_data(as_text=True) == "ok\n"
