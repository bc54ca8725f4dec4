"""`mitwirkung ballots import`: the same service as the web upload, errors on stderr."""

import re
from pathlib import Path

import pytest
from flask_babel import gettext
from sqlalchemy import func, select

from mitwirkung.extensions import db
from mitwirkung.votes.models import Ballot, PaperBatch
from mitwirkung.votes.results.tally import tally
from tests import factories
from tests.projects import factories as project_factories

from ..factories import make_vote

DATA = Path(__file__).resolve().parents[2] / "data"
WOCHENMARKT = str(DATA / "ballots-wochenmarkt.csv")
BROKEN = str(DATA / "ballots-broken.csv")


@pytest.fixture
def run(app, staff):
    runner = app.test_cli_runner()

    def invoke(*args, user=None):
        options = ["--station", "Wochenmarkt", "--date", "2023-09-02",
                   "--entered-by", user or staff.username]
        return runner.invoke(args=["ballots", "import", *args, *options])

    return invoke


def batch_count() -> int:
    return db.session.scalar(select(func.count()).select_from(PaperBatch))


def test_import_prints_a_summary_and_counts(vote, run, staff):
    result = run("pfalztheater", WOCHENMARKT)
    assert result.exit_code == 0, result.output
    assert "120" in result.stdout
    assert "[entwurf]" in result.stdout and "Verschlungene Wege" in result.stdout
    [batch] = db.session.scalars(select(PaperBatch)).all()
    assert (batch.station, batch.entered_by_id, batch.file_name) == (
        "Wochenmarkt", staff.id, "ballots-wochenmarkt.csv")
    assert tally(vote).paper_ballots == 120


def test_dry_run_writes_nothing(vote, run):
    result = run("pfalztheater", WOCHENMARKT, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "120" in result.stdout
    assert batch_count() == 0
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0


def test_a_broken_file_lists_every_error_on_stderr_and_exits_1(vote, run):
    result = run("pfalztheater", BROKEN)
    assert result.exit_code == 1
    assert re.findall(r"^(?:Zeile|Line) (\d+):", result.stderr, re.MULTILINE) == ["5", "9"]
    assert result.stdout == ""
    assert batch_count() == 0


def test_importing_the_same_file_again_is_refused(vote, run):
    assert run("pfalztheater", WOCHENMARKT).exit_code == 0
    again = run("pfalztheater", WOCHENMARKT)
    assert again.exit_code != 0
    assert re.search(r"\(Stapel \d+\)", again.stderr)
    assert batch_count() == 1


@pytest.mark.parametrize(
    ("args", "user"),
    [
        (["no-such-vote", WOCHENMARKT], None),
        (["pfalztheater", WOCHENMARKT], "nobody"),
        (["pfalztheater", WOCHENMARKT], "citizen"),
        (["pfalztheater", "/no/such/file.csv"], None),
    ],
)
def test_unknown_vote_user_or_file_is_a_clear_error(vote, run, args, user):
    if user == "citizen":
        user = factories.user(role="citizen").username
    result = run(*args, user=user)
    assert result.exit_code != 0
    assert result.stderr.strip()
    assert batch_count() == 0


def test_a_bad_date_is_refused(vote, app, staff):
    result = app.test_cli_runner().invoke(args=[
        "ballots", "import", "pfalztheater", WOCHENMARKT, "--station", "Markt",
        "--date", "02.09.2023", "--entered-by", staff.username,
    ])
    assert result.exit_code == 2
    assert "--date" in result.stderr
    assert batch_count() == 0


def test_with_double_entry_the_imported_batch_waits_for_its_check(app, run):
    vote = make_vote(project_factories.project(), slug="doppelt", double_entry=True)
    result = run("doppelt", WOCHENMARKT)
    assert result.exit_code == 0, result.output
    with app.app_context():  # the CLI speaks the default locale
        notice = gettext("Double entry: the batch counts once another staff member has "
                         "entered its cards again and both entries agree.")
    assert notice in result.stdout
    [batch] = db.session.scalars(select(PaperBatch)).all()
    assert batch.status == "checking"
    assert tally(vote).paper_ballots == 0
