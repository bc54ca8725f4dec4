"""A board's ideas leave the platform two ways: the CSV for staff (every idea, the German
spreadsheet profile, no e-mail or real name) and the public JSON (published ideas only)."""

import csv
import io
import json

import pytest

from mitwirkung.core.moderation import ModerationState
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.proposals.listing import api
from mitwirkung.proposals.models import BoardStatus, IdeaStatus
from tests import factories as user_factories
from tests.conftest import signed_in_client

from . import factories


@pytest.fixture
def board(app):
    """A board with a public idea (with a place and a point), a formula for a title, and a
    pending, a rejected and a withdrawn idea."""
    board = factories.board(slug="export")
    author = user_factories.user(username="erika", first_name="Erika", last_name="Mustermann",
                                 email="erika@example.org")
    kultur = board.categories[0]
    factories.idea(board, author, title="Offene Bühne", text="Musik für alle.\nJeden Freitag.",
                   place="Stiftsplatz", latitude=49.4447, longitude=7.7690, category=kultur,
                   status=IdeaStatus.ACCEPTED, answer="Machen wir.", supports_count=3)
    factories.idea(board, author, title="=HYPERLINK(\"http://evil\")", text="-1+1",
                   place="@Markt")
    factories.idea(board, author, title="Wartende Idee", state=ModerationState.PENDING)
    factories.idea(board, author, title="Abgelehnte Idee", state=ModerationState.REJECTED)
    factories.idea(board, author, title="Zurückgezogene Idee", withdrawn_at=utcnow(),
                   withdraw_reason="done")
    return board


