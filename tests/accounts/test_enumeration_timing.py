"""No account enumeration by time: a known and an unknown address take the same work, so
their answers take the same time (medians of 30 interleaved requests within 10 %, in one of
three tries)."""

import itertools
import statistics
import time

import pytest

from mitwirkung.extensions import limiter

from .. import factories
from ..conftest import signed_in_client
from .helpers import REGISTRATION

ROUNDS = 30
TOLERANCE = 0.10
ATTEMPTS = 3
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def no_rate_limits(monkeypatch):
    monkeypatch.setattr(limiter, "enabled", False)


def medians(known, unknown) -> tuple[float, float]:
    """Medians of interleaved timings, after a warm-up of each."""
    known(), unknown()
    times = {known: [], unknown: []}
    for _ in range(ROUNDS):
        for send in (known, unknown):
            started = time.perf_counter()
            response = send()
            times[send].append(time.perf_counter() - started)
            assert response.status_code in (200, 302), response.status_code
    return statistics.median(times[known]), statistics.median(times[unknown])


def assert_alike(known, unknown) -> None:
    """The medians agree within TOLERANCE. A busy machine can skew one measurement, so up
    to ATTEMPTS are taken; a real difference of work shows in every one of them."""
    seen = []
    for _attempt in range(ATTEMPTS):
        known_s, unknown_s = medians(known, unknown)
        if abs(known_s - unknown_s) <= TOLERANCE * min(known_s, unknown_s):
            return
        seen.append(f"known {known_s * 1000:.2f} ms, unknown {unknown_s * 1000:.2f} ms")
    raise AssertionError("; ".join(seen))


def fresh_address() -> str:
    return f"neu{next(_numbers)}@example.org"


@pytest.mark.parametrize("path", ["/reset", "/confirm"])
def test_reset_and_resend_take_as_long_for_a_known_address(client, path):
    known_user = factories.user(confirmed=path == "/reset")
    assert_alike(
        lambda: client.post(path, data={"email": known_user.email}),
        lambda: client.post(path, data={"email": fresh_address()}),
    )


def test_registration_takes_as_long_for_a_known_address(app, client, monkeypatch):
    # With a production-like cost of hashing, which both branches pay: the new account's one
    # INSERT (about 1.5 ms on PostgreSQL) is then a few per cent of a registration.
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "scrypt:16384:8:1")
    taken = factories.user()

    def register(email):
        n = next(_numbers)
        return client.post("/register", data=dict(REGISTRATION, username=f"person{n}",
                                                  email=email))

    assert_alike(lambda: register(taken.email), lambda: register(fresh_address()))


def test_an_email_change_takes_as_long_to_a_taken_address(app, citizen):
    taken = factories.user()
    client = signed_in_client(app, citizen)

    def change(email):
        return client.post("/account/email", data={"new_email": email,
                                                    "current_password": factories.PASSWORD})

    assert_alike(lambda: change(taken.email), lambda: change(fresh_address()))
