"""Staff pages for paper ballots: upload with preview, confirmation, manual entry, voiding."""

import base64
import html
import io
import re
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from mitwirkung.core.models import AuditEntry
from mitwirkung.extensions import db
from mitwirkung.votes.models import Ballot, PaperBatch
from mitwirkung.votes.paper import batches, cards
from mitwirkung.votes.paper.views import pack_file
from mitwirkung.votes.results.tally import tally
from tests.projects import factories as project_factories

from ..factories import make_vote

DATA = Path(__file__).resolve().parents[2] / "data"
WOCHENMARKT = (DATA / "ballots-wochenmarkt.csv").read_bytes()
BROKEN = (DATA / "ballots-broken.csv").read_bytes()
RATHAUS_LIKE = b"serial,entwurf,name\nR-1,A,B\n"
BASE = "/manage/votes/pfalztheater/batches"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def upload(client, data: bytes, name="ballots-wochenmarkt.csv", station="Wochenmarkt"):
    return client.post(f"{BASE}/import", data={
        "file": (io.BytesIO(data), name), "station": station, "collected_on": "2023-09-02",
    }, content_type="multipart/form-data")


def hidden_fields(page: str) -> dict[str, str]:
    fields = re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"', page)
    fields += re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)
    return {name: html.unescape(value) for name, value in fields}


def test_the_preview_shows_cards_and_counts_and_stores_nothing(vote, staff_client):
    response = upload(staff_client, WOCHENMARKT)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert "ballots-wochenmarkt.csv" in page and "Wochenmarkt" in page
    assert "Import 120 cards" in page
    assert "W-0001" in page and "W-0100" in page  # the first hundred rows
    assert 'scope="col"' in page and "<caption" in page
    counts = batches.parse_ballot_file(WOCHENMARKT, cards.question_specs(vote)).counts()
    entwurf_b = counts["entwurf"]["B"]
    assert re.search(rf"B – Verschlungene Wege</th><td class=\"num\">{entwurf_b}</td>", page)
    fields = hidden_fields(page)
    assert fields["station"] == "Wochenmarkt" and fields["collected_on"] == "2023-09-02"
    assert count(PaperBatch) == count(Ballot) == 0


def test_confirming_the_preview_imports_the_file(vote, staff_client, staff):
    fields = hidden_fields(upload(staff_client, WOCHENMARKT).get_data(as_text=True))
    response = staff_client.post(f"{BASE}/import/confirm", data=fields,
                                 content_type="multipart/form-data")
    assert response.status_code == 302 and response.location.endswith(BASE)
    [batch] = db.session.scalars(select(PaperBatch)).all()
    assert (batch.station, batch.collected_on, batch.source) == (
        "Wochenmarkt", date(2023, 9, 2), "csv")
    assert batch.entered_by_id == staff.id
    assert batch.file_name == "ballots-wochenmarkt.csv"
    assert tally(vote).paper_ballots == 120
    page = staff_client.get(BASE).get_data(as_text=True)
    assert "120 cards from “ballots-wochenmarkt.csv” were imported and counted." in page

    again = staff_client.post(f"{BASE}/import/confirm", data=fields,
                              content_type="multipart/form-data")
    assert again.status_code == 302
    assert "already imported" in staff_client.get(BASE).get_data(as_text=True)
    assert count(PaperBatch) == 1


def test_a_tampered_file_in_the_confirmation_is_refused(vote, staff_client):
    fields = hidden_fields(upload(staff_client, WOCHENMARKT).get_data(as_text=True))
    other = WOCHENMARKT.replace(b"W-0001;B;", b"W-0001;A;")
    tampered = fields | {"content": pack_file(other)}
    response = staff_client.post(f"{BASE}/import/confirm", data=tampered,
                                 content_type="multipart/form-data")
    assert response.status_code == 302 and response.location.endswith(f"{BASE}/import")
    assert "changed after the preview" in staff_client.get(BASE).get_data(as_text=True)
    garbage = fields | {"content": base64.b64encode(other).decode()}  # not packed by us
    assert staff_client.post(f"{BASE}/import/confirm", data=garbage).status_code == 400
    assert count(PaperBatch) == count(Ballot) == 0


