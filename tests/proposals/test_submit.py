"""Submitting an idea: two steps (what it is; similar ideas and an optional picture), then
pending or public as the board says; once per submission, only while submitting is open."""

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from mitwirkung.core.moderation import ModerationState
from mitwirkung.core.time import local_today
from mitwirkung.extensions import db
from mitwirkung.proposals.ideas import services as ideas
from mitwirkung.proposals.models import Idea

from ..projects import factories as project_factories
from . import factories
from .conftest import html

KEY = "k" * 22


def form(board, **fields) -> dict:
    values = {"title": "Bühne auf dem Stiftsplatz", "text": "Eine offene Bühne für alle.",
              "category_id": str(board.categories[0].id), "place": "", "submission_key": KEY}
    values.update(fields)
    return {name: value for name, value in values.items() if value is not None}


def ideas_of(board) -> list[Idea]:
    return list(db.session.scalars(select(Idea).where(Idea.board_id == board.id)
                                   .order_by(Idea.id)))


def test_first_step_offers_the_form_with_a_fresh_submission_key(as_, board):
    page = html(as_("author").get("/boards/innenstadt/submit"))
    assert 'name="title"' in page and 'name="text"' in page and 'name="category_id"' in page
    assert 'name="submission_key"' in page
    # Coordinates only on a board with a map; the picture only in the second step.
    assert 'name="latitude"' not in page and 'name="image_file"' not in page


def test_continue_shows_similar_public_ideas_and_saves_nothing(as_, board, author):
    shown = factories.idea(board, title="Bühnenabend am Stiftsplatz", text="Musik auf einer Bühne")
    factories.idea(board, title="Wartende Bühne", text="Bühne", state=ModerationState.PENDING)
    factories.idea(board, title="Abgelehnte Bühne", text="Bühne",
                   state=ModerationState.REJECTED)
    factories.idea(board, title="Flohmarkt", text="Kinder verkaufen Spielsachen")
    other_board = factories.board()
    factories.idea(other_board, title="Bühne anderswo", text="Bühne")
    response = as_("author").post("/boards/innenstadt/submit", data=form(board))
    page = html(response)
    assert response.status_code == 200
    assert "Similar ideas" in page and "Bühnenabend am Stiftsplatz" in page
    assert f"/boards/innenstadt/ideas/{shown.id}" in page
    for hidden in ("Wartende Bühne", "Abgelehnte Bühne", "Flohmarkt", "Bühne anderswo"):
        assert hidden not in page
    # The typed values travel on, and the picture is asked for now.
    assert 'value="Bühne auf dem Stiftsplatz"' in page and 'name="image_file"' in page
    assert len(ideas_of(board)) == 4


def test_at_most_five_similar_ideas_are_shown(board):
    for n in range(8):
        factories.idea(board, title=f"Konzert {n}", text="Ein Konzert im Park")
    similar = ideas.similar_ideas(board, "Konzert", "im Park")
    assert len(similar) == 5


def test_confirm_stores_a_pending_idea_the_author_sees_marked(as_, board, author, outbox):
    client = as_("author")
    response = client.post("/boards/innenstadt/submit/confirm", data=form(board))
    [idea] = ideas_of(board)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/boards/innenstadt/ideas/{idea.id}")
    assert (idea.author_id, idea.moderation_state) == (author.id, "pending")
    assert idea.category_id == board.categories[0].id
    page = html(client.get(f"/boards/innenstadt/ideas/{idea.id}"))
    assert "awaiting approval" in page and "Edit idea" in page
    assert outbox() == []  # the author hears of the decision, not of their own submission


def test_without_pre_moderation_the_idea_is_public_at_once(as_, author):
    board = factories.board(slug="offen", premoderation=False)
    as_("author").post("/boards/offen/submit/confirm", data=form(board))
    [idea] = ideas_of(board)
    assert idea.is_public and idea.moderated_at is not None
    assert as_("visitor").get(f"/boards/offen/ideas/{idea.id}").status_code == 200


def test_a_double_click_stores_one_idea(as_, board):
    client = as_("author")
    first = client.post("/boards/innenstadt/submit/confirm", data=form(board))
    second = client.post("/boards/innenstadt/submit/confirm", data=form(board))
    [idea] = ideas_of(board)
    assert first.headers["Location"] == second.headers["Location"]
    assert second.headers["Location"].endswith(f"/ideas/{idea.id}")


