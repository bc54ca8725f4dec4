"""Staff pages for tally sheets: entering one through the form (errors keep what was typed),
its page, the check entry by someone else and the correction, who may do what; and how the
result shows a tally sheet."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from mitwirkung.extensions import db
from mitwirkung.votes.models import BatchStatus, PaperBatch, PaperTallySheet
from mitwirkung.votes.paper import batches, tally_sheets
from mitwirkung.votes.results.tally import tally

from .test_tally_sheets import figures

BASE = "/manage/votes/pfalztheater"
NEW = f"{BASE}/tally/new"


def sheet_form(cards="10", entwurf=("5", "3", "1", "1", ""), name=("2", "2", "2", "2", "2", ""),
               **fields) -> dict:
    """The form as a person fills it: entwurf A, B, C, blank, invalid; name A-D, blank,
    invalid ("" is a field left empty)."""
    data = {"station": "Stadtbibliothek", "collected_on": "2023-09-02", "cards": cards}
    for code, options, values in (("entwurf", "ABC", entwurf), ("name", "ABCD", name)):
        keys = [f"t-{code}-o-{o}" for o in options] + [f"t-{code}-blank", f"t-{code}-invalid"]
        data |= dict(zip(keys, values, strict=True))
    return data | fields


def text(response) -> str:
    return response.get_data(as_text=True)


def sheets() -> int:
    return db.session.scalar(select(func.count()).select_from(PaperTallySheet))


def test_the_form_asks_for_every_option_blank_and_invalid(vote, staff_client):
    page = text(staff_client.get(NEW))
    for name in ("cards", "station", "collected_on", "t-entwurf-o-A", "t-entwurf-o-C",
                 "t-entwurf-blank", "t-entwurf-invalid", "t-name-o-D", "t-name-invalid"):
        assert f'name="{name}"' in page
    assert "Offene Bühne" in page and "Lauterplatz" in page
    assert 'inputmode="numeric"' in page and "<legend>" in page


def test_a_sheet_typed_in_counts_and_shows_as_tally_sheet(vote, staff_client):
    response = staff_client.post(NEW, data=sheet_form())
    assert response.status_code == 302 and response.location.endswith("/batches")
    batch = db.session.scalar(select(PaperBatch))
    assert batch.is_tally and batch.status == BatchStatus.COUNTED
    assert batch.station == "Stadtbibliothek" and batch.collected_on == date(2023, 9, 2)
    assert tally(vote).tally_ballots == 10
    listing = text(staff_client.get(f"{BASE}/batches"))
    assert "its 10 cards now count" in listing and "tally sheet" in listing
    assert f"/tally/{batch.id}" in listing
    page = text(staff_client.get(f"{BASE}/tally/{batch.id}"))
    assert "Tally sheet from Stadtbibliothek" in page and "Offene Bühne" in page


def test_sums_that_differ_are_named_and_what_was_typed_stays(vote, staff_client):
    typed = sheet_form(entwurf=("5", "3", "1", "", ""), name=("2", "2", "2", "2", "3", ""))
    response = staff_client.post(NEW, data=typed)
    assert response.status_code == 200
    page = text(response)
    assert 'class="error-summary"' in page
    assert "” adds up to 9, but the sheet has 10 cards: 1 missing." in page
    assert "adds up to 11" in page and "1 too many" in page
    assert 'href="#t-entwurf-o-A"' in page  # the summary leads to the question's first field
    assert 'value="Stadtbibliothek"' in page
    assert re.search(r'<input[^>]*name="t-name-blank"[^>]*value="3"', page)
    assert sheets() == 0 and db.session.scalar(select(func.count(PaperBatch.id))) == 0


@pytest.mark.parametrize("bad", ["abc", "-1", "2,5", "9999999999"])
def test_a_count_that_is_no_whole_number_is_refused_in_place(vote, staff_client, bad):
    response = staff_client.post(NEW, data=sheet_form(entwurf=(bad, "3", "1", "1", "")))
    assert response.status_code == 200
    page = text(response)
    assert 'class="error-summary"' in page and f'value="{bad}"' in page
    assert sheets() == 0


def test_empty_fields_count_as_zero(vote, staff_client):
    form = sheet_form(cards="3", entwurf=("3", "", "", "", ""), name=("", "", "", "", "3", ""))
    assert staff_client.post(NEW, data=form).status_code == 302
    results = tally(vote)
    assert results.tally_ballots == 3 and results.questions[1].blank.tally == 3


def test_a_station_and_day_already_entered_card_by_card_is_refused_beside_the_station(
    vote, staff, staff_client
):
    batches.open_batch(vote, "Stadtbibliothek", date(2023, 9, 2), staff)
    db.session.commit()
    response = staff_client.post(NEW, data=sheet_form())
    assert response.status_code == 200
    page = text(response)
    assert "already entered card by card" in page and 'href="#station"' in page
    assert sheets() == 0


def test_a_final_vote_takes_no_sheet(app_ctx, staff, staff_client):
    from mitwirkung.core.time import utcnow
    from mitwirkung.votes import services
    from mitwirkung.votes.results import final
    from tests.projects import factories as project_factories

    from ..factories import make_vote

    now = utcnow()
    vote = make_vote(project_factories.project(), slug="rathaus",
                     opens_at=now - timedelta(days=10), closes_at=now - timedelta(days=1))
    final.declare_final(vote, staff)
    db.session.commit()
    form = sheet_form(collected_on=str(services.closing_day(vote)))
    response = staff_client.post("/manage/votes/rathaus/tally/new", data=form,
                                 follow_redirects=True)
    assert "final" in text(response) and sheets() == 0


def test_a_card_batch_is_no_tally_sheet_and_a_sheet_has_no_cards(vote, staff, staff_client):
    batch = batches.open_batch(vote, "Rathaus", date(2023, 9, 2), staff)
    sheet = tally_sheets.enter_sheet(vote, station="Markt", collected_on=date(2023, 9, 2),
                                     figures=figures(), entered_by=staff)
    db.session.commit()
    for path in ("", "/check", "/correct"):
        assert staff_client.get(f"{BASE}/tally/{batch.id}{path}").status_code == 404
    cards = staff_client.get(f"{BASE}/batches/{sheet.id}")
    assert cards.status_code == 302 and cards.location.endswith(f"/tally/{sheet.id}")


def test_the_sheet_page_runs_a_fixed_number_of_queries(vote, staff, staff_client,
                                                       count_queries):
    sheet = tally_sheets.enter_sheet(vote, station="Markt", collected_on=date(2023, 9, 2),
                                     figures=figures(), entered_by=staff)
    db.session.commit()
    assert count_queries(staff_client, f"{BASE}/tally/{sheet.id}") <= 10
    assert count_queries(staff_client, NEW) <= 10


# Double entry ---------------------------------------------------------------------------


@pytest.mark.vote(double_entry=True)
def test_the_check_entry_is_typed_blind_and_counts_when_it_agrees(
    vote, staff_client, checker_client, checker
):
    staff_client.post(NEW, data=sheet_form())
    batch = db.session.scalar(select(PaperBatch))
    assert batch.status == BatchStatus.CHECKING and tally(vote).tally_ballots == 0
    listing = text(staff_client.get(f"{BASE}/batches"))
    assert "count once another staff member has entered the sheet again" in listing
    # The first entrant sees the figures; the checker not before typing their own.
    assert 'id="sheet-cards"' in text(staff_client.get(f"{BASE}/tally/{batch.id}"))
    before = text(checker_client.get(f"{BASE}/tally/{batch.id}"))
    assert 'id="sheet-cards"' not in before and "Enter the check entry" in before
    form = text(checker_client.get(f"{BASE}/tally/{batch.id}/check"))
    assert 'name="station"' not in form and 'value="5"' not in form
    response = checker_client.post(f"{BASE}/tally/{batch.id}/check", data=sheet_form())
    assert response.status_code == 302
    db.session.refresh(batch)
    assert batch.status == BatchStatus.COUNTED and batch.checked_by_id == checker.id
    assert tally(vote).tally_ballots == 10


@pytest.mark.vote(double_entry=True)
def test_the_first_entrant_may_not_check_their_own_sheet(vote, staff_client):
    staff_client.post(NEW, data=sheet_form())
    batch = db.session.scalar(select(PaperBatch))
    response = staff_client.post(f"{BASE}/tally/{batch.id}/check", data=sheet_form(),
                                 follow_redirects=True)
    assert "You entered this batch yourself" in text(response)
    assert sheets() == 1 and tally(vote).tally_ballots == 0


@pytest.mark.vote(double_entry=True)
def test_differences_are_listed_and_the_first_entry_corrected(vote, staff_client,
                                                             checker_client):
    staff_client.post(NEW, data=sheet_form())
    batch = db.session.scalar(select(PaperBatch))
    recount = sheet_form(cards="11", entwurf=("6", "3", "1", "1", ""),
                         name=("3", "2", "2", "2", "2", ""))
    response = checker_client.post(f"{BASE}/tally/{batch.id}/check", data=recount,
                                   follow_redirects=True)
    page = text(response)
    assert "The two entries differ" in page and 'id="differences"' in page
    assert "A Offene Bühne" in page and "Number of cards" in page
    # The first entrant's correction form starts from their own figures.
    assert 'value="5"' in text(staff_client.get(f"{BASE}/tally/{batch.id}/correct"))
    staff_client.post(f"{BASE}/tally/{batch.id}/correct", data=recount)
    db.session.refresh(batch)
    assert batch.status == BatchStatus.COUNTED and tally(vote).tally_ballots == 11


@pytest.mark.vote(double_entry=True)
def test_a_correction_that_does_not_add_up_keeps_the_stored_entry(vote, staff_client,
                                                                 checker_client):
    staff_client.post(NEW, data=sheet_form())
    batch = db.session.scalar(select(PaperBatch))
    recount = sheet_form(cards="11", entwurf=("6", "3", "1", "1", ""),
                         name=("3", "2", "2", "2", "2", ""))
    assert checker_client.post(f"{BASE}/tally/{batch.id}/check", data=recount).status_code \
        == 302
    response = staff_client.post(f"{BASE}/tally/{batch.id}/correct",
                                 data=sheet_form(cards="12"))
    assert response.status_code == 200 and "12 cards" in text(response)
    first = tally_sheets.sheet_of(batch, "first")
    assert first.cards == 10


# Permissions ----------------------------------------------------------------------------

ROLES = ("visitor", "citizen", "staff", "moderator", "admin")
GET = (302, 403, 200, 403, 200)
POST = (302, 403, 302, 403, 302)


@pytest.mark.vote(double_entry=True)
def test_tally_sheet_route_permissions(vote, clients, checker, citizen, moderator):
    for role, get_status, post_status in zip(ROLES, GET, POST, strict=True):
        client = clients[role]
        assert client.get(NEW).status_code == get_status, role
        form = sheet_form(station=f"Stand {role}")
        assert client.post(NEW, data=form).status_code == post_status, role
        sheet = tally_sheets.enter_sheet(vote, station=f"Markt {role}",
                                         collected_on=date(2023, 9, 2), figures=figures(),
                                         entered_by=checker)
        db.session.commit()
        for path in ("", "/check", "/correct"):
            assert client.get(f"{BASE}/tally/{sheet.id}{path}").status_code == get_status, \
                (role, path)
    entered_by = set(db.session.scalars(select(PaperBatch.entered_by_id)))
    assert citizen.id not in entered_by and moderator.id not in entered_by


# The result -----------------------------------------------------------------------------


def test_the_result_shows_a_tally_column_and_bars_named_by_title_only_with_sheets(
    vote, staff, client
):
    page = text(client.get("/votes/pfalztheater/results"))
    assert "Tally sheet" not in page and "Strichliste" not in page
    tally_sheets.enter_sheet(vote, station="Markt", collected_on=date(2023, 9, 2),
                             figures=figures(), entered_by=staff)
    db.session.commit()
    page = text(client.get("/votes/pfalztheater/results"))
    assert page.count('data-label="Strichliste"') == 5 + 6  # every row of both questions
    assert 'class="bar-label">A – Offene Bühne<' in page
    assert "Ergebnis: " not in page  # the heading does not repeat a prefix
    assert "Stimmzettel auf Strichlisten" in page
