"""The audit log page and its CSV export: who may see them, filters and search through the
query string, hostile parameters, escaping, and a fixed number of queries."""

import csv
import io
from datetime import date, timedelta

import pytest

from mitwirkung.core.models import AuditEntry
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.votes.paper import batches

from .. import factories
from ..conftest import signed_in_client
from ..projects import factories as project_factories
from ..votes.factories import make_vote

ROLES = ("visitor", "citizen", "staff", "moderator", "admin")


@pytest.fixture
def admin_client(app, admin):
    return signed_in_client(app, admin)


@pytest.fixture
def market(app_ctx, staff):
    """A vote „Lesegarten“ with a batch from the weekly market voided as a duplicate."""
    vote = make_vote(project_factories.project(title="Pfalztheater"), title="Lesegarten")
    batch = batches.open_batch(vote, "Wochenmarkt", date(2023, 9, 12), staff)
    batches.add_card(batch, "K-1", {"entwurf": "A", "name": "B"})
    batches.void_batch(batch, staff, "doppelt erfasst")
    db.session.commit()
    return batch


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def entries(response) -> str:
    """The page's table of entries, without the filters' lists of choices."""
    return entries_of(html(response))


def entries_of(page: str) -> str:
    return page[page.index("<table"):page.index("</table>")]


@pytest.mark.parametrize("path", ["/admin/audit", "/admin/audit.csv"])
def test_only_admins_read_the_log_and_its_export(clients, path):
    expected = (302, 403, 403, 403, 200)
    for role, status in zip(ROLES, expected, strict=True):
        assert clients[role].get(path).status_code == status, role


def test_the_log_reads_as_sentences_with_names_and_titles(app, admin_client, admin, citizen,
                                                          market):
    admin_client.post(f"/admin/users/{citizen.id}/role", data={"role": "moderator"})
    page = html(admin_client.get("/admin/audit"))
    assert f"Rolle von {citizen.username} geändert: Bürgerin/Bürger → Moderation" in page
    assert "Stapel Wochenmarkt 12.09. für ungültig erklärt: doppelt erfasst" in page
    assert "Abstimmung „Lesegarten“" in page  # the batch's vote, beside it
    table = page[page.index("<tbody>"):]
    assert "user.role" not in table and "paper_batches" not in table


def test_user_text_in_the_log_is_escaped(app_ctx, admin_client, staff):
    vote = make_vote(project_factories.project(), title="<b>Fett</b>")
    batch = batches.open_batch(vote, "<script>alert(1)</script>", date.today(), staff)
    batches.add_card(batch, "K-1", {"entwurf": "A", "name": "B"})
    batches.void_batch(batch, staff, '<img src=x onerror="alert(2)">')
    db.session.commit()
    page = html(admin_client.get("/admin/audit"))
    assert "<script>alert(1)" not in page and "<img src=x" not in page and "<b>Fett" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=" in page


def test_filters_narrow_the_log_and_the_pages_keep_them(app_ctx, admin_client, admin, staff,
                                                        market):
    people = [factories.user() for _ in range(55)]
    for person in people:
        db.session.add(AuditEntry(actor_id=admin.id, action="user.block", target_type="users",
                                  target_id=person.id, target_label=person.username,
                                  details={"reason": "Spam"}))
    db.session.commit()
    page = html(admin_client.get("/admin/audit", query_string={"action": "user.block"}))
    assert page.count("gesperrt: Spam") == 50 and "Wochenmarkt" not in entries_of(page)
    assert "55 Einträge" in page
    assert "/admin/audit?page=2&amp;action=user.block" in page  # the next page keeps it
    assert "/admin/audit.csv?action=user.block" in page  # and so does the export
    second = html(admin_client.get("/admin/audit?action=user.block&page=2"))
    assert second.count("gesperrt: Spam") == 5
    by_staff = entries(admin_client.get("/admin/audit", query_string={"actor": staff.id}))
    assert "Wochenmarkt" in by_staff and "gesperrt" not in by_staff
    batches_only = entries(admin_client.get("/admin/audit?target=paper_batches"))
    assert "Wochenmarkt" in batches_only and "Spam" not in batches_only
    searched = entries(admin_client.get("/admin/audit", query_string={"q": "WOCHENMARKT"}))
    assert "Wochenmarkt" in searched and "Spam" not in searched
    today = date.today().isoformat()
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert "Wochenmarkt" in entries(
        admin_client.get(f"/admin/audit?from={today}&to={today}&target=paper_batches"))
    assert "Keine Einträge passen" in entries(admin_client.get(f"/admin/audit?from={tomorrow}"))


