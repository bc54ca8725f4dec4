"""Staff pages for double entry: the setting, check entry typed and imported, the comparison,
corrections and confirming; who may do what."""

import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from mitwirkung.core.models import AuditEntry
from mitwirkung.extensions import db
from mitwirkung.votes.models import Ballot, PaperCheckCard
from mitwirkung.votes.paper import batches, double_entry
from mitwirkung.votes.results.tally import tally
from tests import factories as user_factories
from tests.projects import factories as project_factories

from ..factories import make_vote

BASE = "/manage/votes/pfalztheater/batches"
CARDS = b"serial,entwurf,name\nK-1,A,B\nK-2,B,\nK-3,invalid,D\n"

pytestmark = pytest.mark.vote(double_entry=True)


def import_cards(vote, user, data=CARDS, name="cards.csv"):
    batch, _parsed = batches.import_batch(vote, data, station="Wochenmarkt",
                                          collected_on=date(2023, 9, 2), entered_by=user,
                                          file_name=name)
    db.session.commit()
    return batch


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def page_of(response) -> str:
    return response.get_data(as_text=True)


def assert_accessible_shape(page: str) -> None:
    """One h1; every table has a caption with a unique id; a table that scrolls sideways on a
    phone does so in a region its caption names (the others stack their rows)."""
    assert page.count("<h1") == 1
    captions = re.findall(r'<caption id="([^"]+)"', page)
    assert len(captions) == len(set(captions)) == page.count("<table")
    regions = re.findall(r'role="region" aria-labelledby="([^"]+)"', page)
    assert set(regions) <= set(captions)
    assert len(regions) + page.count('class="stack-table') >= len(captions)


# The setting ----------------------------------------------------------------------------------


def vote_form(vote, **fields) -> dict:
    return {"title": vote.title, "slug": vote.slug, "description": "",
            "opens_at": "2023-09-01T10:00", "closes_at": "2099-09-30T18:00",
            "results_visibility": "live"} | fields


def test_staff_switch_double_entry_on_until_paper_ballots_exist(app, staff_client, staff):
    vote = make_vote(project_factories.project(), slug="pfalztheater")
    url = "/manage/votes/pfalztheater"
    page = page_of(staff_client.get(url))
    assert 'name="double_entry"' in page and "Double entry of paper ballots" in page
    assert staff_client.post(url, data=vote_form(vote, double_entry="y")).status_code == 302
    assert vote.double_entry is True

    import_cards(vote, staff)
    page = page_of(staff_client.get(url))
    assert 'name="double_entry"' not in page
    assert "Double entry of paper ballots: on" in page
    # Saving the other settings keeps it on.
    assert staff_client.post(url, data=vote_form(vote, title="Neu")).status_code == 302
    assert (vote.title, vote.double_entry) == ("Neu", True)


# Check entry typed by hand ----------------------------------------------------------------------


def test_import_with_double_entry_waits_and_the_list_links_to_the_check(
    vote, staff_client, staff
):
    batch = import_cards(vote, staff)
    page = page_of(staff_client.get(BASE))
    assert "Double entry is on" in page
    assert "awaiting check" in page and "Awaiting check, not counted yet" in page
    assert f'href="{BASE}/{batch.id}/check"' in page
    assert f'href="{BASE}/{batch.id}/compare"' in page
    cards = page_of(staff_client.get(f"{BASE}/{batch.id}"))
    assert "awaits its check entry" in cards and "is void" not in cards
    results = page_of(staff_client.get("/votes/pfalztheater/results"))
    assert "awaiting check" in results
    assert tally(vote).paper_ballots == 0


def test_closing_a_typed_batch_hands_it_over_for_checking(vote, staff_client):
    staff_client.post(f"{BASE}/new", data={"station": "Infostand", "collected_on": "2023-09-05"})
    [batch] = batches.batch_summaries(vote)
    url = f"{BASE}/{batch.batch.id}"
    entry = page_of(staff_client.get(url))
    assert "Close batch for checking" in entry
    staff_client.post(url, data={"serial": "T-1", "q-entwurf": "A"})
    assert staff_client.post(f"{url}/close").status_code == 302
    page = page_of(staff_client.get(BASE))
    assert "count once another staff member has entered them again" in page
    assert batch.batch.status == "checking"


