"""Drill 3: the database (or Redis) goes away under load.

PostgreSQL: stopped (fast shutdown: connections cut, transactions rolled back) for a few
seconds while two app servers take the load, then started again. Meanwhile the app
answers 503 with Retry-After, never a 500; the clients come back when told. A probe asks
each server for a page that reads the database every PROBE_EVERY seconds and measures how
long after the database's return the servers answer it again.

Redis, which holds the rate limits of both app servers: stopped for a few seconds under
load and started again. Meanwhile each server counts its limits in its own memory; no
request fails for it.

SQLite: one app server under concurrent writes while another process holds the write
lock for a while, twice: requests wait their turn (busy_timeout) and answer, never a 500.
"""

import random
import sqlite3
import threading
import time
from datetime import date

import checks
import clients
import world
from common import VOTE_SLUG
from importer import write_csv  # bench/importer.py
from load import Connection  # bench/load.py
from measure import get
from seed import STAFF_USERNAME
from servers import Gunicorn, PostgreSQL, Redis, cli, errors_logged

from mitwirkung.extensions import db

CLIENTS = 16
DOWN_AT = 0.3  # share of the actions answered when the database stops
DOWN_SECONDS = 3.0
PROBE_EVERY = 0.05
LOCK_SECONDS = 2.0


def postgresql(report, app, env, tmp, accounts: int) -> None:
    built = world.build(app, accounts)
    with app.app_context():
        server = PostgreSQL(db.engine.url.render_as_string(hide_password=False))
    rng = random.Random(6)
    with Gunicorn("a", env, tmp) as a, Gunicorn("b", env, tmp) as b:
        lists = clients.spread([world.actions(built, v, rng) for v in built.voters],
                               built.voters, CLIENTS, 2, twice=True)
        probes = [_Probe(a.port), _Probe(b.port)]
        tally = _with_load([a.port, b.port], lists, lambda: _down(server, probes))
        for probe in probes:
            probe.stop()
    logged = errors_logged([a, b]) if tally.server_errors else []
    outcome = checks.compare(app, tally)
    back = probes[0].back_at
    recoveries = [probe.first_ok_after(back) for probe in probes]
    slowest = max((r - back for r in recoveries if r is not None), default=float("nan"))
    statuses_down = sorted({s for probe in probes for s in probe.statuses_while_down})
    report.add(checks.row("3 PostgreSQL stopped for 3 s under load", "postgresql", tally, outcome,
                          sum(r is None for r in recoveries)),
               f"answers while the database was down: {statuses_down}; the servers answered "
               f"again {slowest:.2f} s after it was back (probe every {PROBE_EVERY} s)",
               f"answers by status: {dict(sorted(tally.statuses.items()))}; "
               f"{tally.without_retry_after} 503s without Retry-After", *outcome.notes,
               *(f"logged: {line}" for line in logged[-6:]))


def redis(report, app, env, tmp, accounts: int) -> None:
    built = world.build(app, accounts)
    rng = random.Random(9)
    with Redis(tmp) as store:
        env = {**env, "RATELIMIT_STORAGE_URL": store.url}
        with Gunicorn("ra", env, tmp) as a, Gunicorn("rb", env, tmp) as b:
            lists = clients.spread([world.actions(built, v, rng) for v in built.voters],
                                   built.voters, CLIENTS, 2, twice=True)
            tally = _with_load([a.port, b.port], lists, lambda: store.down_for(DOWN_SECONDS))
    outcome = checks.compare(app, tally)
    report.add(checks.row("3 Redis stopped for 3 s under load", "postgresql", tally, outcome),
               f"answers by status: {dict(sorted(tally.statuses.items()))} (the survey's "
               "pages are rate limited: counted in memory while Redis was away)",
               *outcome.notes)


