"""Log in and out, sessions, redirects and password reset."""

import pytest

from .. import factories
from .helpers import link_in, log_in, page_text, path_of


def test_login_with_username_or_email(client, citizen):
    assert log_in(client, citizen.username.upper(), factories.PASSWORD).status_code == 302
    client.post("/logout")
    assert log_in(client, citizen.email.upper(), factories.PASSWORD).status_code == 302


def test_wrong_password_and_unknown_account_answer_the_same(client, citizen):
    wrong = log_in(client, citizen.username, "nicht-das-passwort")
    unknown = log_in(client, "niemand", "nicht-das-passwort")
    assert wrong.status_code == unknown.status_code == 200
    assert page_text(wrong, citizen.username) == page_text(unknown, "niemand")


def test_blocked_account_cannot_log_in(client):
    from mitwirkung.core.time import utcnow

    user = factories.user(blocked_at=utcnow())
    response = log_in(client, user.username, factories.PASSWORD)
    assert response.status_code == 200
    assert client.get("/account").status_code == 302


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "/%5Cevil.example", "/%09/evil.example", "https:evil.example",
     "javascript:alert(1)", "http://evil.example/", "%2F%2Fevil.example", "/%0D%0A/evil"],
)
def test_next_never_leads_off_the_site(client, citizen, target):
    # The targets are written as an attacker puts them into the raw URL.
    response = client.post(
        f"/login?next={target}",
        data={"login": citizen.username, "password": factories.PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_leads_to_a_local_path(client, citizen):
    response = client.post(
        "/login", query_string={"next": "/account"},
        data={"login": citizen.username, "password": factories.PASSWORD},
    )
    assert response.headers["Location"] == "/account"


def test_logout_ends_every_session_of_the_account(app, citizen):
    phone, laptop = app.test_client(), app.test_client()
    log_in(phone, citizen.username, factories.PASSWORD)
    log_in(laptop, citizen.username, factories.PASSWORD)
    assert laptop.get("/account").status_code == 200
    phone.post("/logout")
    assert laptop.get("/account").status_code == 302


def test_password_change_ends_other_sessions_but_keeps_this_one(app, citizen):
    phone, laptop = app.test_client(), app.test_client()
    log_in(phone, citizen.username, factories.PASSWORD)
    log_in(laptop, citizen.username, factories.PASSWORD)
    response = phone.post("/account/password", data={
        "current_password": factories.PASSWORD,
        "password": "Neues-Passwort-2026", "password_confirm": "Neues-Passwort-2026",
    })
    assert response.status_code == 302
    assert phone.get("/account").status_code == 200
    assert laptop.get("/account").status_code == 302


def test_password_change_with_wrong_current_password_is_refused(client, citizen):
    log_in(client, citizen.username, factories.PASSWORD)
    response = client.post("/account/password", data={
        "current_password": "falsch-falsch",
        "password": "Neues-Passwort-2026", "password_confirm": "Neues-Passwort-2026",
    })
    assert response.status_code == 400
    assert 'class="error-summary"' in response.get_data(as_text=True)
    client.post("/logout")
    assert log_in(client, citizen.username, factories.PASSWORD).status_code == 302


def test_reset_link_works_once_and_uses_the_configured_host(client, citizen, outbox):
    response = client.post(
        "/reset", data={"email": citizen.email},
        headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"},
    )
    assert response.status_code == 200
    link = link_in(outbox()[0])
    assert link.startswith("http://mitwirkung.test/reset/")
    new = {"password": "Neues-Passwort-2026", "password_confirm": "Neues-Passwort-2026"}
    assert client.get(path_of(link)).status_code == 200
    assert client.post(path_of(link), data=new).status_code == 302
    assert log_in(client, citizen.username, "Neues-Passwort-2026").status_code == 302
    client.post("/logout")
    again = client.post(path_of(link), data=dict(new, password="Drittes-Passwort-99",
                                                 password_confirm="Drittes-Passwort-99"))
    assert again.headers["Location"].endswith("/reset")
    assert log_in(client, citizen.username, "Neues-Passwort-2026").status_code == 302


def test_reset_answers_the_same_for_unknown_addresses(client, citizen, outbox):
    known = client.post("/reset", data={"email": citizen.email})
    unknown = client.post("/reset", data={"email": "Nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    reset, notice = outbox()
    assert reset["To"] == citizen.email and "/reset/" in reset.get_content()
    # The unknown address gets a notice without a link: the same work as a reset mail.
    assert notice["To"] == "nobody@example.org" and reset["Subject"] == notice["Subject"]
    assert "http" not in notice.get_content()


def test_login_sets_a_fresh_session(client, citizen):
    with client.session_transaction() as session:
        session["planted"] = "by-attacker"
    log_in(client, citizen.username, factories.PASSWORD)
    with client.session_transaction() as session:
        assert "planted" not in session
