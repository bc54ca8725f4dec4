"""The reasons for rejection that admins edit and moderators choose from: the list's rules,
its admin pages for every role, the seeded defaults, and a rejection that names one."""

import pytest
from sqlalchemy import select

from mitwirkung import create_app
from mitwirkung.core import reject_reasons
from mitwirkung.core.models import AuditEntry
from mitwirkung.core.moderation import ModerationState
from mitwirkung.extensions import db

from ..conftest import app_settings
from ..proposals import factories as idea_factories
from ..proposals.conftest import in_english

BASE = "/admin/moderation/reasons"


@pytest.fixture
def reasons(app_ctx, admin):
    made = [reject_reasons.add(admin, text) for text in ("Werbung", "Beleidigend", "Off-Topic")]
    db.session.commit()
    return made


def texts(active_only=True) -> list[str]:
    found = reject_reasons.active() if active_only else reject_reasons.every()
    return [reason.text for reason in found]


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_reasons_keep_the_admins_order_and_move_one_place(reasons, admin):
    assert texts() == ["Werbung", "Beleidigend", "Off-Topic"]
    reject_reasons.move(admin, reasons[2], -1)
    assert texts() == ["Werbung", "Off-Topic", "Beleidigend"]
    reject_reasons.move(admin, reasons[0], -1)  # the first stays first
    reject_reasons.move(admin, reasons[2], +1)
    assert texts() == ["Werbung", "Beleidigend", "Off-Topic"]


def test_a_deactivated_reason_is_not_offered_but_listed(reasons, admin):
    reject_reasons.set_active(admin, reasons[1], False)
    assert texts() == ["Werbung", "Off-Topic"]
    assert texts(active_only=False) == ["Werbung", "Beleidigend", "Off-Topic"]
    reject_reasons.set_active(admin, reasons[1], True)
    assert "Beleidigend" in texts()


def test_a_reason_is_unique_and_not_empty(reasons, admin):
    with pytest.raises(reject_reasons.DuplicateReason):
        reject_reasons.add(admin, "  Werbung ")
    with pytest.raises(reject_reasons.ReasonMissing):
        reject_reasons.reword(admin, reasons[0], "   ")


def test_every_change_is_audited(reasons, admin):
    reject_reasons.reword(admin, reasons[0], "Werbung oder Spam")
    reject_reasons.move(admin, reasons[1], +1)
    reject_reasons.set_active(admin, reasons[2], False)
    assert actions() == ["reject_reason.add"] * 3 + [
        "reject_reason.reword", "reject_reason.move", "reject_reason.deactivate"]


@pytest.mark.parametrize("chosen, text, reason", [
    ("Werbung", "", "Werbung"), ("", "Eigene Worte", "Eigene Worte"),
    ("Werbung", " Link zu einem Shop ", "Werbung: Link zu einem Shop"), ("", "  ", "")])
def test_the_author_reads_the_chosen_reason_and_the_words(chosen, text, reason):
    assert reject_reasons.compose(chosen, text) == reason


def test_the_migration_seeds_the_german_defaults(tmp_path_factory, empty_database_url):
    migrated = create_app(app_settings(tmp_path_factory, empty_database_url))
    assert migrated.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
    with migrated.app_context():
        assert [reason.text for reason in reject_reasons.active()] == list(
            reject_reasons.DEFAULTS)
        db.session.remove()
        db.engine.dispose()


# The admin pages -------------------------------------------------------------------------


@pytest.mark.parametrize("role, status", [("visitor", 302), ("citizen", 403), ("staff", 403),
                                          ("moderator", 403), ("admin", 200)])
