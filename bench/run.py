"""`make bench`: cast votes, read results, import paper ballots, read an idea board's list
and toggle supports against the real app under gunicorn, each beside the same server's
hello-world ceiling; see docs/benchmarks.md.

    .venv/bin/python bench/run.py --db sqlite
    tests/with_postgres.sh .venv/bin/python bench/run.py --db postgresql
"""

import argparse
import json
import os
import platform
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

import bulk
import ideas
import importer
import measure
import seed
import surveys
from common import RESULTS_DIR, ROOT, VOTE_SLUG, Report, median, percentile, spread
from cpu import Meter
from rendering import bench_markdown
from server import ServerConfig, gunicorn
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from mitwirkung import create_app
from mitwirkung.extensions import db

VOTES_TARGET = 300.0  # votes/s
VOTES_CEILING_SHARE = 0.20  # and at least this share of the same run's hello-world ceiling
RESULTS_TARGET_MS = 100.0
IMPORT_TARGET_S = 3.0
IMPORT_TARGET_MB = 200.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL", ""),
                        help="PostgreSQL URL, emptied and reused (default: $TEST_DATABASE_URL)")
    parser.add_argument("--server", default=None,
                        help="gunicorn workers as sync:N or gthread:NxT (default: what "
                             "docs/deployment.md recommends for the database)")
    parser.add_argument("--rounds", type=int, default=3, help="hello + vote rounds")
    parser.add_argument("--voters", type=int, default=2000, help="voters per round")
    parser.add_argument("--hello-seconds", type=float, default=4.0)
    parser.add_argument("--ballots", type=int, default=1_000_000,
                        help="online ballots in the vote when the results are read")
    parser.add_argument("--csv-rows", type=int, default=10_000)
    parser.add_argument("--only-votes", action="store_true",
                        help="skip the import, results and idea parts (to compare server "
                             "set-ups)")
    parser.add_argument("--only-ideas", action="store_true",
                        help="only the idea board: list pages and supports")
    parser.add_argument("--only-surveys", action="store_true",
                        help="only the surveys: results, export, answering")
    parser.add_argument("--ideas", type=int, default=5000, help="ideas on the bench board")
    parser.add_argument("--survey-responses", type=int, default=50_000,
                        help="responses in the survey whose results are read")
    parser.add_argument("--answerers", type=int, default=600,
                        help="accounts answering the three-page survey per round")
    parser.add_argument("--page-seconds", type=float, default=3.0,
                        help="seconds per list path and round")
    parser.add_argument("--togglers", type=int, default=500,
                        help="accounts toggling supports per round (3 toggles each)")
    return parser.parse_args()


def database_url(args, tmp: Path) -> str:
    if args.db == "sqlite":
        return f"sqlite:///{tmp / 'bench.db'}"
    if not args.database_url:
        sys.exit("--db postgresql needs --database-url or TEST_DATABASE_URL "
                 "(run it through tests/with_postgres.sh)")
    return args.database_url


def environment(url: str) -> dict[str, str]:
    """What gunicorn and the CLI get: the bench database and one secret key for all."""
    return {"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32),
            "RATELIMIT_STORAGE_URL": "memory://", "RATELIMIT_ENABLED": "1",
            # The bench sends no mail; a worker would poll tables the seed drops.
            "MAIL_WORKER": "0"}


