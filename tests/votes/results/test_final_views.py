"""The final result on the web and the command line: the staff page that declares it, the
results that say it, and the commands that refuse what may no longer change."""

from datetime import timedelta
from pathlib import Path

import pytest

from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.votes import services
from tests.projects import factories as project_factories

from ... import factories
from ...conftest import signed_in_client
from ..factories import make_vote

WOCHENMARKT = str(Path(__file__).resolve().parents[2] / "data" / "ballots-wochenmarkt.csv")
PAGE = "/manage/votes/rathaus/final"


@pytest.fixture
def closed(app):
    now = utcnow()
    return make_vote(project_factories.project(), slug="rathaus",
                     opens_at=now - timedelta(days=10), closes_at=now - timedelta(days=1))


def _import(app, staff, day, slug="rathaus"):
    return app.test_cli_runner().invoke(args=[
        "ballots", "import", slug, WOCHENMARKT, "--station", "Rathaus, Urne",
        "--date", day.isoformat(), "--entered-by", staff.username])


def test_staff_see_what_counts_and_declare_the_result_final(app, closed, staff, client):
    assert _import(app, staff, services.closing_day(closed)).exit_code == 0
    staff_client = signed_in_client(app, staff)
    page = staff_client.get(PAGE).get_data(as_text=True)
    assert "Rathaus, Urne" in page and "120" in page and "vorläufiges Ergebnis" in page
    done = staff_client.post(PAGE)
    assert done.headers["Location"].endswith("/votes/rathaus/results")
    results = client.get("/votes/rathaus/results").get_data(as_text=True)
    assert "endgültiges Ergebnis, festgestellt am" in results and staff.username in results
    assert client.get("/api/votes/rathaus/results").get_json()["final"] is True
    assert f'action="{PAGE}"' not in staff_client.get(PAGE).get_data(as_text=True)


def test_a_pending_batch_is_named_and_blocks_the_declaration(app, closed, staff):
    staff_client = signed_in_client(app, staff)
    staff_client.post("/manage/votes/rathaus/batches/new", data={
        "station": "Infostand", "collected_on": services.closing_day(closed).isoformat()})
    page = staff_client.get(PAGE).get_data(as_text=True)
    assert "Infostand" in page and 'id="pending"' in page and "<button" not in page.split(
        'id="pending"')[1].split("</main>")[0]
    refused = staff_client.post(PAGE, follow_redirects=True).get_data(as_text=True)
    assert "Infostand" in refused and not db.session.get(type(closed), closed.id).is_final


def test_only_staff_reach_the_page(app, closed, client):
    assert client.get(PAGE).status_code in (302, 401)
    citizen = signed_in_client(app, factories.user())
    assert citizen.get(PAGE).status_code == 403
    assert citizen.post(PAGE).status_code == 403


def test_an_open_vote_cannot_be_declared_final(app, staff):
    make_vote(project_factories.project(), slug="rathaus")
    staff_client = signed_in_client(app, staff)
    page = staff_client.post(PAGE, follow_redirects=True).get_data(as_text=True)
    assert "erst nach dem Ende der Abstimmung" in page


def test_the_command_declares_it_and_imports_are_refused_afterwards(app, closed, staff):
    runner = app.test_cli_runner()
    day = services.closing_day(closed)
    later = _import(app, staff, day + timedelta(days=1))
    assert later.exit_code == 1 and "nicht mehr zählen" in later.output
    assert _import(app, staff, day).exit_code == 0
    done = runner.invoke(args=["votes", "finalize", "rathaus", "--by", staff.username])
    assert done.exit_code == 0 and "endgültiges Ergebnis" in done.output
    again = runner.invoke(args=["votes", "finalize", "rathaus", "--by", staff.username])
    assert again.exit_code == 1 and "bereits endgültig" in again.output
    refused = _import(app, staff, day)
    assert refused.exit_code == 1 and "endgültig" in refused.output
    text = runner.invoke(args=["results", "rathaus"]).output
    assert "endgültiges Ergebnis, festgestellt am" in text


def test_the_command_needs_a_staff_account(app, closed):
    runner = app.test_cli_runner()
    citizen = factories.user()
    refused = runner.invoke(args=["votes", "finalize", "rathaus", "--by", citizen.username])
    assert refused.exit_code == 1 and citizen.username in refused.output
    assert not db.session.get(type(closed), closed.id).is_final


def test_after_the_close_the_entry_form_proposes_the_closing_day_and_refuses_later_ones(
    app, closed, staff
):
    staff_client = signed_in_client(app, staff)
    day = services.closing_day(closed)
    form = staff_client.get("/manage/votes/rathaus/batches/new").get_data(as_text=True)
    assert f'value="{day.isoformat()}"' in form
    later = (day + timedelta(days=1)).isoformat()
    refused = staff_client.post("/manage/votes/rathaus/batches/new",
                                data={"station": "Rathaus", "collected_on": later})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "nicht mehr zählen" in page
    assert 'value="Rathaus"' in page and f'value="{later}"' in page  # kept what was typed
    listing = staff_client.get("/manage/votes/rathaus/batches").get_data(as_text=True)
    assert 'id="after-close"' in listing
