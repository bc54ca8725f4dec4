"""Drill 4: `mitwirkung ballots import` of a big file, SIGKILLed while it writes: nothing
from the file counts; importing it again works, and a third time is refused (the
contract: the same file is never counted twice).
"""

from datetime import date

import world
from common import VOTE_SLUG
from importer import write_csv  # bench/importer.py
from report import Row
from seed import STAFF_USERNAME
from servers import cli, cli_killed_when, writing
from sqlalchemy import text

from mitwirkung.extensions import db

STATION = "Wochenmarkt (Drill)"


def run(report, app, env, tmp, rows: int, database: str) -> None:
    world.build(app, 1)
    path = tmp / f"ballots-{database}.csv"
    write_csv(path, rows)
    args = ["ballots", "import", VOTE_SLUG, str(path), "--station", STATION,
            "--date", date.today().isoformat(), "--entered-by", STAFF_USERNAME]
    with app.app_context():
        engine = db.engine
    killed = cli_killed_when(env, args, lambda: writing(engine))
    after_kill = _paper(app)
    again = cli(env, *args)
    after_again = _paper(app)
    third = cli(env, *args)
    after_third = _paper(app)
    wrong = (0 if killed else 1) + (after_kill != (0, 0)) + (again.returncode != 0) \
        + (third.returncode == 0) + (after_third != after_again)
    report.add(Row(f"4 SIGKILL ballots import of {rows:,} rows, import again", database, 3,
                   rows if again.returncode == 0 else 0, after_again[1],
                   max(0, rows - after_again[1]), max(0, after_third[1] - rows), 0, 0, wrong),
               f"killed while writing: {killed}; after the kill {after_kill[0]} batches and "
               f"{after_kill[1]} paper ballots; again: exit {again.returncode}, "
               f"{after_again[1]:,} ballots; a third time: exit {third.returncode} "
               f"({third.stderr.strip().splitlines()[-1][:120] if third.stderr.strip() else ''})")


def _paper(app) -> tuple[int, int]:
    """(batches, paper ballots) of the vote."""
    with app.app_context(), db.engine.connect() as connection:
        return tuple(connection.execute(text(
            "SELECT (SELECT count(*) FROM paper_batches b WHERE b.vote_id = v.id), "
            "(SELECT count(*) FROM ballots b WHERE b.vote_id = v.id AND b.channel = 'paper') "
            "FROM votes v WHERE v.slug = :v"), {"v": VOTE_SLUG}).one())
