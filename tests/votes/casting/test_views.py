"""The online ballot through the browser's requests: page, review, cast, receipt, results."""

import json

import pytest
from sqlalchemy import func, select

from mitwirkung.extensions import db
from mitwirkung.votes.models import Ballot, Participation
from mitwirkung.votes.setup import questions as vote_questions

from ... import factories
from ...conftest import signed_in_client
from ...projects import factories as project_factories
from ..conftest import in_english
from ..factories import make_vote

pytestmark = pytest.mark.vote(slug="platz")


@pytest.fixture
def voter_client(app):
    return signed_in_client(app, factories.user())


def _ballots():
    return db.session.scalar(select(func.count()).select_from(Ballot))


def test_ballot_review_cast_and_receipt(vote, voter_client):
    page = voter_client.get("/votes/platz").get_data(as_text=True)
    assert 'name="q-entwurf"' in page and 'value="C"' in page and "<fieldset" in page
    review = voter_client.post("/votes/platz/review", data={"q-entwurf": "C", "q-name": ""})
    html = review.get_data(as_text=True)
    assert review.status_code == 200 and "Grünes Band" in html
    assert 'name="q-entwurf" value="C"' in html
    assert _ballots() == 0, "the review step stores nothing"
    cast = voter_client.post("/votes/platz/cast", data={"q-entwurf": "C", "q-name": ""})
    assert cast.headers["Location"].endswith("/votes/platz/receipt")
    assert voter_client.get("/votes/platz/receipt").status_code == 200
    assert _ballots() == 1
    again = voter_client.get("/votes/platz").get_data(as_text=True)
    assert 'name="q-entwurf"' not in again


def test_change_returns_to_the_ballot_with_the_choices_kept(vote, voter_client):
    html = voter_client.post("/votes/platz/change", data={"q-entwurf": "B", "q-name": "D"})
    page = html.get_data(as_text=True)
    assert 'id="q-entwurf-B" value="B" checked' in page
    assert 'id="q-name-D" value="D" checked' in page


def test_second_cast_is_refused_with_a_message(vote, voter_client):
    voter_client.post("/votes/platz/cast", data={"q-entwurf": "A"})
    second = voter_client.post("/votes/platz/cast", data={"q-entwurf": "B"})
    assert second.headers["Location"].endswith("/votes/platz")
    assert _ballots() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"q-entwurf": ["A", "B"]},
        {"q-entwurf": "D"},
        {"q-farbe": "A"},
    ],
    ids=["two answers to one question", "option of another question", "unknown question"],
)
def test_malformed_ballots_get_400_and_write_nothing(vote, voter_client, data):
    assert voter_client.post("/votes/platz/cast", data=data).status_code == 400
    assert voter_client.post("/votes/platz/review", data=data).status_code == 400
    assert _ballots() == 0


def test_a_choice_removed_after_the_review_gets_the_new_ballot_and_a_message(
    vote, voter_client
):
    review = voter_client.post("/votes/platz/review", data={"q-entwurf": "C"})
    assert "Grünes Band" in review.get_data(as_text=True)
    vote_questions.delete_option(vote.questions[0].options[2], factories.user(role="staff"))
    db.session.commit()
    cast = voter_client.post("/votes/platz/cast", data={"q-entwurf": "C"})
    html = cast.get_data(as_text=True)
    assert cast.status_code == 400 and _ballots() == 0
    assert "Nichts wurde gezählt" in html
    assert 'id="q-entwurf-B"' in html and 'id="q-entwurf-C"' not in html


def test_option_of_another_vote_gets_400(app, vote, voter_client):
    make_vote(project_factories.project(), questions=[("entwurf", "X", [("Z", "Zett")])])
    assert voter_client.post("/votes/platz/cast", data={"q-entwurf": "Z"}).status_code == 400
    assert _ballots() == 0