def database_facts(app) -> tuple[str, int | None]:
    """The database's name and version, and the PostgreSQL postmaster's pid if readable."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            import sqlite3

            return f"SQLite {sqlite3.sqlite_version}", None
        version = db.session.execute(text("SHOW server_version")).scalar()
        try:
            data = db.session.execute(text("SHOW data_directory")).scalar()
            postmaster = int((Path(data) / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError, SQLAlchemyError):
            postmaster = None
        return f"PostgreSQL {version}", postmaster


def git_describe() -> str:
    try:
        return subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                              capture_output=True, text=True, timeout=10).stdout.strip()
    except OSError:
        return "?"


def ms_per(seconds: float, count: int) -> float:
    return 1000 * seconds / count if count else float("nan")


def bench_votes(report: Report, server, postmaster, voters, args) -> tuple[int, Counter]:
    """Rounds of hello world then casting; returns the successful casts and, per account,
    how many (casts, refusals) it got."""
    hellos, rounds, hello_cpu, vote_cpu = [], [], [], []
    for index in range(args.rounds):
        with Meter(server.pid, postmaster) as meter:
            rate, statuses = measure.hello(server.port, args.hello_seconds)
        hellos.append(rate)
        hello_cpu.append(ms_per(meter.app, statuses[200]))
        if set(statuses) != {200}:
            report.note(f"hello round {index + 1}: statuses {dict(statuses)}")
        batch = voters[index * args.voters:(index + 1) * args.voters]
        with Meter(server.pid, postmaster) as meter:
            result = measure.cast_votes(server.port, batch, seed=index)
        rounds.append(result)
        vote_cpu.append(tuple(ms_per(x, result.requests)
                              for x in (meter.app, meter.database, meter.load)))
    ceiling = median(hellos)
    rates = [r.votes_per_s for r in rounds]
    report.add("hello world: GET /health, 32 clients", spread(hellos) + " req/s")
    report.add("cast vote: POST form + session + CSRF", spread(rates) + " votes/s",
               f"{ceiling:,.0f} req/s", f"{median(rates) / ceiling:.0%}",
               f">= {VOTES_TARGET:.0f} votes/s, >= {VOTES_CEILING_SHARE:.0%}",
               median(rates) >= VOTES_TARGET and median(rates) / ceiling >= VOTES_CEILING_SHARE)
    app_ms, db_ms, load_ms = (median(cpu[i] for cpu in vote_cpu) for i in range(3))
    total = app_ms + db_ms + load_ms
    report.add("CPU per cast request: app + database + load",
               f"{app_ms:.1f} + {db_ms:.1f} + {load_ms:.1f} = {total:.1f} ms",
               f"/health: app {median(hello_cpu):.2f} ms", f"{app_ms / median(hello_cpu):.0f}x",
               f"<= {2000 / VOTES_TARGET:.1f} ms on 2 cores")
    report.note(f"2 cores / {total:.1f} ms CPU per cast = at most {2000 / total:,.0f} casts/s "
                "if nothing ever waited (locks, I/O, scheduling)")
    outcomes = sum((r.outcomes for r in rounds), Counter())
    latencies = [t for r in rounds for t in r.latencies]
    report.note(f"cast requests: {sum(r.requests for r in rounds)} in {args.rounds} rounds, "
                f"outcomes {dict(outcomes)}, latency median {1000 * median(latencies):.0f} ms, "
                f"p95 {1000 * percentile(latencies, 0.95):.0f} ms")
    per_account = Counter()
    for r in rounds:
        for counts in r.per_account.values():
            per_account[(counts["cast"], counts["refused"])] += 1
    report.note("accounts by (casts, refusals): "
                + ", ".join(f"{k}: {v}" for k, v in sorted(per_account.items())))
    return outcomes["cast"], per_account


def check_integrity(report: Report, app, casts: int, per_account: Counter,
                    mix_size: int) -> bool:
    """ballots (mixed + waiting) = participations = successful responses; nobody twice;
    answers agree; the tallies hold every mix but the newest (counted one step late)."""
    s = bulk.state(app)
    each_once = all(count == 1 for count, _refusals in per_account)
    ok = (s["online_ballots"] == s["participations"] == casts and s["accounts_twice"] == 0
          and s["online_answers"] == 2 * s["mixed_ballots"]
          and s["tally_min"] == s["tally_max"] == s["counted_ballots"]
          and s["counted_ballots"] + s["newest_group"] + s["waiting_ballots"] == casts
          and each_once)
    report.add("after casting: ballots = participations = 302->receipt",
               f"{s['online_ballots']} = {s['participations']} = {casts}", "", "",
               "equal, each account once", ok)
    report.note(f"mixing (k = {mix_size}): {s['mixed_ballots']} ballots mixed, "
                f"{s['waiting_ballots']} waiting, {s['counted_ballots']} counted, "
                f"{s['newest_group']} in the newest group, counted at the next mix")
    if not ok:
        report.note(f"database state after casting: {s}")
    return ok


def bench_import(report: Report, app, env: dict, tmp: Path, rows: int) -> None:
    """Time `mitwirkung ballots import` on a generated CSV of `rows` cards, beside the
    command's start-up (`ballots import --help`)."""
    name = f"CSV import: {rows:,} rows via the CLI"
    base = importer.start_up(env, tmp / "start-up")
    if not base.available:
        report.add(name, "not available yet (no `mitwirkung ballots import`)")
        return
    path = tmp / "ballots.csv"
    importer.write_csv(path, rows)
    s = bulk.state(app)
    run = importer.run_import(env, VOTE_SLUG, path, "Wochenmarkt (Benchmark)",
                              date.today().isoformat(), seed.STAFF_USERNAME)
    added = bulk.state(app)["paper_ballots"] - s["paper_ballots"]
    ok = (run.returncode == 0 and added == rows and run.seconds < IMPORT_TARGET_S
          and run.peak_rss_mb < IMPORT_TARGET_MB)
    report.add(f"{name}, vote has {s['online_ballots']:,} ballots",
               f"{run.seconds:.2f} s, peak RSS {run.peak_rss_mb:.0f} MB",
               f"start-up {base.seconds:.2f} s, {base.peak_rss_mb:.0f} MB",
               f"{run.seconds / base.seconds:.1f}x",
               f"< {IMPORT_TARGET_S:.0f} s, < {IMPORT_TARGET_MB:.0f} MB", ok)
    if run.returncode != 0 or added != rows:
        report.note(f"import: exit {run.returncode}, {added:,} paper ballots added; "
                    f"output: {run.output[-400:]!r}")