def test_the_first_enterer_is_shown_why_they_cannot_check(vote, staff_client, staff):
    batch = import_cards(vote, staff)
    page = page_of(staff_client.get(f"{BASE}/{batch.id}/check"))
    assert "another staff member must make its check entry" in page
    assert 'name="serial"' not in page
    refused = staff_client.post(f"{BASE}/{batch.id}/check", data={"serial": "K-1"})
    assert refused.status_code == 302
    assert count(PaperCheckCard) == 0
    compare = page_of(staff_client.get(f"{BASE}/{batch.id}/compare"))
    assert "/confirm" not in compare
    assert staff_client.post(f"{BASE}/{batch.id}/confirm").status_code == 302
    assert batch.status == "checking"


def test_a_second_person_types_the_check_entry_resolves_a_difference_and_confirms(
    vote, staff, staff_client, checker, checker_client
):
    batch = import_cards(vote, staff)
    check_url = f"{BASE}/{batch.id}/check"
    page = page_of(checker_client.get(check_url))
    assert_accessible_shape(page)
    assert "without looking at the first entry" in page
    assert "K-1" not in page  # the first entry is not shown while checking
    for serial, design, name in (("K-1", "a", "b"), ("K-2", "c", ""), ("K-4", "A", "A")):
        saved = checker_client.post(check_url, data={"serial": serial, "q-entwurf": design,
                                                     "q-name": name})
        assert saved.status_code == 302
        assert saved.location.endswith(f"{check_url}?after={serial}")
    page = page_of(checker_client.get(f"{check_url}?after=K-4"))
    assert "3 cards in the check entry" in page and "Card K-4 saved." in page
    assert 'name="serial" required type="text" value="K-5"' in page  # proposed
    assert_accessible_shape(page)
    again = checker_client.post(check_url, data={"serial": "k-1", "q-entwurf": "Z"})
    page = page_of(again)
    assert again.status_code == 200 and 'id="error-summary"' in page
    assert "Card number “k-1” is already in this check entry." in page
    assert "“Z” is not an answer to “Welcher Entwurf soll umgesetzt werden?”." in page
    assert re.search(r'<input[^>]*autofocus[^>]*name="serial"', page)  # first error

    compare_url = f"{BASE}/{batch.id}/compare"
    page = page_of(checker_client.get(compare_url))
    assert_accessible_shape(page)
    assert '<dd id="difference-count">3</dd>' in page
    assert "Different answers" in page and "Missing in the check entry" in page
    assert "Missing in the first entry" in page
    assert "/confirm" not in page
    refused = checker_client.post(f"{BASE}/{batch.id}/confirm")
    assert refused.status_code == 302
    assert "The entries still differ on 3 cards." in page_of(checker_client.get(compare_url))

    # K-2: the paper says C, so the first entry's author corrects it.
    k2 = db.session.scalar(select(Ballot).where(Ballot.serial == "K-2"))
    edit_url = f"{BASE}/{batch.id}/compare/cards/{k2.id}/edit"
    form = page_of(staff_client.get(edit_url))
    assert_accessible_shape(form)
    assert 'value="K-2"' in form and 'value="B"' in form
    done = staff_client.post(edit_url, data={"serial": "K-2", "q-entwurf": "C"})
    assert done.status_code == 302 and done.location.endswith(compare_url)
    # K-3 was skipped in the check entry: the link pre-fills its number.
    assert f'href="{check_url}?serial=K-3"' in page_of(checker_client.get(compare_url))
    assert 'value="K-3"' in page_of(checker_client.get(f"{check_url}?serial=K-3"))
    checker_client.post(check_url, data={"serial": "K-3", "q-entwurf": "x", "q-name": "D"})
    # K-4 belongs to another batch: deleted from the check entry.
    k4 = db.session.scalar(select(PaperCheckCard).where(PaperCheckCard.serial == "K-4"))
    gone = checker_client.post(f"{check_url}/cards/{k4.id}/delete?back=compare")
    assert gone.status_code == 302 and gone.location.endswith(compare_url)

    page = page_of(checker_client.get(compare_url))
    assert '<dd id="difference-count">0</dd>' in page and "Both entries agree" in page
    confirmed = checker_client.post(f"{BASE}/{batch.id}/confirm")
    assert confirmed.status_code == 302 and confirmed.location.endswith(BASE)
    assert "its 3 cards now count" in page_of(checker_client.get(BASE))
    assert batch.status == "counted" and batch.checked_by_id == checker.id
    assert tally(vote).paper_ballots == 3
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.action.like("paper.%")).order_by(AuditEntry.id)).all()
    assert actions == ["paper.import", "paper.correct", "paper.confirm"]


