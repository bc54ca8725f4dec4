"""Mails that tell a person what happened to their account: a new password and a new
e-mail address are told to the address in use (the new one never in full), and every mail
greets the person by first name."""

from pathlib import Path

import pytest
from flask import render_template, session

from mitwirkung.accounts.services import mask_email

from .. import factories
from ..conftest import signed_in_client
from .helpers import link_in, path_of

MAILS = Path(__file__).resolve().parents[2] / "templates" / "accounts" / "mail"
NEW_PASSWORD = "Neues-Passwort-fuer-den-Lesegarten"


def to(mails, address):
    return [mail for mail in mails if mail["To"] == address]


def test_a_password_change_is_told_to_the_address(app, citizen, outbox):
    client = signed_in_client(app, citizen)
    response = client.post("/account/password", data={
        "current_password": factories.PASSWORD, "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
    })
    assert response.status_code == 302
    [mail] = outbox()
    assert mail["To"] == citizen.email and mail["Subject"] == "Ihr Passwort wurde geändert"
    body = mail.get_content()
    assert body.startswith("Guten Tag Erika,") and citizen.username in body
    assert NEW_PASSWORD not in body


def test_a_reset_password_is_told_to_the_address(app, client, citizen, outbox):
    client.post("/reset", data={"email": citizen.email})
    [link] = outbox()
    client.post(path_of(link_in(link)), data={"password": NEW_PASSWORD,
                                              "password_confirm": NEW_PASSWORD})
    [_link, notice] = outbox()
    assert notice["To"] == citizen.email and "Passwort" in notice["Subject"]


def test_an_email_change_is_told_to_the_old_address_without_the_new_one(app, citizen,
                                                                         outbox):
    client = signed_in_client(app, citizen)
    old = citizen.email
    client.post("/account/email", data={"new_email": "erika.neu@beispiel.de",
                                        "current_password": factories.PASSWORD})
    mails = outbox()
    [requested] = to(mails, old)
    [link] = to(mails, "erika.neu@beispiel.de")
    body = requested.get_content()
    assert "e***@b***.de" in body and "erika.neu" not in body and "beispiel" not in body
    assert body.startswith("Guten Tag Erika,")
    client.post(path_of(link_in(link)))
    assert citizen.email == "erika.neu@beispiel.de"
    [_requested, changed] = to(outbox(), old)
    assert changed["Subject"] == "Ihre E-Mail-Adresse wurde geändert"
    assert "e***@b***.de" in changed.get_content()
    assert "erika.neu" not in changed.get_content()


def test_a_change_to_a_taken_address_is_told_to_the_old_address_alike(app, citizen, outbox):
    taken = factories.user()
    client = signed_in_client(app, citizen)
    client.post("/account/email", data={"new_email": taken.email,
                                        "current_password": factories.PASSWORD})
    mails = outbox()
    [requested] = to(mails, citizen.email)
    [_warning] = to(mails, taken.email)
    assert taken.email not in requested.get_content()


@pytest.mark.parametrize(("address", "masked"), [
    ("erika.neu@beispiel.de", "e***@b***.de"),
    ("x@stadt.kaiserslautern.de", "x***@s***.de"),
    ("ab@localhost", "a***@l***"),
])
def test_an_address_is_masked_to_its_first_letters_and_top_level_domain(address, masked):
    assert mask_email(address) == masked


@pytest.mark.parametrize("template", sorted(path.name for path in MAILS.glob("*.txt")))
def test_every_mail_greets_by_first_name(app, template):
    user = factories.user(first_name="Erika")
    context = {"user": user, "link": "http://x/y", "failures": 10, "reason": "Spam",
               "masked": "e***@b***.de", "when": user.created_at, "purpose": "x"}
    with app.test_request_context():
        german = render_template(f"accounts/mail/{template}", **context)
    with app.test_request_context():
        session["lang"] = "en"
        english = render_template(f"accounts/mail/{template}", **context)
    if template == "nothing_to_send.txt":  # sent to an address with no account behind it
        assert german.startswith("Guten Tag,\n") and english.startswith("Hello,\n")
    else:
        assert german.startswith("Guten Tag Erika,\n") and english.startswith("Hello Erika,\n")


def test_without_a_first_name_a_mail_greets_by_username(app):
    user = factories.user(first_name="", username="sachbearbeitung")
    with app.test_request_context():
        text = render_template("accounts/mail/unblocked.txt", user=user)
    assert text.startswith("Guten Tag sachbearbeitung,")