def test_the_same_key_from_another_person_is_another_idea(as_, board):
    as_("author").post("/boards/innenstadt/submit/confirm", data=form(board))
    as_("other").post("/boards/innenstadt/submit/confirm", data=form(board))
    assert len(ideas_of(board)) == 2


def test_a_second_submission_racing_the_first_finds_its_idea(app, board, author, monkeypatch):
    with app.test_request_context():
        fields = ideas.IdeaFields("Titel", "Text", board.categories[0].id)
        first, created = ideas.submit_idea(board, author, fields, submission_key=KEY)
        # The second request looked before the first one's idea was there to see: the
        # unique index decides, and it finds the first one's idea after all.
        original, calls = ideas._submitted, []

        def late(*args):
            calls.append(1)
            return None if len(calls) == 1 else original(*args)

        monkeypatch.setattr(ideas, "_submitted", late)
        second, created_again = ideas.submit_idea(board, author, fields, submission_key=KEY)
    assert created and not created_again and second.id == first.id and len(calls) == 2
    assert len(ideas_of(board)) == 1


def test_change_goes_back_to_the_first_step_with_what_was_typed(as_, board):
    response = as_("author").post("/boards/innenstadt/submit",
                                  data=form(board, text="Zeile 1\nZeile 2", back="1"))
    page = html(response)
    assert "Step 1 of 2" in page and "Zeile 1\nZeile 2</textarea>" in page
    assert "Please correct" not in page and not ideas_of(board)


@pytest.mark.parametrize("fields, field, message", [
    ({"title": ""}, "title", "This field is required."),
    ({"title": "x" * 121}, "title", "Field cannot be longer than 120 characters."),
    ({"text": "x" * 5001}, "text", "Field cannot be longer than 5000 characters."),
    ({"category_id": "0"}, "category_id", "Please choose a category."),
    ({"category_id": "abc"}, "category_id", "Please choose a category."),
])
def test_first_step_errors_keep_what_was_typed(as_, board, fields, field, message):
    response = as_("author").post("/boards/innenstadt/submit", data=form(board, **fields))
    page = html(response)
    assert response.status_code == 200 and "Step 1 of 2" in page
    assert "Please correct the following:" in page and message in page
    assert not ideas_of(board)


def test_a_category_of_another_board_is_refused_on_saving(as_, board):
    other = factories.board()
    response = as_("author").post("/boards/innenstadt/submit/confirm",
                                  data=form(board, category_id=str(other.categories[0].id)))
    assert response.status_code == 200 and "Step 1 of 2" in html(response)
    assert not ideas_of(board)


def test_a_board_without_categories_asks_for_none(as_):
    board = factories.board(slug="ohne", categories=())
    page = html(as_("author").get("/boards/ohne/submit"))
    assert 'name="category_id"' not in page
    as_("author").post("/boards/ohne/submit/confirm",
                       data={"title": "T", "text": "X", "submission_key": KEY})
    [idea] = ideas_of(board)
    assert idea.category_id is None


def test_an_image_needs_its_description_and_is_stored(as_, board):
    client = as_("author")
    picture = project_factories.image_bytes()
    data = form(board, image_alt="") | {"image_file": (io.BytesIO(picture), "bild.png")}
    refused = client.post("/boards/innenstadt/submit/confirm", data=data,
                          content_type="multipart/form-data")
    assert refused.status_code == 200 and "Please describe the image." in html(refused)
    assert "Step 2 of 2" in html(refused) and not ideas_of(board)
    data = form(board, image_alt="Eine Bühne") | {"image_file": (io.BytesIO(picture), "b.png")}
    client.post("/boards/innenstadt/submit/confirm", data=data,
                content_type="multipart/form-data")
    [idea] = ideas_of(board)
    assert idea.image and idea.image_alt == "Eine Bühne"


def test_an_empty_file_field_is_no_image(as_, board):
    data = form(board) | {"image_file": (io.BytesIO(b""), "")}
    response = as_("author").post("/boards/innenstadt/submit/confirm", data=data,
                                  content_type="multipart/form-data")
    assert response.status_code == 302
    [idea] = ideas_of(board)
    assert idea.image is None


