"""`mitwirkung results SLUG --format text|csv|json`: the merged result, online and paper."""

import csv
import io
import json
import re
from pathlib import Path

import pytest

from tests import factories
from tests.projects import factories as project_factories

from ..factories import cast, make_vote

WOCHENMARKT = str(Path(__file__).resolve().parents[2] / "data" / "ballots-wochenmarkt.csv")


@pytest.fixture
def results(app, staff):
    """Two online ballots and the Wochenmarkt sample (120 cards) in one vote."""
    vote = make_vote(project_factories.project(), slug="pfalztheater")
    cast(vote, factories.user(), {"entwurf": "B", "name": "A"})
    cast(vote, factories.user(), {"entwurf": "B"})
    runner = app.test_cli_runner()
    imported = runner.invoke(args=["ballots", "import", "pfalztheater", WOCHENMARKT,
                                   "--station", "Wochenmarkt", "--date", "2023-09-02",
                                   "--entered-by", staff.username])
    assert imported.exit_code == 0, imported.output

    def invoke(*args):
        return runner.invoke(args=["results", *args])

    return invoke


def test_json_follows_the_contract(results):
    output = json.loads(results("pfalztheater", "--format", "json").stdout)
    assert output["vote"] == "pfalztheater" and output["status"] == "open"
    assert output["ballots"] == {"online": 2, "paper": 120, "tally": 0}
    entwurf = output["questions"][0]
    assert set(entwurf) == {"code", "title", "blank", "invalid", "options"}
    b = next(option for option in entwurf["options"] if option["code"] == "B")
    assert b["online"] == 2 and b["total"] == b["online"] + b["paper"] + b["tally"]
    assert sum(o["total"] for o in entwurf["options"]) + entwurf["blank"] + entwurf[
        "invalid"] == 122


def test_csv_has_a_row_per_option_and_blank_and_invalid(results):
    raw = results("pfalztheater", "--format", "csv").stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # the one export profile
    output = raw.decode()
    rows = list(csv.reader(io.StringIO(output.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Frage", "Antwort", "Titel"]
    body, status = rows[1:-1], rows[-1]
    assert len(body) == 3 + 2 + 4 + 2  # entwurf A-C, blank, invalid; name A-D, blank, invalid
    assert status == ["Ergebnis", "vorläufiges Ergebnis"]
    assert [row[1] for row in body[:5]] == ["A", "B", "C", "leer", "ungültig"]
    assert all("." not in row[7] for row in body), "shares with a decimal comma"


def test_text_is_in_german_with_the_split(results):
    text = results("pfalztheater").stdout
    assert "Stimmzettel: 2 online, 120 Papier, 0 Strichliste, 122 gesamt" in text
    assert "Verschlungene Wege" in text and "leer" in text and "ungültig" in text
    assert re.search(r"\b\d+,\d\u00a0%", text), "shares with a decimal comma"


def test_unknown_vote_is_an_error_on_stderr(results):
    result = results("keine-abstimmung")
    assert result.exit_code != 0 and result.stdout == ""
    assert "keine-abstimmung" in result.stderr