@pytest.mark.parametrize("query", [
    {"actor": "abc"}, {"actor": "99999999999999999999"}, {"actor": "-1"},
    {"action": "<script>alert(1)</script>"}, {"action": "user.role' OR 1=1 --"},
    {"target": "users; DROP TABLE users"}, {"from": "2023-02-30"}, {"to": "gestern"},
    {"from": "2023-09-12", "to": "2023-09-01"}, {"q": "x" * 5000}, {"q": "%_\\"},
    {"q": "<script>alert(1)</script>"}, {"page": "-1"}, {"page": "abc"},
    {"from": "99999-01-01"}, {"to": "9999-12-31"}, {"from": "0001-01-01"},
])
def test_hostile_parameters_are_refused_with_a_message_never_a_500(admin_client, market,
                                                                   query):
    for path in ("/admin/audit", "/admin/audit.csv"):
        response = admin_client.get(path, query_string=query)
        assert response.status_code == 200, (path, query)
        text = response.get_data(as_text=True)
        assert "<script>alert(1)" not in text
    page = html(admin_client.get("/admin/audit", query_string=query))
    if set(query) - {"page", "q"} or len(query.get("q", "")) > 100:
        assert "error-summary" in page  # told what was not understood ...
        assert "Wochenmarkt" in entries_of(page)  # ... and shown the log without it


def test_the_csv_export_holds_the_filtered_log_in_the_spreadsheet_profile(app_ctx,
                                                                          admin_client, market):
    hostile = factories.user(username="=HYPERLINK(1)", role="staff")
    db.session.add(AuditEntry(actor_id=hostile.id, action="vote.publish", target_type="votes",
                              target_id=market.vote_id, target_label="Lesegarten", details={}))
    db.session.commit()
    response = admin_client.get("/admin/audit.csv?target=paper_batches")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in response.headers["Cache-Control"]
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Zeit", "Wer", "Was geschah", "Objekt", "Objekt-Nr.", "Aktion", "Details"]
    [row] = rows[1:]
    assert row[1:6] == [market.entered_by.username,
                        "Stapel Wochenmarkt 12.09. für ungültig erklärt: doppelt erfasst",
                        "Stapel", str(market.id), "paper.void"]
    assert '"reason": "doppelt erfasst"' in row[6]
    everything = admin_client.get("/admin/audit.csv").get_data(as_text=True)
    assert ";'=HYPERLINK(1);" in everything  # a formula comes out as text


def test_the_page_runs_a_fixed_number_of_queries(app, admin, staff, admin_client,
                                                 count_queries):
    # Built outside the requests' app context: flask-login would keep the signed-in user
    # in a shared `g` and skip loading it.
    with app.test_request_context():
        project = project_factories.project(title="Pfalztheater")
        vote = make_vote(project, title="Lesegarten")
        batch = batches.open_batch(vote, "Wochenmarkt", date(2023, 9, 12), staff)
        targets = [("projects", project.id), ("votes", vote.id), ("paper_batches", batch.id),
                   ("users", factories.user().id)]
        db.session.commit()

    def add(count):
        with app.test_request_context():
            for n in range(count):
                table, id_ = targets[n % len(targets)]
                # Half written before labels were recorded, of every kind: theirs are loaded.
                recorded = {"paper_batches": {"station": "Rathaus", "collected_on": "2023-09-01"}}
                label = None if (n // len(targets)) % 2 else recorded.get(table, "Titel")
                db.session.add(AuditEntry(actor_id=staff.id if n % 3 else admin.id,
                                          action="x.y", target_type=table, target_id=id_,
                                          target_label=label, details={}, created_at=utcnow()))
            db.session.commit()

    add(60)
    few = count_queries(admin_client, "/admin/audit")
    add(400)
    many = count_queries(admin_client, "/admin/audit")
    filtered = count_queries(admin_client, "/admin/audit?q=titel&target=votes&from=2020-01-01")
    assert few == many <= 10
    assert filtered <= 10
