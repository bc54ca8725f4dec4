"""Muting and blocking by moderators: a muted account cannot comment, submit ideas or report,
even by a direct POST, and reads why and until when on the forms and in a mail; supports
stay allowed. Moderators act on residents only, end mutes and block; only admins unblock."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from mitwirkung.comments.models import Comment
from mitwirkung.core.flags import Flag
from mitwirkung.core.models import AuditEntry
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.proposals.models import Idea

from .. import factories as user_factories
from ..proposals import factories as idea_factories
from .conftest import form_key


def idea_url(idea) -> str:
    return f"/boards/{idea.board.slug}/ideas/{idea.id}"


def mute(as_, people, who="author", days="7", reason="Beleidigungen im Forum."):
    return as_("moderator").post(f"/moderation/accounts/{people[who].id}/mute",
                                 data={"mute-duration": days, "mute-reason": reason})


def test_a_moderator_mutes_a_resident_who_is_told_why_and_until_when(as_, people, outbox):
    response = mute(as_, people)
    assert response.status_code == 302
    author = people["author"]
    assert author.muted_reason == "Beleidigungen im Forum."
    assert timedelta(days=6, hours=23) < author.muted_until - utcnow() <= timedelta(days=7)
    mail = outbox()[-1]
    assert mail["To"] == author.email and mail["Subject"] == "Ihr Konto ist stummgeschaltet"
    body = mail.get_content()
    assert "Beleidigungen im Forum." in body and "Ideen unterstützen und abstimmen" in body
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.mute"))
    assert entry.actor_id == people["moderator"].id and entry.target_id == author.id
    assert entry.details["days"] == 7 and entry.details["reason"] == "Beleidigungen im Forum."
    page = as_("moderator").get(f"/moderation/accounts/{author.id}").get_data(as_text=True)
    assert "muted until" in page and "End the mute now" in page


def test_a_muted_account_cannot_comment_even_by_a_direct_post(as_, idea, people):
    page = as_("author").get(f"/comments/idea/{idea.id}").get_data(as_text=True)
    key = form_key(page)
    mute(as_, people)
    page = as_("author").get(idea_url(idea)).get_data(as_text=True)
    assert "Your account is muted until" in page and "Beleidigungen im Forum." in page
    assert "you can still support ideas and vote." in page
    assert 'name="submission_key"' not in page
    response = as_("author").post(f"/comments/idea/{idea.id}", data={
        "text": "Trotzdem geschrieben.", "submission_key": key})
    text = response.get_data(as_text=True)
    assert "Your account is muted until" in text and "Trotzdem geschrieben." in text
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


def test_a_muted_account_cannot_submit_an_idea_but_still_supports(as_, idea, people):
    board = idea.board
    mute(as_, people)
    step = as_("author").get(f"/boards/{board.slug}/submit")
    assert step.status_code == 403 and "Your account is muted until" in step.get_data(
        as_text=True)
    data = {"title": "Gestummt", "text": "Eine Idee trotz allem",
            "category_id": str(board.categories[0].id), "submission_key": "m" * 22}
    refused = as_("author").post(f"/boards/{board.slug}/submit/confirm", data=data)
    assert refused.status_code == 403
    assert "Eine Idee trotz allem" in refused.get_data(as_text=True)  # kept to copy
    assert db.session.scalar(select(func.count()).select_from(Idea).where(
        Idea.title == "Gestummt")) == 0
    other = idea_factories.idea(board, people["other"], title="Fremde Idee")
    assert as_("author").post(f"{idea_url(other)}/support").status_code == 302
    assert db.session.get(Idea, other.id).supports_count == 1


def test_a_muted_account_cannot_report(as_, idea, people):
    other_idea = idea_factories.idea(idea.board, people["other"], title="Zu melden")
    mute(as_, people)
    page = as_("author").get(f"/report/ideas/{other_idea.id}")
    assert "Your account is muted until" in page.get_data(as_text=True)
    assert as_("author").post(f"/report/ideas/{other_idea.id}",
                              data={"reason": "spam"}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Flag)) == 0


def test_a_mute_ends_by_itself_or_by_a_moderator(as_, idea, people):
    mute(as_, people)
    as_("moderator").post(f"/moderation/accounts/{people['author'].id}/unmute")
    assert people["author"].muted_until is None
    assert db.session.scalar(select(AuditEntry.actor_id).where(
        AuditEntry.action == "user.unmute")) == people["moderator"].id
    mute(as_, people)
    people["author"].muted_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert 'name="submission_key"' in as_("author").get(idea_url(idea)).get_data(as_text=True)


@pytest.mark.parametrize("target", ["admin", "staff", "moderator"])
def test_a_moderator_cannot_mute_or_block_staff_moderators_or_admins(as_, people, target):
    assert mute(as_, people, who=target).status_code == 403
    blocked = as_("moderator").post(f"/moderation/accounts/{people[target].id}/block",
                                    data={"block-reason": "Nein."})
    assert blocked.status_code == 403
    assert people[target].muted_until is None and people[target].blocked_at is None
    page = as_("moderator").get(f"/moderation/accounts/{people[target].id}")
    assert page.status_code == 403 and "Mute account" not in page.get_data(as_text=True)


def test_an_admin_mutes_a_moderator_but_nobody_mutes_themselves(as_, people):
    response = as_("admin").post(f"/moderation/accounts/{people['moderator'].id}/mute",
                                 data={"mute-duration": "1", "mute-reason": "Pause."})
    assert response.status_code == 302 and people["moderator"].muted_until is not None
    response = as_("admin").post(f"/moderation/accounts/{people['admin'].id}/mute",
                                 data={"mute-duration": "1", "mute-reason": "Ich."})
    assert response.status_code == 403 and people["admin"].muted_until is None


def test_a_refused_mute_keeps_the_reason_typed(as_, people):
    response = mute(as_, people, days="365", reason="Mein Grund bleibt.")
    assert response.status_code == 400
    assert "Mein Grund bleibt." in response.get_data(as_text=True)
    assert people["author"].muted_until is None


def test_a_moderator_blocks_and_only_an_admin_unblocks(app, as_, people, outbox):
    author = people["author"]
    response = as_("moderator").post(f"/moderation/accounts/{author.id}/block",
                                     data={"block-reason": "Wiederholt beleidigend."})
    assert response.status_code == 302 and author.blocked_at is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.block"))
    assert entry.actor_id == people["moderator"].id
    assert entry.details["reason"] == "Wiederholt beleidigend."
    assert outbox()[-1]["To"] == author.email
    # The person reads why when trying to log in.
    login = app.test_client().post("/login", data={"login": author.username,
                                                   "password": user_factories.PASSWORD})
    assert "Wiederholt beleidigend." in login.get_data(as_text=True)
    assert as_("moderator").post(f"/admin/users/{author.id}/unblock").status_code == 403
    assert author.blocked_at is not None
    page = as_("moderator").get(f"/moderation/accounts/{author.id}").get_data(as_text=True)
    assert "Only an administrator can unblock an account." in page
    assert as_("admin").post(f"/admin/users/{author.id}/unblock").status_code == 302
    assert author.blocked_at is None


def test_admins_filter_the_log_for_mutes_and_read_them_in_both_languages(as_, people):
    mute(as_, people)
    as_("moderator").post(f"/moderation/accounts/{people['author'].id}/unmute")
    english = as_("admin").get("/admin/audit?action=user.mute").get_data(as_text=True)
    assert f"Account {people['author'].username} muted until" in english
    assert "Beleidigungen im Forum." in english and "Mute of the account" not in english
    admin = as_("admin")
    with admin.session_transaction() as session:
        session["lang"] = "de"
    german = admin.get("/admin/audit?action=user.unmute").get_data(as_text=True)
    assert f"Stummschaltung des Kontos {people['author'].username} beendet" in german
    assert as_("moderator").get("/admin/audit").status_code == 403