def sqlite(report, app, env, tmp, accounts: int) -> None:
    built = world.build(app, accounts)
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    rng = random.Random(7)
    held = []
    with Gunicorn("sqlite", env, tmp, workers=3) as server:
        lists = clients.spread([world.actions(built, v, rng) for v in built.voters],
                               built.voters, CLIENTS, 1, twice=True)

        def hold_lock_twice():
            for _ in range(2):
                held.append(_hold_write_lock(path, LOCK_SECONDS))
                time.sleep(LOCK_SECONDS)

        tally = _with_load([server.port], lists, hold_lock_twice)
    outcome = checks.compare(app, tally)
    report.add(checks.row("3 SQLite write lock held 2 x 2 s under writes", "sqlite", tally,
                          outcome),
               f"the lock held {', '.join(f'{s:.1f} s' for s in held)} while 16 clients "
               f"wrote through 3 workers; answers by status: "
               f"{dict(sorted(tally.statuses.items()))}", *outcome.notes)


def sqlite_import(report, app, env, tmp, accounts: int, rows: int) -> None:
    """Staff import a big file of paper ballots while citizens write: the import holds
    SQLite's one write lock while it writes; the others wait their turn."""
    built = world.build(app, accounts)
    path = tmp / "busy.csv"
    write_csv(path, rows)
    rng = random.Random(10)
    imported = {}

    def import_file():
        began = time.monotonic()
        imported["run"] = cli(env, "ballots", "import", VOTE_SLUG, str(path), "--station",
                              "Rathaus (Drill)", "--date", date.today().isoformat(),
                              "--entered-by", STAFF_USERNAME)
        imported["seconds"] = time.monotonic() - began

    with Gunicorn("sqlite-import", env, tmp, workers=3) as server:
        lists = clients.spread([world.actions(built, v, rng) for v in built.voters],
                               built.voters, CLIENTS, 1, twice=True)
        tally = _with_load([server.port], lists, import_file, share=0.1)
    outcome = checks.compare(app, tally)
    run = imported["run"]
    report.add(checks.row(f"3 SQLite writes during a {rows:,}-row import", "sqlite", tally, outcome,
                          (run.returncode != 0)),
               f"the import took {imported['seconds']:.1f} s (exit {run.returncode}) while 16 "
               f"clients wrote through 3 workers; answers by status: "
               f"{dict(sorted(tally.statuses.items()))}", *outcome.notes)


def _with_load(ports, lists, fault, share: float = DOWN_AT) -> clients.Tally:
    """Run the load; once `share` of the actions are answered, run `fault()` beside it."""
    actions = [action for actions in lists for action in actions]
    result = {}
    load = threading.Thread(target=lambda: result.update(
        tally=clients.run(ports, lists, world.outcome, seconds=300)))
    load.start()
    deadline = time.monotonic() + 120
    while (sum(1 for x in actions if x.outcome != "not sent") < share * len(actions)
           and time.monotonic() < deadline and load.is_alive()):
        time.sleep(0.02)
    fault()
    load.join()
    return result["tally"]


def _down(server: PostgreSQL, probes) -> None:
    for probe in probes:
        probe.start()
    down_at = time.monotonic()
    for probe in probes:
        probe.down_at = down_at
    back_at = server.down_for(DOWN_SECONDS)
    for probe in probes:
        probe.back_at = back_at
    time.sleep(2.0)  # let the probes see the servers recover


def _hold_write_lock(path: str, seconds: float) -> float:
    """Take SQLite's write lock in a connection of our own and keep it `seconds`."""
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        began = time.monotonic()
        connection.execute("BEGIN IMMEDIATE")
        time.sleep(seconds)
        connection.execute("ROLLBACK")
        return time.monotonic() - began
    finally:
        connection.close()


class _Probe:
    """GET the vote's page (it reads the database) again and again on one server."""

    def __init__(self, port: int):
        self.port = port
        self.down_at = self.back_at = float("inf")
        self.timeline: list[tuple[float, int]] = []
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=40)

    def _run(self) -> None:
        connection = Connection(self.port)
        request = get(f"/votes/{VOTE_SLUG}", self.port)
        try:
            while not self._stopped.is_set():
                try:
                    status = connection.exchange(request)[0]
                except OSError:
                    connection.close()
                    status = 0
                self.timeline.append((time.monotonic(), status))
                time.sleep(PROBE_EVERY)
        finally:
            connection.close()

    @property
    def statuses_while_down(self) -> set[int]:
        return {status for moment, status in self.timeline
                if self.down_at <= moment <= self.back_at}

    def first_ok_after(self, moment: float) -> float | None:
        return next((at for at, status in self.timeline if at >= moment and status == 200),
                    None)