def test_file_errors_are_listed_with_their_lines_and_nothing_can_be_confirmed(
    vote, staff_client
):
    response = upload(staff_client, BROKEN, name="ballots-broken.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="error-summary"' in page
    assert "Line 5: unknown option “D” for question “entwurf”." in page
    assert "Line 9: serial “X-0006” is also on line 7." in page
    assert "/import/confirm" not in page
    assert count(PaperBatch) == 0


def test_text_from_the_file_is_escaped(vote, staff_client):
    data = b"serial,entwurf,name\n<b>X-1</b>,A,<img src=x>\n"
    page = upload(staff_client, data, name="<script>alert(1)</script>.csv",
                  station="<i>Stand</i>").get_data(as_text=True)
    assert "<b>X-1" not in page and "<img src=x>" not in page and "<script>alert" not in page
    assert "&lt;img src=x&gt;" in page and "&lt;script&gt;alert(1)&lt;/script&gt;.csv" in page
    good = b"serial,entwurf,name\n<b>X-1</b>,A,B\n"
    fields = hidden_fields(upload(staff_client, good, station="<i>Stand</i>").get_data(
        as_text=True))
    staff_client.post(f"{BASE}/import/confirm", data=fields, content_type="multipart/form-data")
    page = staff_client.get(BASE).get_data(as_text=True)
    assert "&lt;i&gt;Stand&lt;/i&gt;" in page and "<i>Stand</i>" not in page
    batch = db.session.scalar(select(PaperBatch))
    cards = staff_client.get(f"{BASE}/{batch.id}").get_data(as_text=True)
    assert "&lt;b&gt;X-1&lt;/b&gt;" in cards and "<b>X-1" not in cards


def test_import_into_a_vote_with_a_final_result_is_refused(app, staff_client):
    from datetime import timedelta

    from mitwirkung.core.time import utcnow

    make_vote(project_factories.project(), slug="pfalztheater",
              opens_at=utcnow() - timedelta(days=9), closes_at=utcnow() - timedelta(days=1),
              final_at=utcnow())
    page = upload(staff_client, WOCHENMARKT).get_data(as_text=True)
    assert "The result of this vote is final" in page
    assert "The result of this vote is final" in staff_client.get(BASE).get_data(as_text=True)
    assert count(PaperBatch) == 0


def autofocused(page: str) -> list[str]:
    """Names of the inputs with autofocus."""
    return re.findall(r'<input[^>]*\bautofocus\b[^>]*\bname="([^"]+)"', page) + re.findall(
        r'<input[^>]*\bname="([^"]+)"[^>]*\bautofocus\b', page)


def test_manual_entry_flow(vote, staff_client):
    start = staff_client.post(f"{BASE}/new", data={"station": "Infostand",
                                                  "collected_on": "2023-09-05"})
    assert start.status_code == 302
    batch = db.session.scalar(select(PaperBatch))
    cards_url = f"{BASE}/{batch.id}"
    assert start.location.endswith(cards_url)

    entry = staff_client.get(cards_url).get_data(as_text=True)
    assert entry.count("<h1") == 1
    assert autofocused(entry) == ["serial"]
    assert '<label for="q-entwurf">Welcher Entwurf soll umgesetzt werden?</label>' in entry
    assert ("A = Offene Bühne, B = Verschlungene Wege, C = Grünes Band; empty = blank; "
            "X or “invalid” = invalid") in entry
    assert "/static/js/card-entry.js" in entry and "<script>" not in entry

    saved = staff_client.post(cards_url, data={"serial": "K-1", "q-entwurf": "b",
                                               "q-name": "theatergarten"})
    assert saved.status_code == 302 and saved.location.endswith(f"{cards_url}?after=K-1")
    staff_client.post(cards_url, data={"serial": "K-2", "q-entwurf": "x", "q-name": ""})
    page = staff_client.get(f"{cards_url}?after=K-2").get_data(as_text=True)
    assert "2 cards in this batch" in page and "Card K-2 saved." in page
    # The next card starts empty but for the proposed number; the cursor is in its first
    # answer, since it would land before the proposal (Shift+Tab selects it).
    assert 'name="serial" required type="text" value="K-3"' in page
    assert 'name="q-entwurf" type="text" value=""' in page
    assert autofocused(page) == ["q-entwurf"]

    refused = staff_client.post(cards_url, data={"serial": "k-1", "q-entwurf": "D",
                                                 "q-name": "Lauterplatz"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and 'id="error-summary"' in page
    assert "Card number “k-1” is already entered in this vote." in page
    assert ("“D” is not an answer to “Welcher Entwurf soll umgesetzt werden?”. Valid answers: "
            "A = Offene Bühne, B = Verschlungene Wege, C = Grünes Band") in page
    assert 'value="Lauterplatz"' in page and 'value="k-1"' in page  # what was typed is kept
    assert autofocused(page) == ["serial"]  # the first field with an error

    first = db.session.scalar(select(Ballot).where(Ballot.serial == "K-1"))
    edit_url = f"{cards_url}/cards/{first.id}/edit"
    form = staff_client.get(edit_url).get_data(as_text=True)
    assert 'value="K-1"' in form and 'value="B"' in form and 'value="A"' in form
    assert autofocused(form) == ["serial"]
    wrong = staff_client.post(edit_url, data={"serial": "K-1", "q-entwurf": "C", "q-name": "Q"})
    assert autofocused(wrong.get_data(as_text=True)) == ["q-name"]
    assert staff_client.post(edit_url, data={"serial": "K-1", "q-entwurf": "C"}).status_code == 302
    second = db.session.scalar(select(Ballot).where(Ballot.serial == "K-2"))
    assert staff_client.post(f"{cards_url}/cards/{second.id}/delete").status_code == 302
    assert tally(vote).paper_ballots == 0  # not counted while open

    asked = staff_client.get(f"{cards_url}/close").get_data(as_text=True)
    assert "Close the batch from Infostand?" in asked and 'id="count-warning"' not in asked
    assert batch.status == "open"
    closed = staff_client.post(f"{cards_url}/close")
    assert closed.status_code == 302 and closed.location.endswith(BASE)
    results = tally(vote)
    assert results.paper_ballots == 1
    assert [o.count.paper for o in results.questions[0].options] == [0, 0, 1]

    late = staff_client.post(cards_url, data={"serial": "K-9", "q-entwurf": "A"})
    assert late.status_code == 302
    assert "no longer open" in staff_client.get(cards_url).get_data(as_text=True)
    assert staff_client.post(f"{cards_url}/cards/{first.id}/delete").status_code == 302
    assert batches.batch_size(batch) == 1
    assert staff_client.get(f"{cards_url}/close").status_code == 302  # nothing to ask


def test_voiding_asks_on_a_page_of_its_own_and_needs_a_reason(vote, staff_client, staff):
    batch, _parsed = batches.import_batch(vote, WOCHENMARKT, station="Markt",
                                          collected_on=date(2023, 9, 2), entered_by=staff,
                                          file_name="w.csv")
    db.session.commit()
    void_url = f"{BASE}/{batch.id}/void"
    listing = staff_client.get(BASE).get_data(as_text=True)
    assert f'href="{void_url}"' in listing and 'name="reason"' not in listing

    asked = staff_client.get(void_url).get_data(as_text=True)
    assert asked.count("<h1") == 1 and "Void the batch from Markt?" in asked
    assert "120" in asked and "This cannot be undone." in asked
    assert '<button type="submit" class="button danger">Void batch</button>' in asked
    assert f'href="{BASE}">Cancel</a>' in asked
    assert batch.status == "counted"

    refused = staff_client.post(void_url, data={"reason": "  "})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and 'id="error-summary"' in page
    assert 'href="#reason"' in page and "Please give a reason." in page
    assert autofocused(page) == ["reason"]
    assert batch.status == "counted"

    voided = staff_client.post(void_url, data={"reason": "Doppelt erfasst"})
    assert voided.status_code == 302 and voided.location.endswith(BASE)
    db.session.refresh(batch)
    assert batch.status == "void" and tally(vote).paper_ballots == 0
    page = staff_client.get(BASE).get_data(as_text=True)
    assert "Doppelt erfasst" in page and "no longer counts" in page
    assert f'href="{void_url}"' not in page  # no second void
    again = staff_client.get(void_url).get_data(as_text=True)
    assert "This batch is already void." in again and 'name="reason"' not in again
    twice = staff_client.post(void_url, data={"reason": "Noch einmal"})
    assert twice.status_code == 302
    assert "already void" in staff_client.get(BASE).get_data(as_text=True)


# Permissions ----------------------------------------------------------------------------

ROLES = ("visitor", "citizen", "staff", "moderator", "admin")
STAFF_ONLY = {"GET": (302, 403, 200, 403, 200), "POST": (302, 403, 302, 403, 302)}
FORM_AGAIN = (302, 403, 200, 403, 200)  # a POST that re-renders the form
# (method, path, form data, expected statuses by role); {batch} and {card} are made per request.
ROUTES = [
    ("GET", "", None, STAFF_ONLY["GET"]),
    ("GET", "/import", None, STAFF_ONLY["GET"]),
    ("POST", "/import", {"station": "Markt"}, FORM_AGAIN),
    ("POST", "/import/confirm", "confirm", STAFF_ONLY["POST"]),
    ("GET", "/new", None, STAFF_ONLY["GET"]),
    ("POST", "/new", {"station": "Markt", "collected_on": "2023-09-02"}, STAFF_ONLY["POST"]),
    ("GET", "/{batch}", None, STAFF_ONLY["GET"]),
    ("POST", "/{batch}", {"serial": "{serial}", "q-entwurf": "A"}, STAFF_ONLY["POST"]),
    ("GET", "/{batch}/cards/{card}/edit", None, STAFF_ONLY["GET"]),
    ("POST", "/{batch}/cards/{card}/edit", {"serial": "{serial}"}, STAFF_ONLY["POST"]),
    ("POST", "/{batch}/cards/{card}/delete", {}, STAFF_ONLY["POST"]),
    ("GET", "/{batch}/close", None, STAFF_ONLY["GET"]),
    ("POST", "/{batch}/close", {}, STAFF_ONLY["POST"]),
    ("GET", "/{batch}/void", None, STAFF_ONLY["GET"]),
    ("POST", "/{batch}/void", {"reason": "Test"}, STAFF_ONLY["POST"]),
]


def test_paper_ballot_route_permissions(app, clients, vote, staff, citizen, moderator):
    confirm = {"content": pack_file(WOCHENMARKT), "file_name": "w.csv", "station": "Markt",
               "collected_on": "2023-09-02",
               "sha256": batches.parse_ballot_file(WOCHENMARKT, ()).sha256}
    serials = iter(range(1, 1000))
    for method, path, data, expected in ROUTES:
        for role, status in zip(ROLES, expected, strict=True):
            batch = batches.open_batch(vote, "Stand", date(2023, 9, 2), staff)
            card = batches.add_card(batch, f"S-{next(serials)}", {"entwurf": "B"})
            db.session.commit()
            names = {"batch": batch.id, "card": card.id, "serial": f"S-{next(serials)}"}
            form = confirm if data == "confirm" else {
                key.format(**names): value.format(**names) for key, value in (data or {}).items()
            }
            url = BASE + path.format(**names)
            response = clients[role].open(url, method=method, data=form)
            assert response.status_code == status, f"{role} {method} {path}"
    others = (citizen.id, moderator.id)
    assert not db.session.scalar(select(func.count()).where(
        (PaperBatch.entered_by_id.in_(others)) | (PaperBatch.voided_by_id.in_(others))))
    assert count(PaperBatch.__table__.select().where(PaperBatch.file_sha256.is_not(None))
                 .subquery()) == 1


def test_a_corrected_file_keeps_station_and_day_and_the_format_is_said_plainly(
    vote, staff_client
):
    page = upload(staff_client, BROKEN, name="ballots-broken.csv",
                  station="Wochenmarkt Stiftsplatz").get_data(as_text=True)
    assert "UTF-8, separated by commas" in page
    again = re.search(r'href="([^"]*/import\?[^"]*)"', page).group(1).replace("&amp;", "&")
    form = staff_client.get(again).get_data(as_text=True)
    assert 'value="Wochenmarkt Stiftsplatz"' in form and 'value="2023-09-02"' in form


# Typing ahead: the entry script's JSON ----------------------------------------------------

JSON = {"Accept": "application/json"}


def open_cards_batch(staff_client, **fields) -> str:
    staff_client.post(f"{BASE}/new", data={"station": "Infostand",
                                           "collected_on": "2023-09-05", **fields})
    return f"{BASE}/{db.session.scalar(select(PaperBatch.id))}"


def test_the_entry_script_saves_a_card_and_gets_what_the_page_shows_after_it(
    vote, staff_client
):
    url = open_cards_batch(staff_client, expected_cards="120")
    response = staff_client.post(url, headers=JSON, data={
        "serial": "V-0011", "q-entwurf": "b", "q-name": "x"})
    assert response.status_code == 200 and response.is_json
    answer = response.get_json()
    assert answer["saved"] is True and answer["serial"] == "V-0011"
    assert answer["message"] == "Card V-0011 saved."
    assert answer["count"] == 1 and answer["count_text"] == "1 of 120 cards entered"
    assert answer["proposal"] == "V-0012"
    assert re.fullmatch(answer["pattern"], "v-0012", re.IGNORECASE)
    assert not re.fullmatch(answer["pattern"], "V-012", re.IGNORECASE)
    assert "such as V-0011" in answer["pattern_warning"]
    assert answer["note"] == ""
    assert 'id="table-caption"' in answer["cards"] and ">V-0011</th>" in answer["cards"]
    assert "/edit" in answer["cards"]  # the row's actions, as on the page
    [ballot] = db.session.scalars(select(Ballot)).all()
    assert ballot.serial == "V-0011"
    # No flash waits for the next page: the script showed the message itself.
    assert "Card V-0011 saved." not in staff_client.get(url).get_data(as_text=True)

    staff_client.post(url, headers=JSON, data={"serial": "V-0012"})
    misfit = staff_client.post(url, headers=JSON, data={"serial": "W-0013"}).get_json()
    assert misfit["saved"] is True and misfit["proposal"] == "W-0014"
    assert misfit["note"].startswith('<p class="warning">Card W-0013 was saved, but its number '
                                     "does not look like the others of this batch (such as "
                                     "V-0012)")
    page = staff_client.get(f"{url}?after=W-0013").get_data(as_text=True)
    assert "Card W-0013 was saved, but" in page  # the same note without the script
    assert 'aria-describedby="serial-hint serial-note"' in page
    assert "3 of 120 cards entered" in page


def test_a_card_refused_to_the_entry_script_says_why_and_stores_nothing(vote, staff_client):
    url = open_cards_batch(staff_client)
    staff_client.post(url, headers=JSON, data={"serial": "K-1", "q-entwurf": "A"})
    response = staff_client.post(url, headers=JSON, data={
        "serial": "k-1", "q-entwurf": "D", "q-name": "Lauterplatz"})
    assert response.status_code == 422
    answer = response.get_json()
    assert answer["saved"] is False
    assert answer["errors"]["serial"] == ["Card number “k-1” is already entered in this vote."]
    [wrong] = answer["errors"]["q-entwurf"]
    assert wrong.startswith("“D” is not an answer to “Welcher Entwurf soll umgesetzt werden?”."
                            " Valid answers: A = Offene Bühne, B = Verschlungene Wege, "
                            "C = Grünes Band; empty = blank; X or “invalid” = invalid.")
    assert set(answer["errors"]) == {"serial", "q-entwurf"}
    summary = answer["summary"]
    assert summary.startswith('<div class="error-summary" role="alert"')
    assert 'href="#serial"' in summary and 'href="#q-entwurf"' in summary
    # The notice names the card as typed; the script keeps the typed values to put back.
    assert "Card <span data-serial>k-1</span> was not saved." in answer["notice"]
    assert "data-correct" in answer["notice"]
    # The message names the question itself, so the list does not repeat its title first.
    assert "<li>“D” is not an answer to “Welcher Entwurf soll umgesetzt werden?”" in (
        answer["notice"])
    assert 'href="#q-entwurf">“D” is not an answer' in summary
    assert batches.batch_size(db.session.get(PaperBatch, int(url.rsplit("/", 1)[1]))) == 1

    too_long = staff_client.post(url, headers=JSON, data={"serial": "K-2", "q-name": "n" * 300})
    assert too_long.status_code == 422 and "q-name" in too_long.get_json()["errors"]


def test_a_closed_batch_refuses_the_entry_script_with_the_reason(vote, staff_client):
    url = open_cards_batch(staff_client)
    staff_client.post(url, headers=JSON, data={"serial": "K-1", "q-entwurf": "A"})
    staff_client.post(f"{url}/close")
    response = staff_client.post(url, headers=JSON, data={"serial": "K-2", "q-entwurf": "A"})
    assert response.status_code == 409
    answer = response.get_json()
    assert answer["saved"] is False and answer["errors"] == {}
    assert "This batch is no longer open" in answer["notice"]
    assert count(Ballot) == 1


def test_only_staff_reach_the_entry_script_path(app, clients, vote, staff):
    batch = batches.open_batch(vote, "Stand", date(2023, 9, 2), staff)
    db.session.commit()
    for role, status in zip(ROLES, (302, 403, 200, 403, 200), strict=True):
        response = clients[role].post(f"{BASE}/{batch.id}", headers=JSON,
                                      data={"serial": f"R-{role}", "q-entwurf": "A"})
        assert response.status_code == status, role
    assert sorted(db.session.scalars(select(Ballot.serial))) == ["R-admin", "R-staff"]


# The number of cards a batch should hold ----------------------------------------------------


def test_a_batch_states_how_many_cards_it_should_hold(vote, staff_client):
    form = staff_client.get(f"{BASE}/new").get_data(as_text=True)
    assert 'name="expected_cards"' in form and "Number of cards" in form
    bad = staff_client.post(f"{BASE}/new", data={
        "station": "Markt", "collected_on": "2023-09-05", "expected_cards": "0"})
    assert bad.status_code == 200 and "Please enter a whole number from 1 to 100000." in (
        bad.get_data(as_text=True))
    url = open_cards_batch(staff_client, expected_cards="3")
    page = staff_client.get(url).get_data(as_text=True)
    assert '<p class="lead" id="card-count">0 of 3 cards entered</p>' in page
    for serial in ("K-1", "K-2"):
        staff_client.post(url, data={"serial": serial, "q-entwurf": "A"})
    assert "2 of 3 cards entered" in staff_client.get(url).get_data(as_text=True)


def test_closing_with_another_number_of_cards_than_expected_asks_to_confirm_it(
    vote, staff_client
):
    url = open_cards_batch(staff_client, expected_cards="3")
    batch = db.session.scalar(select(PaperBatch))
    for serial in ("K-1", "K-2"):
        staff_client.post(url, data={"serial": serial, "q-entwurf": "A"})
    cards_page = staff_client.get(url).get_data(as_text=True)
    assert f'href="{url}/close"' in cards_page and f'action="{url}/close"' not in cards_page

    asked = staff_client.get(f"{url}/close").get_data(as_text=True)
    assert 'id="count-warning"' in asked
    assert "1 card fewer than expected: 2 entered, 3 expected." in asked
    assert f'<a class="button" href="{url}">Back to the cards</a>' in asked
    assert '<input type="hidden" name="cards" value="2">' in asked
    assert '<button type="submit" class="button secondary">Close anyway with 2 cards' in asked

    # Sent without the confirmation (or with a number no longer true): asked again.
    for data in ({}, {"cards": "3"}, {"cards": "zwei"}):
        again = staff_client.post(f"{url}/close", data=data)
        assert again.status_code == 200 and 'id="count-warning"' in again.get_data(as_text=True)
        assert batch.status == "open"
    closed = staff_client.post(f"{url}/close", data={"cards": "2"})
    assert closed.status_code == 302 and batch.status == "counted"
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "paper.close"))
    assert entry.details["cards"] == 2 and entry.details["expected_cards"] == 3


def test_the_import_preview_states_a_difference_to_the_expected_number(vote, staff_client):
    response = staff_client.post(f"{BASE}/import", data={
        "file": (io.BytesIO(WOCHENMARKT), "w.csv"), "station": "Wochenmarkt",
        "collected_on": "2023-09-02", "expected_cards": "121"},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "1 card fewer than expected: 120 entered, 121 expected." in page
    assert "Import anyway with 120 cards" in page
    assert "expected=121" in page  # a corrected file keeps the number
    fields = hidden_fields(page)
    assert fields["expected_cards"] == "121"
    staff_client.post(f"{BASE}/import/confirm", data=fields, content_type="multipart/form-data")
    batch = db.session.scalar(select(PaperBatch))
    assert batch.expected_cards == 121 and batches.batch_size(batch) == 120

    matching = upload(staff_client, RATHAUS_LIKE, name="r.csv", station="Rathaus")
    assert "than expected" not in matching.get_data(as_text=True)