def test_a_check_card_is_corrected_from_the_comparison(vote, staff, checker, checker_client):
    batch = import_cards(vote, staff)
    double_entry.add_check_card(batch, "K-1", {"entwurf": "B", "name": "B"}, checker)
    db.session.commit()
    card = db.session.scalar(select(PaperCheckCard))
    url = f"{BASE}/{batch.id}/check/cards/{card.id}/edit?back=compare"
    assert f'href="{url.replace("&", "&amp;")}"' in page_of(
        checker_client.get(f"{BASE}/{batch.id}/compare"))
    form = page_of(checker_client.get(url))
    assert 'value="K-1"' in form and 'value="B"' in form
    done = checker_client.post(url, data={"serial": "K-1", "q-entwurf": "A", "q-name": "B"})
    assert done.status_code == 302 and done.location.endswith(f"{BASE}/{batch.id}/compare")
    assert card.answers["entwurf"] == ["option", "A"]


# Check entry from a file ------------------------------------------------------------------------


def upload_check(client, batch, data: bytes, name="check.csv"):
    return client.post(f"{BASE}/{batch.id}/check/import",
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_a_check_file_is_imported_and_compared(vote, staff, checker_client):
    batch = import_cards(vote, staff)
    page = page_of(checker_client.get(f"{BASE}/{batch.id}/check/import"))
    assert_accessible_shape(page)
    assert '<label for="file">' in page

    broken = upload_check(checker_client, batch, b"serial;entwurf;name\nK-1;Q;B\n")
    page = page_of(broken)
    assert broken.status_code == 200 and 'id="error-summary"' in page
    assert "Line 2: unknown option “Q” for question “entwurf”." in page
    assert count(PaperCheckCard) == 0

    same = upload_check(checker_client, batch, CARDS, name="cards.csv")
    assert "very file of the first entry" in page_of(same)
    assert count(PaperCheckCard) == 0

    done = upload_check(checker_client, batch, b"serial;entwurf;name\nK-1;A;B\nK-2;B;\n")
    assert done.status_code == 302 and done.location.endswith(f"{BASE}/{batch.id}/compare")
    page = page_of(checker_client.get(done.location))
    assert "2 cards of the check entry were imported." in page
    assert '<dd id="difference-count">1</dd>' in page and "Missing in the check entry" in page

    again = upload_check(checker_client, batch, b"serial;entwurf;name\nK-3;A;B\n")
    assert again.status_code == 302
    assert "Discard them first" in page_of(checker_client.get(again.location))
    discarded = checker_client.post(f"{BASE}/{batch.id}/check/discard")
    assert discarded.status_code == 302
    assert "was discarded" in page_of(checker_client.get(discarded.location))
    assert count(PaperCheckCard) == 0


# Permissions ------------------------------------------------------------------------------------

ROLES = ("visitor", "citizen", "staff", "moderator", "admin")
GET = (302, 403, 200, 403, 200)
POST = (302, 403, 302, 403, 302)
# (method, path, form data, expected statuses by role); {batch}, {card}, {check} and {serial}
# are made per request: a batch entered by a third staff member, one card, its check card.
ROUTES = [
    ("GET", "/{batch}/check", None, GET),
    ("POST", "/{batch}/check", {"serial": "{serial}X", "q-entwurf": "A"}, POST),
    ("GET", "/{batch}/check/import", None, GET),
    ("POST", "/{batch}/check/import", "file", POST),
    ("GET", "/{batch}/check/cards/{check}/edit", None, GET),
    ("POST", "/{batch}/check/cards/{check}/edit", {"serial": "{serial}", "q-entwurf": "B"},
     POST),
    ("POST", "/{batch}/check/cards/{check}/delete", {}, POST),
    ("POST", "/{batch}/check/discard", {}, POST),
    ("GET", "/{batch}/compare", None, GET),
    ("GET", "/{batch}/compare/cards/new", None, GET),
    ("POST", "/{batch}/compare/cards/new", {"serial": "{serial}X", "q-entwurf": "A"}, POST),
    ("GET", "/{batch}/compare/cards/{card}/edit", None, GET),
    ("POST", "/{batch}/compare/cards/{card}/edit", {"serial": "{serial}", "q-entwurf": "C"},
     POST),
    ("POST", "/{batch}/compare/cards/{card}/delete", {}, POST),
    ("POST", "/{batch}/confirm", {}, POST),
]


def test_double_entry_route_permissions(app, clients, vote, citizen, moderator):
    first, checker = user_factories.user(role="staff"), user_factories.user(role="staff")
    numbers = iter(range(1, 1000))
    for method, path, data, expected in ROUTES:
        for role, status in zip(ROLES, expected, strict=True):
            serial = f"S-{next(numbers)}"
            batch = import_cards(vote, first, f"serial,entwurf,name\n{serial},A,\n".encode(),
                                 name=f"{serial}.csv")
            check = double_entry.add_check_card(batch, serial, {"entwurf": "A"}, checker)
            db.session.commit()
            card = batches.cards_of(batch)[0]
            names = {"batch": batch.id, "card": card.id, "check": check.id, "serial": serial}
            if data == "file":
                form = {"file": (io.BytesIO(f"serial;entwurf\n{serial};A\n".encode()), "c.csv")}
            else:
                form = {key: value.format(**names) for key, value in (data or {}).items()}
            response = clients[role].open(BASE + path.format(**names), method=method,
                                          data=form)
            assert response.status_code == status, f"{role} {method} {path}"
    others = (citizen.id, moderator.id)
    assert not db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.actor_id.in_(others)))
    assert not db.session.scalar(select(func.count()).select_from(PaperCheckCard).where(
        PaperCheckCard.entered_by_id.in_(others)))
    confirmed = db.session.scalars(select(AuditEntry.actor_id).where(
        AuditEntry.action == "paper.confirm")).all()
    assert len(confirmed) == 2  # staff and admin