def test_cast_without_csrf_token_is_400(app, vote, voter_client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert voter_client.post("/votes/platz/cast", data={"q-entwurf": "A"}).status_code == 400
    assert _ballots() == 0


def test_closed_vote_refuses_a_ballot_sent_from_an_old_page(app, voter_client):
    from datetime import timedelta

    from mitwirkung.core.time import utcnow

    closed = make_vote(project_factories.project(), slug="zu",
                       opens_at=utcnow() - timedelta(days=5), closes_at=utcnow() - timedelta(1))
    response = voter_client.post("/votes/zu/cast", data={"q-entwurf": "A"})
    assert response.status_code == 302 and _ballots() == 0
    assert closed.status == "published"


def test_fifty_casts_by_one_account_leave_one_ballot(vote, voter_client):
    statuses = {voter_client.post("/votes/platz/cast", data={"q-entwurf": "A"}).status_code
                for _ in range(50)}
    assert statuses <= {302, 429}
    assert _ballots() == 1
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 1


def test_results_page_json_and_csv(vote, voter_client, client):
    voter_client.post("/votes/platz/cast", data={"q-entwurf": "B", "q-name": "A"})
    html = client.get("/votes/platz/results").get_data(as_text=True)
    assert "<svg" in html and "<table" in html and "Verschlungene Wege" in html
    data = json.loads(client.get("/api/votes/platz/results").data)
    assert data["ballots"] == {"online": 1, "paper": 0, "tally": 0}
    csv = client.get("/votes/platz/results.csv")
    assert csv.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in csv.headers["Cache-Control"]
    text = csv.get_data(as_text=True)
    assert text.startswith(
        "\ufeffFrage;Antwort;Titel;online;Papier;Strichliste;gesamt;Anteil (%)\r\n")
    assert "entwurf;B;Verschlungene Wege;1;0;0;1;100\r\n" in text
    assert "entwurf;leer;;0;0;0;0;\r\n" in text and "name;ungültig;;0;0;0;0;\r\n" in text


def test_result_csv_neutralises_a_formula_in_an_option_title(vote, voter_client, client):
    # PostgreSQL stores no NUL (the request guard refuses it); SQLite would.
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    vote.questions[0].options[1].title = ("\x00" if sqlite else "\x01") + "=1+1"
    db.session.commit()
    voter_client.post("/votes/platz/cast", data={"q-entwurf": "B"})
    text = client.get("/votes/platz/results.csv").get_data(as_text=True)
    assert "entwurf;B;'=1+1;1;0;0;1;100\r\n" in text and "\x00" not in text and "\x01" not in text


VOTE_ROUTES = [
    ("GET", "/votes/{slug}"),
    ("GET", "/votes/{slug}/results"),
    ("GET", "/votes/{slug}/results.csv"),
    ("GET", "/api/votes/{slug}/results"),
    ("GET", "/votes/{slug}/receipt"),
    ("POST", "/votes/{slug}/review"),
    ("POST", "/votes/{slug}/change"),
    ("POST", "/votes/{slug}/cast"),
]
ROLES = ("visitor", "citizen", "staff", "moderator", "admin")
# (kind of vote, method, path) -> status for visitor, citizen, staff, moderator, admin
EXPECTED = {
    "draft": {
        "GET /votes/{slug}": (404, 404, 200, 404, 200),
        "GET /votes/{slug}/results": (404, 404, 200, 404, 200),
        "GET /votes/{slug}/results.csv": (404, 404, 200, 404, 200),
        "GET /api/votes/{slug}/results": (404, 404, 200, 404, 200),
        "GET /votes/{slug}/receipt": (302, 404, 302, 404, 302),
        "POST /votes/{slug}/review": (302, 404, 200, 404, 200),
        "POST /votes/{slug}/change": (302, 404, 200, 404, 200),
        "POST /votes/{slug}/cast": (302, 404, 302, 404, 302),
    },
    "secret until closed": {
        "GET /votes/{slug}": (200, 200, 200, 200, 200),
        "GET /votes/{slug}/results": (403, 403, 200, 403, 200),
        "GET /votes/{slug}/results.csv": (403, 403, 200, 403, 200),
        "GET /api/votes/{slug}/results": (403, 403, 200, 403, 200),
        "GET /votes/{slug}/receipt": (302, 302, 302, 302, 302),
        "POST /votes/{slug}/review": (302, 200, 200, 200, 200),
        "POST /votes/{slug}/change": (302, 200, 200, 200, 200),
        "POST /votes/{slug}/cast": (302, 302, 302, 302, 302),
    },
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_vote_route_permissions(app, clients, kind):
    vote = make_vote(project_factories.project(),
                     status="draft" if kind == "draft" else "published",
                     visibility="after_close")
    for method, path in VOTE_ROUTES:
        expected = EXPECTED[kind][f"{method} {path}"]
        for role, status in zip(ROLES, expected, strict=True):
            data = {"q-entwurf": ""}  # an all-blank ballot is a valid one
            response = clients[role].open(path.format(slug=vote.slug), method=method, data=data)
            assert response.status_code == status, f"{kind}: {role} {method} {path}"
    assert _ballots() > 0 if kind != "draft" else _ballots() == 0


def test_the_receipt_promises_the_mix_and_the_results_say_what_waits(
    app, vote, voter_client, client, monkeypatch
):
    monkeypatch.setitem(app.config, "BALLOT_MIX_SIZE", 3)
    in_english(voter_client)
    voter_client.post("/votes/platz/cast", data={"q-entwurf": "C"})
    receipt = voter_client.get("/votes/platz/receipt").get_data(as_text=True)
    assert "Once at least 3 ballots have come in, yours is mixed with them" in receipt
    assert "nobody, not even whoever holds the database" in receipt
    signed_in_client(app, factories.user()).post("/votes/platz/cast", data={"q-entwurf": "A"})
    results = in_english(client).get("/votes/platz/results").get_data(as_text=True)
    assert "2 people have voted online so far; 0 of their ballots are counted" in results
    assert client.get("/api/votes/platz/results").get_json()["ballots"]["online"] == 0


def test_with_k_1_the_receipt_promises_no_mix(app, vote, voter_client):
    in_english(voter_client)
    voter_client.post("/votes/platz/cast", data={"q-entwurf": "C"})
    receipt = voter_client.get("/votes/platz/receipt").get_data(as_text=True)
    assert "It is stored without your name." in receipt
    assert "mixed" not in receipt and "database" not in receipt


def test_the_review_sent_again_after_voting_says_so_and_offers_no_cast_button(vote, voter_client):
    in_english(voter_client)
    voter_client.post("/votes/platz/cast", data={"q-entwurf": "C"})
    again = voter_client.post("/votes/platz/review", data={"q-entwurf": "A"})
    assert again.headers["Location"].endswith("/votes/platz")
    page = voter_client.get("/votes/platz").get_data(as_text=True)
    assert "You have already voted" in page and "/votes/platz/cast" not in page
    assert _ballots() == 1


def test_visitors_and_voters_read_every_question_and_option(app, vote, voter_client, client):
    for reader in (client, voter_client):
        page = reader.get("/votes/platz").get_data(as_text=True)
        assert "Welcher Entwurf soll umgesetzt werden?" in page
        assert "Wie soll der Platz heißen?" in page and "Lauterplatz" in page
    voter_client.post("/votes/platz/cast", data={"q-entwurf": "C"})
    page = voter_client.get("/votes/platz").get_data(as_text=True)
    assert "Grünes Band" in page and 'type="radio"' not in page


def test_the_paper_card_lists_every_question_with_its_codes_for_everyone(app, vote, client):
    page = client.get("/votes/platz/card").get_data(as_text=True)
    assert "Welcher Entwurf soll umgesetzt werden?" in page and "Lauterplatz" in page
    assert page.count('class="tick-box"') == 3 + 4
    assert 'href="/votes/platz/card"' in client.get("/votes/platz").get_data(as_text=True)
    draft = make_vote(project_factories.project(), slug="entwurf", status="draft")
    assert client.get(f"/votes/{draft.slug}/card").status_code == 404
