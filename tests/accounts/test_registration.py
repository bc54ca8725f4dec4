"""Registration, confirmation and the 'no account enumeration' rule."""

from sqlalchemy import select

from mitwirkung.accounts.models import User
from mitwirkung.extensions import db

from .. import factories
from .helpers import REGISTRATION, link_in, log_in, page_text, path_of


def _account(username="neue_buergerin"):
    return db.session.scalar(select(User).where(User.username == username))


def test_register_confirm_and_log_in(client, outbox):
    response = client.post("/register", data=REGISTRATION)
    assert response.status_code == 200
    user = _account()
    assert user.email == "erika@example.org"
    assert not user.is_confirmed and user.privacy_accepted_at is not None
    assert user.password_hash.startswith("scrypt:")

    [mail] = outbox()
    assert mail["To"] == "erika@example.org"
    link = link_in(mail)
    assert link.startswith("http://mitwirkung.test/confirm/")

    page = client.get(path_of(link))
    assert page.status_code == 200 and b"csrf_token" in page.data
    assert not _account().is_confirmed, "opening the link alone must not confirm"
    client.post(path_of(link))
    assert _account().is_confirmed

    response = log_in(client, "erika@example.org", REGISTRATION["password"])
    assert response.status_code == 302
    assert "neue_buergerin" in client.get("/account").get_data(as_text=True)


def test_invalid_registration_keeps_what_was_typed_and_lists_errors(client):
    data = dict(REGISTRATION, password="kurz", password_confirm="kurz", privacy="")
    response = client.post("/register", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'value="neue_buergerin"' in html and 'value="Mustermann"' in html
    assert 'aria-invalid="true"' in html
    assert _account() is None


def test_common_password_is_refused(client):
    data = dict(REGISTRATION, password="password1234", password_confirm="password1234")
    client.post("/register", data=data)
    assert _account() is None


def test_taken_username_is_reported(client, citizen):
    data = dict(REGISTRATION, username=citizen.username.upper())
    html = client.post("/register", data=data).get_data(as_text=True)
    assert 'class="error-summary"' in html
    assert _account(citizen.username.upper()) is None


def test_registering_a_known_address_answers_the_same_and_warns_the_owner(client, outbox):
    known = factories.user(email="known@example.org")
    fresh = client.post("/register", data=dict(REGISTRATION, email="fresh@example.org"))
    again = client.post(
        "/register", data=dict(REGISTRATION, username="someone_else", email="KNOWN@example.org")
    )
    assert fresh.status_code == again.status_code == 200
    assert page_text(fresh, "fresh@example.org") == page_text(again, "KNOWN@example.org")
    assert _account("someone_else") is None
    mails = outbox()
    assert [m["To"] for m in mails] == ["fresh@example.org", known.email]
    assert "/confirm/" not in mails[1].get_content()


def test_resend_confirmation_answers_the_same_for_unknown_addresses(client, outbox):
    user = factories.user(confirmed=False)
    known = client.post("/confirm", data={"email": user.email})
    unknown = client.post("/confirm", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    link, notice = outbox()
    assert (link["To"], notice["To"]) == (user.email, "nobody@example.org")
    assert "/confirm/" in link.get_content() and "/confirm/" not in notice.get_content()


def test_extra_fields_in_the_registration_are_ignored(client):
    client.post("/register", data=dict(REGISTRATION, role="admin", confirmed_at="2020-01-01"))
    user = _account()
    assert user.role == "citizen" and not user.is_confirmed


def test_tampered_confirmation_link_is_refused(client, outbox):
    client.post("/register", data=REGISTRATION)
    link = path_of(link_in(outbox()[0]))
    response = client.post(link[:-3] + "abc")
    assert response.status_code == 302
    assert not _account().is_confirmed
