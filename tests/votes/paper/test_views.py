"""Staff pages for paper ballots: upload with preview, confirmation, manual entry, voiding."""

import base64
import html
import io
import re
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

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


def test_manual_entry_flow(vote, staff_client):
    start = staff_client.post(f"{BASE}/new", data={"station": "Infostand",
                                                  "collected_on": "2023-09-05"})
    assert start.status_code == 302
    batch = db.session.scalar(select(PaperBatch))
    cards_url = f"{BASE}/{batch.id}"
    assert start.location.endswith(cards_url)

    entry = staff_client.get(cards_url).get_data(as_text=True)
    assert entry.count("<h1") == 1
    assert re.search(r'<input[^>]*autofocus[^>]*name="serial"|name="serial"[^>]*autofocus', entry)
    assert '<label for="q-entwurf">Welcher Entwurf soll umgesetzt werden?</label>' in entry
    assert ("A Offene Bühne, B Verschlungene Wege, C Grünes Band; leave empty = no answer; "
            "X = invalid") in entry

    saved = staff_client.post(cards_url, data={"serial": "K-1", "q-entwurf": "b",
                                               "q-name": "theatergarten"})
    assert saved.status_code == 302 and saved.location.endswith(cards_url)
    staff_client.post(cards_url, data={"serial": "K-2", "q-entwurf": "x", "q-name": ""})
    page = staff_client.get(cards_url).get_data(as_text=True)
    assert "2 cards in this batch" in page and "Card K-2 saved." in page
    assert 'name="serial" required type="text" value=""' in page  # the next card starts empty

    refused = staff_client.post(cards_url, data={"serial": "k-1", "q-entwurf": "D",
                                                 "q-name": "Lauterplatz"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and 'id="error-summary"' in page
    assert "Card number “k-1” is already entered in this vote." in page
    assert "Unknown option “D” for question “entwurf”." in page
    assert 'value="Lauterplatz"' in page and 'value="k-1"' in page  # what was typed is kept

    first = db.session.scalar(select(Ballot).where(Ballot.serial == "K-1"))
    edit_url = f"{cards_url}/cards/{first.id}/edit"
    form = staff_client.get(edit_url).get_data(as_text=True)
    assert 'value="K-1"' in form and 'value="B"' in form and 'value="A"' in form
    assert staff_client.post(edit_url, data={"serial": "K-1", "q-entwurf": "C"}).status_code == 302
    second = db.session.scalar(select(Ballot).where(Ballot.serial == "K-2"))
    assert staff_client.post(f"{cards_url}/cards/{second.id}/delete").status_code == 302
    assert tally(vote).paper_ballots == 0  # not counted while open

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


def test_void_needs_a_reason_and_is_shown_with_it(vote, staff_client, staff):
    batch, _parsed = batches.import_batch(vote, WOCHENMARKT, station="Markt",
                                          collected_on=date(2023, 9, 2), entered_by=staff,
                                          file_name="w.csv")
    db.session.commit()
    field = f"void-{batch.id}-reason"
    refused = staff_client.post(f"{BASE}/{batch.id}/void", data={field: "  "})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and 'id="error-summary"' in page
    assert f'href="#{field}"' in page and "Please give a reason." in page
    assert batch.status == "counted"

    voided = staff_client.post(f"{BASE}/{batch.id}/void", data={field: "Doppelt erfasst"})
    assert voided.status_code == 302
    db.session.refresh(batch)
    assert batch.status == "void" and tally(vote).paper_ballots == 0
    page = staff_client.get(BASE).get_data(as_text=True)
    assert "Doppelt erfasst" in page and "no longer counts" in page
    assert f"void-{batch.id}-reason" not in page  # no second void form


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
    ("POST", "/{batch}/close", {}, STAFF_ONLY["POST"]),
    ("POST", "/{batch}/void", {"void-{batch}-reason": "Test"}, STAFF_ONLY["POST"]),
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
