"""Profile, e-mail change, data export and account deletion."""

import json

from mitwirkung.core.models import AuditEntry
from mitwirkung.extensions import db

from .. import factories
from ..conftest import signed_in_client
from .helpers import link_in, log_in, path_of


def test_profile_update_keeps_the_username(app, citizen):
    client = signed_in_client(app, citizen)
    response = client.post("/account/profile", data={
        "first_name": "Eva", "last_name": "Beispiel", "username": "hijack",
    })
    assert response.status_code == 302
    assert (citizen.first_name, citizen.last_name) == ("Eva", "Beispiel")
    assert citizen.username != "hijack"


def test_email_change_waits_for_the_link_to_the_new_address(app, citizen, outbox):
    client = signed_in_client(app, citizen)
    old = citizen.email
    client.post("/account/email", data={
        "new_email": "Neu@Example.org", "current_password": factories.PASSWORD,
    })
    assert citizen.email == old and citizen.pending_email == "neu@example.org"
    [mail] = [mail for mail in outbox() if mail["To"] == "neu@example.org"]
    client.post(path_of(link_in(mail)))
    assert citizen.email == "neu@example.org" and citizen.pending_email is None


def test_email_change_needs_the_current_password(app, citizen, outbox):
    client = signed_in_client(app, citizen)
    response = client.post("/account/email", data={
        "new_email": "neu@example.org", "current_password": "falsch-falsch",
    })
    assert response.status_code == 400
    assert citizen.pending_email is None and outbox() == []


def test_download_my_data_is_json_and_has_no_secrets(app, citizen):
    response = signed_in_client(app, citizen).get("/account/export")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.data)
    account = data["account"]
    assert account["email"] == citizen.email and account["username"] == citizen.username
    assert "password_hash" not in account and "session_token" not in account
    assert citizen.password_hash not in response.get_data(as_text=True)


def test_delete_account_erases_personal_data(app, citizen):
    client = signed_in_client(app, citizen)
    email = citizen.email
    response = client.post("/account/delete", data={
        "current_password": factories.PASSWORD, "confirm": "y",
    })
    assert response.status_code == 302
    assert citizen.deleted_at is not None
    assert citizen.email is None and citizen.first_name == "" and citizen.password_hash is None
    with app.test_request_context():
        assert citizen.display_name == "gelöschtes Konto"
    assert client.get("/account").status_code == 302
    assert log_in(app.test_client(), email, factories.PASSWORD).status_code == 200


def test_delete_account_needs_password_and_confirmation(app, citizen):
    client = signed_in_client(app, citizen)
    response = client.post("/account/delete", data={"current_password": factories.PASSWORD})
    assert response.status_code == 200 and citizen.deleted_at is None
    response = client.post("/account/delete", data={"current_password": "x", "confirm": "y"})
    assert citizen.deleted_at is None


def test_deleted_account_keeps_audit_history(app, admin, citizen):
    client = signed_in_client(app, admin)
    client.post(f"/admin/users/{citizen.id}/role", data={"role": "moderator"})
    assert db.session.query(AuditEntry).filter_by(action="user.role").count() == 1