def test_a_file_that_is_no_image_is_refused_with_a_message(as_, board):
    data = form(board, image_alt="Bild") | {"image_file": (io.BytesIO(b"<svg/>"), "x.svg")}
    response = as_("author").post("/boards/innenstadt/submit/confirm", data=data,
                                  content_type="multipart/form-data")
    assert "This is not a valid JPEG, PNG or WebP image." in html(response)
    assert not ideas_of(board)


@pytest.mark.parametrize("latitude, longitude, ok", [
    ("49.4447", "7.769", True), ("49,4447", "7,769", True), ("", "", True),
    ("49.4", "", False), ("", "7.7", False),
    ("91", "7", False), ("49", "181", False), ("NaN", "7", False), ("inf", "7", False),
    ("abc", "7", False),
])
def test_coordinates_on_a_map_board_come_as_a_pair_in_range(as_, latitude, longitude, ok):
    board = factories.board(slug="karte", map_enabled=True)
    response = as_("author").post("/boards/karte/submit/confirm", data=form(
        board, latitude=latitude, longitude=longitude))
    assert (response.status_code == 302) is ok, html(response)
    if ok and latitude:
        [idea] = ideas_of(board)
        assert (idea.latitude, idea.longitude) == (49.4447, 7.769)


def test_a_map_board_asks_for_the_point_with_the_maps_picker(as_):
    factories.board(slug="karte", map_enabled=True)
    page = html(as_("author").get("/boards/karte/submit"))
    assert 'class="point-picker"' in page and "The place on the map" in page
    assert page.index('name="place"') < page.index('name="latitude"')
    assert "leaflet" not in page  # no tile server configured: no map, only the fields


def test_a_competition_shows_its_rules_first_and_needs_them_accepted(as_):
    board = factories.board(slug="wettbewerb", competition=True,
                            rules="Höchstens **7.500 Euro**.")
    client = as_("author")
    page = html(client.get("/boards/wettbewerb/submit"))
    assert page.index("<strong>7.500 Euro</strong>") < page.index('name="title"')
    refused = client.post("/boards/wettbewerb/submit", data=form(board))
    assert "Please accept the rules to take part." in html(refused)
    second = client.post("/boards/wettbewerb/submit", data=form(board, accept_rules="y"))
    assert "Step 2 of 2" in html(second)
    assert client.post("/boards/wettbewerb/submit/confirm",
                       data=form(board)).status_code == 200  # not accepted: not saved
    client.post("/boards/wettbewerb/submit/confirm", data=form(board, accept_rules="y"))
    assert len(ideas_of(board)) == 1


@pytest.mark.parametrize("fields", [
    {"submit_until": local_today() - timedelta(days=1)},
    {"status": "draft"},
])
def test_nothing_is_taken_while_submitting_is_closed(as_, people, fields):
    board = factories.board(slug="zu", **fields)
    client = as_("staff") if fields.get("status") == "draft" else as_("author")
    assert client.get("/boards/zu/submit").status_code == 403
    response = client.post("/boards/zu/submit/confirm", data=form(board))
    assert response.status_code == 403 and not ideas_of(board)


def test_submitting_is_open_on_its_last_day(as_):
    board = factories.board(slug="heute", submit_until=local_today())
    assert as_("author").post("/boards/heute/submit/confirm",
                              data=form(board)).status_code == 302


def test_a_draft_project_keeps_its_board_closed(as_, people):
    project = project_factories.project(status="draft")
    board = factories.board(project, slug="entwurf")
    assert as_("staff").post("/boards/entwurf/submit/confirm",
                             data=form(board)).status_code == 403


def test_saving_ideas_is_rate_limited_per_account(as_, board):
    client = as_("author")
    statuses = [client.post("/boards/innenstadt/submit/confirm",
                            data=form(board, submission_key=f"key-{n:02d}-" + "x" * 14)
                            ).status_code for n in range(12)]
    assert statuses[:10] == [302] * 10 and statuses[10:] == [429, 429]
    assert db.session.scalar(select(func.count(Idea.id))) == 10


def test_the_first_step_is_rate_limited_per_address(as_, board):
    client = as_("author")
    statuses = [client.post("/boards/innenstadt/submit", data=form(board)).status_code
                for _ in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