def fill_up(report: Report, app, ballots: int) -> None:
    """Add online ballots in bulk until the vote holds `ballots` of them."""
    missing = max(0, ballots - bulk.state(app)["online_ballots"])
    began = time.perf_counter()
    bulk.add_online_ballots(app, missing)
    report.note(f"bulk insert of {missing:,} online ballots with answers and tallies: "
                f"{time.perf_counter() - began:.1f} s")


def bench_results(report: Report, app, server) -> None:
    """Time the results page and JSON of the vote as it is now."""
    s = bulk.state(app)
    timings = measure.latencies(server.port, ("/health", *measure.RESULT_PATHS))
    health = timings["/health"]
    shown = json.loads(timings[measure.RESULT_PATHS[1]].body or b"{}").get("ballots")
    if shown != {"online": s["counted_ballots"], "paper": s["paper_ballots"]}:
        report.note(f"the results JSON says {shown}, the database {s}")
    holding = f"{s['counted_ballots']:,} online"
    if s["paper_ballots"]:
        holding += f" + {s['paper_ballots']:,} paper"
    for path, name in zip(measure.RESULT_PATHS, ("results page", "results JSON"), strict=True):
        t = timings[path]
        ok = set(t.statuses) == {200} and t.p95_ms < RESULTS_TARGET_MS
        report.add(f"{name}, {holding}: GET {path}",
                   f"median {t.median_ms:.1f} ms, p95 {t.p95_ms:.1f} ms",
                   f"/health median {health.median_ms:.1f} ms",
                   f"{t.median_ms / health.median_ms:.0f}x", f"p95 < {RESULTS_TARGET_MS:.0f} ms",
                   ok)
        if set(t.statuses) != {200}:
            report.note(f"{path}: statuses {dict(t.statuses)}")


def recommended_server() -> str:
    """docs/deployment.md: one sync worker more than cores, on either database."""
    cores = os.cpu_count() or 2
    return f"sync:{cores + 1}"