def test_a_card_both_of_whose_entries_one_person_made_does_not_count(
    vote, staff, checker, checker_client
):
    batch = import_cards(vote, staff)
    check_url, compare_url = f"{BASE}/{batch.id}/check", f"{BASE}/{batch.id}/compare"
    for serial, design, name in (("K-1", "A", "B"), ("K-2", "C", ""), ("K-3", "x", "D")):
        checker_client.post(check_url, data={"serial": serial, "q-entwurf": design,
                                             "q-name": name})
    # The checker makes the first entry of K-2 match their own check entry.
    k2 = db.session.scalar(select(Ballot).where(Ballot.serial == "K-2"))
    checker_client.post(f"{BASE}/{batch.id}/compare/cards/{k2.id}/edit",
                        data={"serial": "K-2", "q-entwurf": "C"})
    page = page_of(checker_client.get(compare_url))
    assert "Both entries by the same person" in page and "Another person must enter" in page
    assert '<dd id="difference-count">1</dd>' in page and "/confirm" not in page
    checker_client.post(f"{BASE}/{batch.id}/confirm")
    assert batch.status == "checking" and tally(vote).paper_ballots == 0


def test_the_check_entry_takes_cards_from_the_entry_script_too(
    vote, staff, staff_client, checker_client
):
    batch = import_cards(vote, staff)
    check_url = f"{BASE}/{batch.id}/check"
    json = {"Accept": "application/json"}
    page = page_of(checker_client.get(check_url))
    assert "/static/js/card-entry.js" in page and "data-card-entry" in page
    saved = checker_client.post(check_url, headers=json, data={
        "serial": "K-1", "q-entwurf": "a", "q-name": "b"})
    assert saved.status_code == 200
    answer = saved.get_json()
    assert answer["saved"] is True and answer["count_text"] == "1 card in the check entry"
    assert answer["proposal"] == "K-2" and ">K-1</th>" in answer["cards"]
    assert "/check/cards/" in answer["cards"]  # its edit and delete actions
    refused = checker_client.post(check_url, headers=json, data={"serial": "K-2",
                                                                 "q-entwurf": "Z"})
    assert refused.status_code == 422
    [message] = refused.get_json()["errors"]["q-entwurf"]
    assert message.startswith("“Z” is not an answer to “Welcher Entwurf soll umgesetzt werden?”")
    # Whoever entered the batch is refused with the reason, as on the page.
    own = staff_client.post(check_url, headers=json, data={"serial": "K-3"})
    assert own.status_code == 409
    assert "another staff member must make its check entry" in own.get_json()["notice"]
    assert count(PaperCheckCard) == 1
    # The first entry's numbers are never proposed: the check entry does not look at them.
    assert 'value="K-2"' in page_of(checker_client.get(f"{check_url}?after=K-1"))
    fresh = import_cards(vote, staff, data=b"serial,entwurf,name\nM-7,A,B\n", name="m.csv")
    assert 'name="serial" required type="text" value=""' in page_of(
        checker_client.get(f"{BASE}/{fresh.id}/check"))
