"""Admin: roles and blocking, each audited."""

from sqlalchemy import select

from mitwirkung.core.models import AuditEntry
from mitwirkung.extensions import db

from .. import factories
from ..conftest import signed_in_client
from .helpers import log_in


def _audit(action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_admin_changes_a_role_and_it_is_audited(app, admin, citizen):
    client = signed_in_client(app, admin)
    response = client.post(f"/admin/users/{citizen.id}/role", data={"role": "staff"})
    assert response.status_code == 302
    assert citizen.role == "staff"
    [entry] = _audit("user.role")
    assert (entry.actor_id, entry.target_id, entry.details) == (
        admin.id, citizen.id, {"old": "citizen", "new": "staff"}
    )


def test_unknown_role_is_refused(app, admin, citizen):
    signed_in_client(app, admin).post(f"/admin/users/{citizen.id}/role", data={"role": "god"})
    assert citizen.role == "citizen" and _audit("user.role") == []


def test_admin_cannot_demote_themselves(app, admin):
    signed_in_client(app, admin).post(f"/admin/users/{admin.id}/role", data={"role": "citizen"})
    assert admin.role == "admin"


def test_blocking_ends_the_sessions_of_the_account(app, admin, citizen):
    victim = signed_in_client(app, citizen)
    assert victim.get("/account").status_code == 200
    client = signed_in_client(app, admin)
    response = client.post(f"/admin/users/{citizen.id}/block", data={"reason": "Spam"})
    assert response.status_code == 302
    assert citizen.blocked_at is not None and citizen.blocked_reason == "Spam"
    assert victim.get("/account").status_code == 302
    [entry] = _audit("user.block")
    assert entry.details["reason"] == "Spam"
    client.post(f"/admin/users/{citizen.id}/unblock")
    assert citizen.blocked_at is None and citizen.blocked_reason == ""
    assert len(_audit("user.unblock")) == 1


def test_blocking_needs_a_reason(app, admin, citizen):
    client = signed_in_client(app, admin)
    page = client.get(f"/admin/users/{citizen.id}/block").get_data(as_text=True)
    assert 'name="reason"' in page
    response = client.post(f"/admin/users/{citizen.id}/block", data={"reason": "   "})
    assert response.status_code == 200 and "error-summary" in response.get_data(as_text=True)
    assert citizen.blocked_at is None and _audit("user.block") == []


def test_a_blocked_person_is_told_why_by_mail_and_at_login(app, admin, citizen, outbox):
    signed_in_client(app, admin).post(f"/admin/users/{citizen.id}/block",
                                      data={"reason": "Beleidigende Kommentare <b>"})
    [mail] = outbox()
    assert mail["To"] == citizen.email
    body = mail.get_content()
    assert body.startswith(f"Guten Tag {citizen.first_name},")
    assert "Beleidigende Kommentare <b>" in body
    page = log_in(app.test_client(), citizen.username, factories.PASSWORD)
    html = page.get_data(as_text=True)
    assert "Dieses Konto ist gesperrt." in html
    assert "Der Grund: Beleidigende Kommentare &lt;b&gt;" in html
    # With a wrong password nobody learns whether, or why, the account is blocked.
    wrong = log_in(app.test_client(), citizen.username, "falsch-falsch-falsch")
    assert "Beleidigende" not in wrong.get_data(as_text=True)
    signed_in_client(app, admin).post(f"/admin/users/{citizen.id}/unblock")
    [_blocked, unblocked] = outbox()
    assert unblocked["To"] == citizen.email and "wieder freigegeben" in unblocked.get_content()


def test_user_list_search_and_audit_log_page(app, admin, citizen):
    client = signed_in_client(app, admin)
    html = client.get("/admin/users", query_string={"q": citizen.username}).get_data(as_text=True)
    assert citizen.email in html
    client.post(f"/admin/users/{citizen.id}/role", data={"role": "moderator"})
    html = client.get("/admin/audit").get_data(as_text=True)
    assert f"Rolle von {citizen.username} geändert: Bürgerin/Bürger → Moderation" in html


def test_unknown_user_id_is_404(app, admin):
    client = signed_in_client(app, admin)
    assert client.post("/admin/users/999999/role", data={"role": "staff"}).status_code == 404


def test_roles_are_named_by_their_label_everywhere(app, admin, citizen):
    client = signed_in_client(app, admin)
    users_page = client.get("/admin/users").get_data(as_text=True)
    assert ">Moderation</option>" in users_page and ">moderator</option>" not in users_page
    response = client.post(f"/admin/users/{citizen.id}/role", data={"role": "moderator"},
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    assert f"Die Rolle von {citizen.username} ist jetzt „Moderation“." in html
    profile = signed_in_client(app, citizen).get("/account").get_data(as_text=True)
    assert "<dd>Moderation</dd>" in profile