def test_only_admins_edit_the_reasons(clients, reasons, role, status):
    client = clients[role]
    reason = reasons[0]
    assert client.get(BASE).status_code == status
    assert client.get(f"{BASE}/{reason.id}/edit").status_code == status
    expected_post = 302 if status == 200 else status
    assert client.post(BASE, data={"text": f"Neu {role}"}).status_code == expected_post
    assert client.post(f"{BASE}/{reason.id}/edit",
                       data={"text": f"Werbung {role}"}).status_code == expected_post
    assert client.post(f"{BASE}/{reason.id}/move", data={"to": "down"}).status_code == \
        expected_post
    assert client.post(f"{BASE}/{reason.id}/active", data={"active": "0"}).status_code == \
        expected_post
    db.session.expire_all()
    changed = status == 200
    assert (f"Neu {role}" in texts(active_only=False)) is changed
    assert (reject_reasons.get(reason.id).active) is not changed


def test_an_admin_adds_rewords_reorders_and_deactivates(clients, reasons):
    client = in_english(clients["admin"])
    page = client.get(BASE).get_data(as_text=True)
    assert page.index("Werbung") < page.index("Beleidigend") < page.index("Off-Topic")
    client.post(BASE, data={"text": "Enthält persönliche Daten"})
    refused = client.post(BASE, data={"text": "Werbung"})
    assert refused.status_code == 200 and "already in the list" in refused.get_data(as_text=True)
    client.post(f"{BASE}/{reasons[0].id}/edit", data={"text": "Werbung oder Spam"})
    client.post(f"{BASE}/{reasons[2].id}/move", data={"to": "up"})
    client.post(f"{BASE}/{reasons[1].id}/active", data={"active": "0"})
    assert texts() == ["Werbung oder Spam", "Off-Topic", "Enthält persönliche Daten"]
    page = client.get(BASE).get_data(as_text=True)
    assert "deactivated" in page and "Offer again" in page


def test_unknown_reasons_are_404(clients):
    client = clients["admin"]
    assert client.get(f"{BASE}/999999/edit").status_code == 404
    assert client.post(f"{BASE}/999999/move").status_code == 404
    assert client.post(f"{BASE}/999999/active").status_code == 404


# Rejecting with a reason from the list ---------------------------------------------------


@pytest.fixture
def pending(app_ctx):
    board = idea_factories.board(slug="plaetze", premoderation=True)
    author = idea_factories.factories.user(first_name="Erika")
    return idea_factories.idea(board, author, title="Werbeidee", state=ModerationState.PENDING)


def test_a_rejection_names_the_chosen_reason_and_the_words(clients, reasons, pending, outbox):
    client = in_english(clients["moderator"])
    page = client.get("/moderation").get_data(as_text=True)
    assert f'<option value="{reasons[0].id}">Werbung</option>' in page
    prefix = f"reject-ideas-{pending.id}"
    client.post(f"/moderation/ideas/{pending.id}/reject",
                data={f"{prefix}-choice": str(reasons[0].id),
                      f"{prefix}-reason": "Ein Link zu einem Shop."})
    db.session.refresh(pending)
    assert pending.moderation_state == ModerationState.REJECTED
    assert pending.moderation_reason == "Werbung: Ein Link zu einem Shop."
    assert "Werbung: Ein Link zu einem Shop." in outbox()[-1].get_content()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "idea.reject"))
    assert entry.details["reason"] == "Werbung: Ein Link zu einem Shop."


def test_a_rejection_needs_a_reason_or_words(clients, reasons, pending):
    client = in_english(clients["moderator"])
    refused = client.post(f"/moderation/ideas/{pending.id}/reject",
                          data={f"reject-ideas-{pending.id}-choice": ""})
    assert refused.status_code == 200
    assert "Please give the reason" in refused.get_data(as_text=True)
    db.session.refresh(pending)
    assert pending.is_pending


def test_a_deactivated_reason_is_refused(clients, reasons, pending, admin):
    reject_reasons.set_active(admin, reasons[0], False)
    db.session.commit()
    client = in_english(clients["moderator"])
    refused = client.post(f"/moderation/ideas/{pending.id}/reject",
                          data={f"reject-ideas-{pending.id}-choice": str(reasons[0].id)})
    assert refused.status_code == 200
    db.session.refresh(pending)
    assert pending.is_pending
