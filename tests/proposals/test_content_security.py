"""SECURITY.md, content: a pending or rejected idea appears nowhere for others (its page,
the similar ideas shown while submitting, mails, its image); its image is served to its
author, moderators and staff only, never cached publicly; user text is escaped wherever it
is shown."""

import io

import pytest

from mitwirkung.core import uploads
from mitwirkung.core.moderation import ModerationState
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db

from ..projects import factories as project_factories
from . import factories
from .conftest import html

XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'
SHORT_XSS = "<img src=x onerror=alert(1)>"  # fits a category's 60 characters


@pytest.fixture
def image(app):
    with app.test_request_context():
        return uploads.save_image(io.BytesIO(project_factories.image_bytes()))


@pytest.mark.parametrize("state, fields", [
    (ModerationState.PENDING, {}),
    (ModerationState.REJECTED, {}),
    (ModerationState.APPROVED, {"withdrawn_at": utcnow(), "withdraw_reason": "other"}),
])
def test_an_idea_that_is_not_public_is_nowhere_for_others(as_, board, author, state, fields,
                                                          outbox):
    hidden = factories.idea(board, author, title="Geheimes Bühnenprojekt",
                            text="Eine Bühne nur für mich", state=state, **fields)
    for role in ("visitor", "other", "unconfirmed"):
        client = as_(role)
        assert client.get(f"/boards/innenstadt/ideas/{hidden.id}").status_code == 404
        assert "Geheimes Bühnenprojekt" not in html(client.get("/boards/innenstadt"))
        assert "Geheimes Bühnenprojekt" not in html(client.get(f"/projects/{board.project.slug}"))
    # Not among the similar ideas offered while someone else submits one about a stage.
    step = html(as_("other").post("/boards/innenstadt/submit", data={
        "title": "Bühne", "text": "Eine Bühne", "category_id": str(board.categories[0].id),
        "submission_key": "s" * 22}))
    assert "Step 2 of 2" in step and "Geheimes Bühnenprojekt" not in step
    assert outbox() == []


def test_a_pending_ideas_image_is_for_its_author_moderators_and_staff(as_, board, author,
                                                                      image):
    idea = factories.idea(board, author, state=ModerationState.PENDING, image=image,
                          image_alt="Skizze")
    url = f"/uploads/{image}"
    for role in ("visitor", "other", "unconfirmed"):
        assert as_(role).get(url).status_code == 404, role
    for role in ("author", "moderator", "staff", "admin"):
        response = as_(role).get(url)
        assert response.status_code == 200, role
        assert response.headers["Cache-Control"] == "private, no-store"
    idea.moderation_state = ModerationState.APPROVED
    db.session.commit()
    response = as_("visitor").get(url)
    assert response.status_code == 200 and "max-age" in response.headers["Cache-Control"]


def test_a_withdrawn_ideas_image_is_no_longer_public(as_, board, author, image):
    factories.idea(board, author, image=image, image_alt="x", withdrawn_at=utcnow(),
                   withdraw_reason="done")
    assert as_("visitor").get(f"/uploads/{image}").status_code == 404
    assert as_("author").get(f"/uploads/{image}").status_code == 200


def test_an_image_on_a_draft_board_is_for_staff(as_, author, image):
    board = factories.board(status="draft")
    factories.idea(board, author, image=image, image_alt="x")
    assert as_("visitor").get(f"/uploads/{image}").status_code == 404
    assert as_("staff").get(f"/uploads/{image}").status_code == 200


def test_user_text_is_escaped_on_every_page_it_reaches(as_, author, people):
    board = factories.board(slug="xss", premoderation=True, competition=True, rules="R",
                            categories=(SHORT_XSS,), support_from=None, support_until=None)
    idea = factories.idea(board, author, title=XSS, text=XSS, place=XSS,
                          category=board.categories[0])
    pending = factories.idea(board, author, title=XSS, text=XSS, place=XSS,
                             state=ModerationState.PENDING)
    staff = as_("staff")
    staff.post(f"/boards/xss/ideas/{idea.id}/answer",
               data={"answer-status": "accepted", "answer-answer": XSS})
    staff.post(f"/boards/xss/ideas/{idea.id}/feasibility",
               data={"feasibility-feasibility": "not_feasible", "feasibility-reason": XSS})
    pages = [
        as_("visitor").get(f"/boards/xss/ideas/{idea.id}"),
        as_("author").get(f"/boards/xss/ideas/{pending.id}"),
        as_("author").get(f"/boards/xss/ideas/{pending.id}/edit"),
        as_("moderator").get("/moderation"),
        as_("moderator").get(f"/moderation/ideas/{pending.id}/reject"),
        staff.get("/manage/boards/xss"),
        staff.get(f"/boards/xss/ideas/{idea.id}"),
        as_("visitor").get(f"/projects/{board.project.slug}"),
        as_("other").post("/boards/xss/submit", data={
            "title": XSS, "text": XSS, "place": XSS, "category_id": str(board.categories[0].id),
            "accept_rules": "y", "submission_key": "x" * 22}),
    ]
    for response in pages:
        page = html(response)
        assert response.status_code == 200
        assert "<script>window.__xss" not in page and "<img src=x" not in page, page
    as_("moderator").post(f"/moderation/ideas/{pending.id}/reject",
                          data={f"reject-ideas-{pending.id}-reason": XSS})
    rejected = html(as_("author").get(f"/boards/xss/ideas/{pending.id}"))
    assert "<script>" not in rejected.split("<main", 1)[1]
    audit_page = html(as_("admin").get("/admin/audit"))
    assert "<script>window.__xss" not in audit_page and "<img src=x" not in audit_page
