"""Failed logins are counted per account, whatever address they come from: after ten within
15 minutes, everyone, the owner included, gets one try per minute, and the owner is told.
A name without an account behaves the same, so nothing tells whether it exists."""

import itertools

from .. import factories

_addresses = (f"198.51.100.{n}" for n in itertools.count(1))


def attempt(client, login, password="falsch-falsch-falsch"):
    """A login from a new address each time: the per-address limit stays out of the way."""
    return client.post("/login", data={"login": login, "password": password},
                       environ_base={"REMOTE_ADDR": next(_addresses)})


def statuses_of_twelve_tries(client, login, last_password):
    tries = [attempt(client, login).status_code for _ in range(11)]
    return tries + [attempt(client, login, last_password).status_code]


def test_after_ten_failures_everyone_waits_the_owner_included(client, citizen, outbox):
    statuses = statuses_of_twelve_tries(client, citizen.username, factories.PASSWORD)
    # Ten failures, the eleventh is this minute's one try, then even the right password waits.
    assert statuses == [200] * 11 + [429]
    response = attempt(client, citizen.username, factories.PASSWORD)
    assert response.status_code == 429
    assert "ein Versuch pro Minute" in response.get_data(as_text=True)


def test_an_unknown_name_is_slowed_down_alike(client, citizen):
    known = statuses_of_twelve_tries(client, citizen.username, factories.PASSWORD)
    unknown = statuses_of_twelve_tries(client, "niemand-hier", factories.PASSWORD)
    assert known == unknown


def test_the_owner_is_told_once(client, citizen, outbox):
    for _ in range(14):
        attempt(client, citizen.email)
    [mail] = outbox()
    assert mail["To"] == citizen.email and "10-mal" in mail.get_content()


def test_username_and_address_count_for_the_same_account(client, citizen):
    for n in range(10):
        attempt(client, citizen.username if n % 2 else citizen.email.upper())
    attempt(client, citizen.email)  # this minute's try
    assert attempt(client, citizen.username, factories.PASSWORD).status_code == 429


def test_other_accounts_are_not_affected(client, citizen):
    other = factories.user()
    for _ in range(12):
        attempt(client, citizen.username)
    assert attempt(client, other.username, factories.PASSWORD).status_code == 302