def run(args, tmp: Path) -> tuple[Report, bool]:
    """The whole benchmark on one database; returns the report and whether no ballot and no
    support was lost or doubled."""
    config = ServerConfig.parse(args.server or recommended_server())
    env = environment(database_url(args, tmp))
    os.environ.update(env)
    os.environ.pop("SESSION_COOKIE_SECURE", None)
    app = create_app()
    database, postmaster = database_facts(app)
    report = Report(f"MitWirkung bench, {args.db}: {database}, {config.describe()}, "
                    f"{measure.CLIENTS} clients in {measure.PROCESSES} processes, "
                    f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
                    f"{git_describe()}, {time.strftime('%Y-%m-%d %H:%M')}")
    began = time.perf_counter()
    seed.reset_schema(app)
    only = args.only_votes or args.only_ideas or args.only_surveys
    with_votes = args.only_votes or not only
    with_ideas = args.only_ideas or not only
    with_surveys = args.only_surveys or not only
    accounts = max(args.rounds * args.voters if with_votes else 0,
                   args.rounds * args.togglers if with_ideas else 0,
                   args.rounds * args.answerers if with_surveys else 0)
    voters = seed.voter_sessions(app, seed.seed(app, accounts))
    report.note(f"seeded {len(voters):,} signed-in voters in {time.perf_counter() - began:.1f} s")
    if with_surveys:
        results_survey = surveys.timed(
            report, f"seeded a survey of 20 questions and {args.survey_responses:,} responses",
            lambda: surveys.seed_results_survey(app, args.survey_responses))
        surveys.seed_answer_survey(app)
    if with_ideas:
        seeding = time.perf_counter()
        board_id, public = ideas.seed_board(app, args.ideas)
        report.note(f"seeded a board of {args.ideas:,} ideas ({len(public):,} public) in "
                    f"{time.perf_counter() - seeding:.1f} s")
    if with_votes and with_ideas:
        bench_markdown(report)
    intact = supports_intact = surveys_intact = True
    with gunicorn(config, env, tmp / "gunicorn.log") as server:
        measure.warm_up(server.port, voters[0])
        if with_votes:
            casts, per_account = bench_votes(report, server, postmaster, voters, args)
            intact = check_integrity(report, app, casts, per_account,
                                     app.config["BALLOT_MIX_SIZE"])
        if with_ideas:
            paths = [path for _who, cycle in ideas.list_paths(public).values()
                     for path in cycle]
            ideas.pages_under_load(server.port, paths, voters, 2.0)  # warm up, untimed
            ideas.bench_pages(report, app, server, postmaster, voters, public, args.ideas,
                              args.rounds, args.page_seconds)
            supports_intact = ideas.bench_toggles(
                report, app, server, postmaster, board_id, voters, public, args.rounds,
                args.togglers, args.hello_seconds)
        if with_surveys:
            hello = ideas.hello_under_load(server.port, args.hello_seconds, measure.CLIENTS)
            surveys_intact = surveys.bench_answering(
                report, app, server, postmaster, voters, args.rounds, args.answerers,
                hello.rate)
            surveys.bench_results(report, server.port, args.survey_responses,
                                  surveys.breakdown_question(app, results_survey))
            surveys.bench_export(report, env, tmp, args.survey_responses)
        if with_votes and with_ideas:
            fill_up(report, app, args.ballots)
            bench_results(report, app, server)
            bench_import(report, app, env, tmp, args.csv_rows)
            bench_results(report, app, server)
    log = (tmp / "gunicorn.log").read_text(errors="replace").strip()
    if log:
        report.note("gunicorn log (tail): " + log[-600:].replace("\n", " | "))
    report.note(f"whole run {time.perf_counter() - began:.0f} s")
    return report, intact and supports_intact and surveys_intact


def _stop(signum, _frame):
    raise SystemExit(128 + signum)  # so that `finally` stops gunicorn and removes temp files


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    args = parse_args()
    RESULTS_DIR.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mitwirkung-bench-") as tmp:
        report, intact = run(args, Path(tmp))
    text = report.render()
    print(text)
    (RESULTS_DIR / f"latest-{args.db}.txt").write_text(text, encoding="utf-8")
    if not intact:  # lost or doubled ballots or supports are a bug, not a matter of speed
        sys.exit(1)


if __name__ == "__main__":
    main()
