import time

import pytest

from mitwirkung.accounts import tokens
from mitwirkung.accounts.passwords import password_problem
from mitwirkung.accounts.services import set_password

from .. import factories


def test_short_common_and_personal_passwords_are_refused(app_ctx):
    assert password_problem("kurz") is not None
    assert password_problem("password123") is not None
    assert password_problem("aaaaaaaaaaaa") is not None
    assert password_problem("erika-mustermann-99", "erika") is not None
    assert password_problem("Pfalz-Theater-2023!", "erika", "erika@example.org") is None


@pytest.mark.parametrize("weak", ["passwort12", "kaiserslautern1", "qwertzuiop1", "Sommer2026",
                                  "1234567890", "a" * 200])
def test_easily_guessed_passwords_are_refused_by_their_zxcvbn_score(app_ctx, weak):
    assert "zu leicht zu erraten" in password_problem(weak)


def test_the_persons_own_data_counts_as_easy_to_guess(app_ctx):
    # zxcvbn gets the names and the address's parts as words an attacker would try first.
    assert password_problem("Pfalztheater-Ludwig", "ludwig7", "pfalztheater@example.org",
                            "Lu", "Dwig") is not None
    assert password_problem("Stiftsplatz-Grün-1276") is None


def test_a_long_password_is_judged_by_its_first_72_characters(app_ctx):
    assert password_problem("Stiftsplatz-Grün-1276-" + "x" * 150) is None


def test_confirmation_token_round_trip_and_tampering(app_ctx):
    user = factories.user(confirmed=False)
    token = tokens.confirmation_token(user, user.email)
    assert tokens.read_confirmation_token(token) == {"uid": user.id, "email": user.email}
    with pytest.raises(tokens.InvalidToken):
        tokens.read_confirmation_token(token[:-2] + "xx")


def test_confirmation_token_expires_after_48_hours(app, app_ctx, monkeypatch):
    user = factories.user(confirmed=False)
    token = tokens.confirmation_token(user, user.email)
    later = time.time() + 48 * 3600 + 5
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(tokens.InvalidToken):
        tokens.read_confirmation_token(token)


def test_reset_token_dies_when_the_password_changes(app_ctx):
    user = factories.user()
    token = tokens.reset_token(user)
    assert tokens.read_reset_token(token, lambda uid: user) is user
    set_password(user, "Ganz-neues-Passwort-1")
    with pytest.raises(tokens.InvalidToken):
        tokens.read_reset_token(token, lambda uid: user)


def test_reset_token_of_a_blocked_account_is_refused(app_ctx):
    from mitwirkung.core.time import utcnow

    user = factories.user()
    token = tokens.reset_token(user)
    user.blocked_at = utcnow()
    with pytest.raises(tokens.InvalidToken):
        tokens.read_reset_token(token, lambda uid: user)
