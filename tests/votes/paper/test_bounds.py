"""Hostile paper-ballot files get the same clear `Zeile N` errors on the web and in the CLI,
before any heavy work, and write nothing."""

import html
import io
import os
import time

import pytest
from sqlalchemy import func, select

from mitwirkung.extensions import db
from mitwirkung.votes.models import Ballot, PaperBatch
from tests.conftest import signed_in_client

HEADER = "serial;entwurf;name\n"
HOSTILE = {
    # 0x81 is undefined in Windows-1252: a 500 on the web ("surrogates not allowed").
    "undefined byte in the header": (
        "serial;entw\x81rf;name\n1;A;B\n".encode("latin-1"),
        ["Zeile 1: unlesbare Zeichen"]),
    # 5.7 MB of 726,389 columns got the web worker killed after 31 s.
    "a million columns": (
        ("serial;" + ";".join(["x"] * 726_389) + "\n1;A;B\n").encode(),
        ["Zeile 1: 726390 Spalten"]),
    "too large": (
        (HEADER + "1;A;B\n" * 1_000_000).encode(),
        ["Die Datei ist zu groß: höchstens 5 MB sind möglich."]),
    "a line of 100,000 characters": (
        (HEADER + "1;" + "A" * 100_000 + ";B\n").encode(),
        ["Zeile 2: länger als 20000 Zeichen"]),
}


def nothing_written() -> bool:
    return not db.session.scalar(select(func.count()).select_from(Ballot)) and not (
        db.session.scalar(select(func.count()).select_from(PaperBatch)))


def web_errors(app, staff, data: bytes) -> str:
    client = signed_in_client(app, staff)
    started = time.perf_counter()
    response = client.post("/manage/votes/pfalztheater/batches/import", data={
        "file": (io.BytesIO(data), "karten.csv"), "station": "Markt",
        "collected_on": "2023-09-02"}, content_type="multipart/form-data")
    assert time.perf_counter() - started < 5
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def cli_errors(app, staff, path) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=[
        "ballots", "import", "pfalztheater", str(path), "--station", "Markt",
        "--date", "2023-09-02", "--entered-by", staff.username])
    return result.exit_code, result.stderr


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_files_get_the_same_clear_errors_on_both_paths(app, vote, staff, tmp_path,
                                                               case):
    data, expected = HOSTILE[case]
    page = web_errors(app, staff, data)
    path = tmp_path / "karten.csv"
    path.write_bytes(data)
    code, stderr = cli_errors(app, staff, path)
    assert code == 1 and "Nichts wurde importiert." in stderr
    for start in expected:
        assert start in page and start in stderr, (start, stderr)
    for line in stderr.splitlines()[:-1]:  # the last says "Nichts wurde importiert."
        assert line in page, line  # word for word the same
    assert nothing_written()


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_the_cli_refuses_a_device_file_before_reading(app, vote, staff):
    started = time.perf_counter()
    code, stderr = cli_errors(app, staff, "/dev/zero")
    assert code != 0 and "keine reguläre Datei" in stderr
    assert time.perf_counter() - started < 2 and nothing_written()


def test_the_cli_refuses_a_pipe(app, vote, staff, tmp_path):
    fifo = tmp_path / "karten.csv"
    os.mkfifo(fifo)
    code, stderr = cli_errors(app, staff, fifo)
    assert code != 0 and "keine reguläre Datei" in stderr and nothing_written()
