"""The author edits an idea while it awaits approval and withdraws it with a reason; nobody
else can do either, by any id (SECURITY.md: acting on another person's idea)."""

import io

import pytest

from mitwirkung.core.moderation import ModerationState
from mitwirkung.extensions import db

from ..projects import factories as project_factories
from . import factories
from .conftest import html


@pytest.fixture
def pending(board, author):
    return factories.idea(board, author, title="Erster Titel", text="Erster Text",
                          category=board.categories[0], state=ModerationState.PENDING)


@pytest.fixture
def public(board, author):
    return factories.idea(board, author, title="Öffentliche Idee", text="Schon frei")


def edit_form(board, **fields) -> dict:
    values = {"title": "Neuer Titel", "text": "Neuer Text",
              "category_id": str(board.categories[1].id), "place": "Stiftsplatz",
              "image_alt": ""}
    values.update(fields)
    return values


def snapshot(idea) -> tuple:
    db.session.refresh(idea)
    return (idea.title, idea.text, idea.category_id, idea.place, idea.image, idea.withdrawn_at,
            idea.withdraw_reason, idea.moderation_state)


def test_the_author_edits_a_pending_idea(as_, board, pending):
    client = as_("author")
    page = html(client.get(f"/boards/innenstadt/ideas/{pending.id}/edit"))
    assert 'value="Erster Titel"' in page
    response = client.post(f"/boards/innenstadt/ideas/{pending.id}/edit", data=edit_form(board))
    assert response.status_code == 302
    db.session.refresh(pending)
    assert (pending.title, pending.text, pending.place) == ("Neuer Titel", "Neuer Text",
                                                            "Stiftsplatz")
    assert pending.category_id == board.categories[1].id and pending.is_pending
    assert "<p>Neuer Text</p>" == pending.text_html


def test_the_author_adds_and_removes_an_image_while_pending(as_, board, pending):
    client = as_("author")
    data = edit_form(board, image_alt="Bühne") | {
        "image_file": (io.BytesIO(project_factories.image_bytes()), "b.png")}
    client.post(f"/boards/innenstadt/ideas/{pending.id}/edit", data=data,
                content_type="multipart/form-data")
    db.session.refresh(pending)
    assert pending.image and pending.image_alt == "Bühne"
    refused = client.post(f"/boards/innenstadt/ideas/{pending.id}/edit",
                          data=edit_form(board, image_alt=""))
    assert "Please describe the image." in html(refused)
    client.post(f"/boards/innenstadt/ideas/{pending.id}/edit",
                data=edit_form(board, remove_image="y"))
    db.session.refresh(pending)
    assert pending.image is None and pending.image_alt == ""


def test_a_public_idea_can_no_longer_be_edited(as_, board, public):
    before = snapshot(public)
    client = as_("author")
    response = client.post(f"/boards/innenstadt/ideas/{public.id}/edit", data=edit_form(board))
    assert response.status_code == 302 and snapshot(public) == before
    assert "Edit idea" not in html(client.get(f"/boards/innenstadt/ideas/{public.id}"))
    follow = html(client.get(f"/boards/innenstadt/ideas/{public.id}/edit",
                             follow_redirects=True))
    assert "can no longer be edited" in follow


@pytest.mark.parametrize("role, status", [
    ("other", 404), ("moderator", 403), ("staff", 403), ("admin", 403), ("visitor", 302),
    ("unconfirmed", 403),
])
def test_nobody_else_edits_or_withdraws_a_pending_idea(as_, board, pending, role, status):
    before = snapshot(pending)
    client = as_(role)
    for path in ("edit", "withdraw"):
        url = f"/boards/innenstadt/ideas/{pending.id}/{path}"
        assert client.get(url).status_code == status, (path, "GET")
        response = client.post(url, data=edit_form(board) | {"reason": "other"})
        assert response.status_code == status, (path, "POST")
    assert snapshot(pending) == before


@pytest.mark.parametrize("role, status", [("other", 403), ("moderator", 403), ("staff", 403)])
def test_nobody_else_withdraws_a_public_idea(as_, board, public, role, status):
    before = snapshot(public)
    response = as_(role).post(f"/boards/innenstadt/ideas/{public.id}/withdraw",
                              data={"reason": "done"})
    assert response.status_code == status and snapshot(public) == before


def test_an_idea_of_another_board_is_not_found_through_this_one(as_, pending):
    other = factories.board(slug="anderswo")
    assert as_("author").get(f"/boards/anderswo/ideas/{pending.id}/edit").status_code == 404
    assert other.id != pending.board_id


def test_the_author_withdraws_with_a_reason_and_keeps_the_page(as_, board, public):
    client = as_("author")
    page = html(client.get(f"/boards/innenstadt/ideas/{public.id}/withdraw"))
    assert "a duplicate of another idea" in page and "already done" in page
    refused = client.post(f"/boards/innenstadt/ideas/{public.id}/withdraw", data={})
    assert "Please choose a reason." in html(refused)
    response = client.post(f"/boards/innenstadt/ideas/{public.id}/withdraw",
                           data={"reason": "duplicate", "note": "Gibt es als Nr. 3"})
    assert response.status_code == 302
    db.session.refresh(public)
    assert public.withdrawn_at and public.withdraw_reason == "duplicate"
    own = html(client.get(f"/boards/innenstadt/ideas/{public.id}"))
    assert "Withdrawn by its author" in own and "Gibt es als Nr. 3" in own
    assert "Withdraw idea" not in own
    assert as_("visitor").get(f"/boards/innenstadt/ideas/{public.id}").status_code == 404
    assert "Öffentliche Idee" not in html(as_("other").get("/boards/innenstadt"))
    again = client.post(f"/boards/innenstadt/ideas/{public.id}/withdraw",
                        data={"reason": "other"})
    assert again.status_code == 302
    db.session.refresh(public)
    assert public.withdraw_reason == "duplicate"


def test_a_pending_idea_can_be_withdrawn_and_leaves_the_queue(as_, pending):
    as_("author").post(f"/boards/innenstadt/ideas/{pending.id}/withdraw",
                       data={"reason": "other"})
    db.session.refresh(pending)
    assert pending.withdrawn_at is not None
    assert "Erster Titel" not in html(as_("moderator").get("/moderation"))


def test_an_unknown_reason_is_refused(as_, public):
    response = as_("author").post(f"/boards/innenstadt/ideas/{public.id}/withdraw",
                                  data={"reason": "weil"})
    assert response.status_code == 200 and "Not a valid choice" in html(response)
    db.session.refresh(public)
    assert public.withdrawn_at is None
