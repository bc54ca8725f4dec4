"""SECURITY.md, content: a hidden idea appears nowhere for others (its page, the board's
list, search, the public JSON, the project's count, its image, its thread of comments, the
report form), stays readable for its author, moderators and staff with the reason, and is
marked hidden in the staff CSV (Decidim PR #13554: items under a hidden idea disappear)."""

import io
import json

import pytest
from sqlalchemy import select

from mitwirkung.comments import services as comment_services
from mitwirkung.comments.models import Comment
from mitwirkung.core import flags, hiding, uploads
from mitwirkung.core.models import AuditEntry
from mitwirkung.extensions import db
from mitwirkung.proposals.models import Idea

from ..projects import factories as project_factories
from . import factories
from .conftest import html

TITLE = "Verborgene Bühne am Markt"


@pytest.fixture
def image(app):
    with app.test_request_context():
        return uploads.save_image(io.BytesIO(project_factories.image_bytes()))


@pytest.fixture
def hidden(app, board, author, people, image):
    """A public idea with an image and a published comment, reported and then hidden."""
    idea = factories.idea(board, author, title=TITLE, text="Bühnenzauber", image=image,
                          image_alt="Skizze")
    with app.test_request_context():
        comment, _ = comment_services.post("idea", idea, people["other"],
                                           "Kommentar unter der Idee.",
                                           submission_key="under-hidden-idea-01")
        comment.moderation_state = "approved"
        flags.flag(idea, people["other"], "off_topic", "Gehört nicht hierher.")
        db.session.commit()
        hiding.hide(idea, people["moderator"], "Werbung für ein Geschäft.")
    db.session.commit()
    return idea


def test_a_hidden_idea_is_nowhere_for_others(as_, board, hidden, image):
    page = f"/boards/innenstadt/ideas/{hidden.id}"
    for role in ("visitor", "other", "unconfirmed"):
        client = as_(role)
        assert client.get(page).status_code == 404, role
        assert TITLE not in html(client.get("/boards/innenstadt"))
        assert TITLE not in html(client.get("/boards/innenstadt?q=Bühne"))
        assert TITLE not in html(client.get(f"/projects/{board.project.slug}"))
        assert client.get(f"/comments/idea/{hidden.id}").status_code == 404
        assert client.get(f"/uploads/{image}").status_code == 404
        assert client.get(f"/report/ideas/{hidden.id}").status_code in (302, 403, 404)
    feed = json.loads(html(as_("visitor").get("/api/boards/innenstadt/ideas")))
    assert TITLE not in json.dumps(feed, ensure_ascii=False)
    # The comment under it goes with it: its thread is unreachable, its reply form too.
    comment = db.session.scalar(select(Comment).where(Comment.idea_id == hidden.id))
    reply = f"/comments/idea/{hidden.id}/reply/{comment.id}"
    for role in ("visitor", "other"):
        assert as_(role).get(reply).status_code == 404
        assert as_(role).get(f"/report/comments/{comment.id}").status_code in (302, 404)
    # Nor can it be supported any more.
    assert as_("other").post(f"{page}/support").status_code in (403, 404)
    assert hidden.supports_count == 0


def test_author_moderators_and_staff_still_read_it_with_the_reason(as_, hidden, image):
    for role in ("author", "moderator", "staff", "admin"):
        page = as_(role).get(f"/boards/innenstadt/ideas/{hidden.id}")
        assert page.status_code == 200, role
        text = html(page)
        assert "Removed from public view by the moderation" in text
        assert "Werbung für ein Geschäft." in text
        assert "Kommentar unter der Idee." not in text  # its thread is not shown at all
        assert as_(role).get(f"/uploads/{image}").status_code == 200


def test_the_staff_csv_marks_it_hidden(as_, hidden):
    csv = as_("staff").get("/boards/innenstadt/ideas.csv").get_data().decode("utf-8-sig")
    line = next(row for row in csv.splitlines() if TITLE in row)
    assert "hidden by the moderation" in line or "von der Moderation ausgeblendet" in line


def test_the_author_is_told_and_the_audit_says_who_what_why(hidden, people, outbox):
    mail = outbox()[-1]
    assert mail["To"] == people["author"].email
    assert mail["Subject"] == "Ihre Idee wurde von der Moderation entfernt"
    assert "Werbung für ein Geschäft." in mail.get_content()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "idea.hide"))
    assert entry.actor_id == people["moderator"].id and entry.target_id == hidden.id
    assert entry.details == {"reason": "Werbung für ein Geschäft.", "flags": 1,
                             "reasons": {"off_topic": 1}}


def test_the_authors_export_says_it_is_hidden(as_, hidden):
    data = json.loads(html(as_("author").get("/account/export")))
    [idea] = data["ideas"]["ideas"]
    assert idea["hidden"]["reason"] == "Werbung für ein Geschäft."


def test_the_idea_page_offers_report_and_hide(as_, board, author):
    idea = factories.idea(board, author, title="Öffentlich")
    url = f"/boards/innenstadt/ideas/{idea.id}"
    assert f"/report/ideas/{idea.id}" in html(as_("other").get(url))
    assert f"/report/ideas/{idea.id}" not in html(as_("author").get(url))
    assert f"/moderation/ideas/{idea.id}/hide" in html(as_("moderator").get(url))
    assert f"/moderation/ideas/{idea.id}/hide" not in html(as_("other").get(url))


def test_hiding_through_the_page(as_, board, author):
    idea = factories.idea(board, author, title="Zu verbergen")
    moderator = as_("moderator")
    refused = moderator.post(f"/moderation/ideas/{idea.id}/hide", data={"reason": ""})
    assert "Please give the reason for hiding it" in html(refused)
    moderator.post(f"/moderation/ideas/{idea.id}/hide", data={"reason": "Doppelt."})
    assert db.session.get(Idea, idea.id).hidden_reason == "Doppelt."
    assert as_("visitor").get(f"/boards/innenstadt/ideas/{idea.id}").status_code == 404


def test_the_author_and_staff_see_a_hidden_idea_marked_in_the_list(app, board, author):
    from mitwirkung.core.time import utcnow

    from ..conftest import signed_in_client
    from ..proposals.conftest import in_english

    idea = factories.idea(board, author, title="Ausgeblendete Idee")
    idea.hidden_at, idea.hidden_reason = utcnow(), "Werbung"
    db.session.commit()
    page = in_english(signed_in_client(app, author)).get(f"/boards/{board.slug}?mine=1")
    html = page.get_data(as_text=True)
    assert "Ausgeblendete Idee" in html and "Status: hidden by the moderation" in html
