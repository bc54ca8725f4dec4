"""Pre-moderation of ideas through core/moderation.py: the moderators' queue, approving and
rejecting with a reason, the author's mail either way, the audit log."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from mitwirkung.core import moderation
from mitwirkung.core.models import AuditEntry
from mitwirkung.core.moderation import ModerationState
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db

from . import factories
from .conftest import html


@pytest.fixture
def pending(board, author):
    return factories.idea(board, author, title="Lesenacht im Museum", text="Bücher bei Nacht.",
                          state=ModerationState.PENDING)


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_the_queue_lists_pending_ideas_oldest_first_with_board_and_waiting_time(as_, board,
                                                                              author):
    factories.idea(board, title="Öffentlich")
    newer = factories.idea(board, author, title="Neuere Idee", state=ModerationState.PENDING)
    older = factories.idea(board, author, title="Ältere Idee", state=ModerationState.PENDING,
                           created_at=utcnow() - timedelta(days=3))
    factories.idea(board, author, title="Zurückgezogen", state=ModerationState.PENDING,
                   withdrawn_at=utcnow(), withdraw_reason="other")
    page = html(as_("moderator").get("/moderation"))
    assert page.index("Ältere Idee") < page.index("Neuere Idee")
    assert "Öffentlich" not in page and "Zurückgezogen" not in page
    assert board.title in page and board.project.title in page
    assert "waiting for 3 days" in page and "erika" in page
    assert f"/moderation/ideas/{older.id}/approve" in page
    assert f"/moderation/ideas/{newer.id}/reject" in page


@pytest.mark.parametrize("role, status", [("visitor", 302), ("other", 403), ("staff", 403),
                                          ("moderator", 200), ("admin", 200)])
def test_only_moderators_reach_the_queue(as_, role, status):
    assert as_(role).get("/moderation").status_code == status


def test_a_moderator_approves_and_the_author_is_told(as_, people, pending, outbox):
    response = as_("moderator").post(f"/moderation/ideas/{pending.id}/approve",
                                     data={"next": "/moderation"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/moderation")
    db.session.refresh(pending)
    assert pending.is_public and pending.moderated_by_id == people["moderator"].id
    assert actions() == ["idea.approve"]
    [mail] = outbox()
    assert mail["To"] == people["author"].email
    body = mail.get_content()
    assert body.startswith("Guten Tag Erika,") and "Lesenacht im Museum" in body
    assert f"http://mitwirkung.test/boards/innenstadt/ideas/{pending.id}" in body
    assert as_("visitor").get(f"/boards/innenstadt/ideas/{pending.id}").status_code == 200


def test_a_rejection_needs_a_reason_which_the_author_reads(as_, people, pending, outbox):
    client = as_("moderator")
    key = f"reject-ideas-{pending.id}-reason"
    refused = client.post(f"/moderation/ideas/{pending.id}/reject", data={key: "  "})
    assert refused.status_code == 200 and "Please give the reason" in html(refused)
    db.session.refresh(pending)
    assert pending.is_pending and outbox() == []
    client.post(f"/moderation/ideas/{pending.id}/reject",
                data={key: "Werbung für ein Geschäft", "next": "/boards/innenstadt"})
    db.session.refresh(pending)
    assert pending.moderation_state == "rejected"
    assert pending.moderation_reason == "Werbung für ein Geschäft"
    assert actions() == ["idea.reject"]
    [mail] = outbox()
    assert "Werbung für ein Geschäft" in mail.get_content()
    assert mail.get_content().startswith("Guten Tag Erika,")
    # Rejected: nowhere for others, its page for the author with the reason.
    assert as_("other").get(f"/boards/innenstadt/ideas/{pending.id}").status_code == 404
    own = html(as_("author").get(f"/boards/innenstadt/ideas/{pending.id}"))
    assert "Werbung für ein Geschäft" in own


def test_the_reject_page_asks_for_the_reason(as_, pending):
    page = html(as_("moderator").get(f"/moderation/ideas/{pending.id}/reject"))
    assert "Lesenacht im Museum" in page and f'name="reject-ideas-{pending.id}-reason"' in page


def test_a_moderator_cannot_decide_on_their_own_idea(as_, board, people):
    own = factories.idea(board, people["moderator"], title="Meine eigene",
                         state=ModerationState.PENDING)
    client = as_("moderator")
    assert "another moderator decides" in html(client.get("/moderation"))
    client.post(f"/moderation/ideas/{own.id}/approve")
    db.session.refresh(own)
    assert own.is_pending and actions() == []
    page = html(client.get(f"/boards/innenstadt/ideas/{own.id}"))
    assert "Approve and publish" not in page


def test_a_decided_idea_is_not_decided_again(as_, pending, outbox):
    client = as_("moderator")
    client.post(f"/moderation/ideas/{pending.id}/approve")
    response = client.post(f"/moderation/ideas/{pending.id}/reject",
                           data={f"reject-ideas-{pending.id}-reason": "zu spät"})
    assert response.status_code == 302
    db.session.refresh(pending)
    assert pending.is_public and actions() == ["idea.approve"] and len(outbox()) == 1
    follow = html(client.get("/moderation"))
    assert "no longer waits for a decision" in follow


def test_a_withdrawn_idea_is_not_approved(as_, pending):
    pending.withdrawn_at, pending.withdraw_reason = utcnow(), "other"
    db.session.commit()
    as_("moderator").post(f"/moderation/ideas/{pending.id}/approve")
    db.session.refresh(pending)
    assert pending.is_pending and actions() == []


def test_unknown_kinds_and_ideas_are_404(as_, pending):
    client = as_("moderator")
    assert client.post("/moderation/comments/1/approve").status_code == 404
    assert client.post("/moderation/ideas/999999/approve").status_code == 404
    assert client.get("/moderation/ideas/999999/reject").status_code == 404


def test_the_moderation_page_of_an_idea_offers_both_decisions(as_, pending):
    page = html(as_("moderator").get(f"/boards/innenstadt/ideas/{pending.id}"))
    assert "awaiting approval" in page and "Approve and publish" in page
    assert f"reject-ideas-{pending.id}-reason" in page


def test_decisions_need_the_moderate_capability(as_, pending):
    for role in ("other", "author", "staff"):
        assert as_(role).post(f"/moderation/ideas/{pending.id}/approve").status_code == 403
    assert as_("visitor").post(f"/moderation/ideas/{pending.id}/approve").status_code == 302
    db.session.refresh(pending)
    assert pending.is_pending


def test_reasons_and_titles_are_escaped_in_the_queue(as_, board, author):
    factories.idea(board, author, title="<script>alert(1)</script>",
                   text="<img src=x onerror=alert(1)>", state=ModerationState.PENDING)
    page = html(as_("moderator").get("/moderation"))
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_registered_kinds_know_ideas():
    kind = moderation.kind_by_key("ideas")
    assert kind is not None and kind.approve_action == "idea.approve"
    assert moderation.kind_by_key("nothing") is None