# CSV ------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff") and "\r\n" in text
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_download_every_idea_with_its_facts(app, board, role):
    client = signed_in_client(app, user_factories.user(role=role))
    response = client.get("/boards/export/ideas.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=ideen-export.csv"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.mimetype == "text/csv"
    rows = read_csv(response)
    assert rows[0] == ["Nr.", "Titel", "Kategorie", "Status", "Freigabe", "Unterstützungen",
                       "Eingereicht", "Ort", "Verfasst von", "Antwort", "Zurückgezogen"]
    by_title = {row[1]: row for row in rows[1:]}
    assert len(rows) == 6
    stage = by_title["Offene Bühne"]
    assert stage[2:9] == ["Kultur", "angenommen", "freigegeben", "3", stage[6], "Stiftsplatz",
                          "erika"]
    assert stage[9] == "Machen wir." and stage[10] == ""
    assert by_title["Wartende Idee"][4] == "wartet auf Freigabe"
    assert by_title["Abgelehnte Idee"][4] == "abgelehnt"
    assert by_title["Zurückgezogene Idee"][10] != ""


def test_the_csv_names_no_address_or_real_name_and_neutralises_formulas(app, board):
    response = signed_in_client(app, user_factories.user(role="staff")).get(
        "/boards/export/ideas.csv")
    text = response.get_data(as_text=True)
    assert "erika@example.org" not in text and "Mustermann" not in text
    formula = next(row for row in read_csv(response) if "HYPERLINK" in row[1])
    assert formula[1].startswith("'=") and formula[7] == "'@Markt"


def test_an_author_s_deleted_account_is_named_as_such(app, board):
    from mitwirkung.accounts.models import User

    erika = db.session.scalar(db.select(User).where(User.username == "erika"))
    erika.deleted_at = utcnow()
    db.session.commit()
    rows = read_csv(signed_in_client(app, user_factories.user(role="staff")).get(
        "/boards/export/ideas.csv"))
    assert {row[8] for row in rows[1:]} == {"gelöschtes Konto"}


@pytest.mark.parametrize("role, status", [("visitor", 302), ("citizen", 403),
                                          ("moderator", 403)])
def test_others_cannot_download_the_csv(clients, board, role, status):
    response = clients[role].get("/boards/export/ideas.csv")
    assert response.status_code == status
    assert "Offene Bühne" not in response.get_data(as_text=True)


def test_the_list_offers_staff_the_download(app, board):
    staff = signed_in_client(app, user_factories.user(role="staff"))
    assert "/boards/export/ideas.csv" in staff.get("/boards/export").get_data(as_text=True)
    citizen = signed_in_client(app, user_factories.user())
    assert "/boards/export/ideas.csv" not in citizen.get("/boards/export").get_data(as_text=True)


# JSON -----------------------------------------------------------------------------------


def get_json(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/json"
    return json.loads(response.get_data(as_text=True))


def test_the_json_holds_the_published_ideas_for_everyone(app, board, clients):
    for role in ("visitor", "citizen", "staff", "admin"):
        data = get_json(clients[role], "/api/boards/export/ideas")
        titles = [idea["title"] for idea in data["ideas"]]
        assert titles == ["Offene Bühne", "=HYPERLINK(\"http://evil\")"], role
        assert data["total"] == 2 and data["pages"] == 1 and data["next"] is None


def test_each_idea_carries_its_facts_and_permalink(client, board):
    idea = get_json(client, "/api/boards/export/ideas")["ideas"][0]
    assert set(idea) == {"id", "title", "text", "category", "status", "supports", "created",
                         "place", "coordinates", "url"}
    assert idea["text"] == "Musik für alle.\nJeden Freitag."
    assert (idea["category"], idea["status"], idea["supports"], idea["place"]) == (
        "Kultur", "accepted", 3, "Stiftsplatz")
    assert idea["coordinates"] == {"latitude": 49.4447, "longitude": 7.769}
    assert idea["created"].endswith("Z")
    assert idea["url"] == f"http://mitwirkung.test/boards/export/ideas/{idea['id']}"
    assert client.get(idea["url"].removeprefix("http://mitwirkung.test")).status_code == 200


def test_links_come_from_the_site_url_not_the_host_header(client, board):
    response = client.get("/api/boards/export/ideas", headers={"Host": "evil.example"})
    assert "evil.example" not in response.get_data(as_text=True)


def test_the_json_comes_in_pages(client, monkeypatch):
    board = factories.board(slug="seiten")
    for n in range(5):
        factories.idea(board, title=f"Idee {n}")
    monkeypatch.setattr(api, "PER_PAGE", 2)
    first = get_json(client, "/api/boards/seiten/ideas")
    assert [idea["title"] for idea in first["ideas"]] == ["Idee 0", "Idee 1"]
    assert first["pages"] == 3 and first["per_page"] == 2
    assert first["next"] == "http://mitwirkung.test/api/boards/seiten/ideas?page=2"
    last = get_json(client, "/api/boards/seiten/ideas?page=3")
    assert [idea["title"] for idea in last["ideas"]] == ["Idee 4"] and last["next"] is None
    assert get_json(client, "/api/boards/seiten/ideas?page=9")["ideas"] == []


@pytest.mark.parametrize("query, status", [("page=abc", 200), ("page=-1", 200),
                                           ("page=" + "9" * 20, 404), ("page=%00", 400)])
def test_hostile_pages_are_harmless(client, board, query, status):
    assert client.get(f"/api/boards/export/ideas?{query}").status_code == status


def test_a_draft_board_or_an_unknown_one_is_404_for_everyone(clients, board):
    board.status = BoardStatus.DRAFT
    db.session.commit()
    for role in ("visitor", "citizen", "staff", "admin"):
        assert clients[role].get("/api/boards/export/ideas").status_code == 404, role
        assert clients[role].get("/api/boards/nichts/ideas").status_code == 404, role


def test_the_json_runs_a_few_queries_whatever_the_board_holds(app, count_queries):
    counts = []
    for size in (5, 150):
        board = factories.board()
        for n in range(size):
            factories.idea(board, title=f"Idee {n}", category=board.categories[n % 3])
        counts.append(count_queries(app.test_client(), f"/api/boards/{board.slug}/ideas"))
    assert counts[0] == counts[1] <= 5, counts
