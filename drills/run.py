"""`make drills`: integrity under faults, measured (docs/deployment.md, "Drills").

    tests/with_postgres.sh tests/with_redis.sh .venv/bin/python drills/run.py [--short]

Runs the drills against the real app under gunicorn on 127.0.0.1, PostgreSQL (the server
tests/with_postgres.sh started, stopped and started again by the database drill), Redis
for the rate limits, and a SQLite file for the SQLite drill; prints one table: per drill
the requests, the successes the clients were told, what the database counts, lost,
doubled, 503s retried, other 5xx, and what broke the drill's own rule. Exits 1 unless
every row passes. Bounded: every load has a deadline, every process a timeout.
"""

import argparse
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

# bench/ after drills/: its helpers (load, seed, server ...) without shadowing ours.
sys.path.insert(1, str(Path(__file__).resolve().parent.parent / "bench"))

import database_down  # noqa: E402
import import_kill  # noqa: E402
import kills  # noqa: E402
import mail_drills  # noqa: E402
import two_servers  # noqa: E402
from environment import app_for, environment  # noqa: E402
from report import Report  # noqa: E402

# Sizes (full, short): accounts per load, rows of the CSV file, mails, ballots waiting for the mix.
SIZES = {"accounts": (600, 60), "csv_rows": (50_000, 5_000), "mails": (300, 30),
         "inbox": (30_000, 5_000)}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true",
                        help="smaller loads and files, for CI (about two minutes)")
    parser.add_argument("--only", default="",
                        help="comma-separated drills to run: servers,kills,database,import,"
                             "mail (default: all)")
    return parser.parse_args()


def main() -> None:
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))
    args = parse_args()
    size = {name: values[1 if args.short else 0] for name, values in SIZES.items()}
    only = set(filter(None, args.only.split(",")))
    postgres_url = os.environ.get("TEST_DATABASE_URL", "")
    if not postgres_url:
        sys.exit("drills need PostgreSQL: run them through tests/with_postgres.sh "
                 "(make drills does)")
    began = time.monotonic()
    report = Report(f"MitWirkung drills{' (short)' if args.short else ''}, "
                    f"{os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M')}")
    with tempfile.TemporaryDirectory(prefix="mitwirkung-drills-") as tmp_name:
        tmp = Path(tmp_name)
        env = environment(postgres_url)
        app = app_for(env)

        def wanted(name):
            return not only or name in only

        if wanted("servers"):
            two_servers.run(report, app, env, tmp, size["accounts"], "postgresql")
        if wanted("kills"):
            kills.run(report, app, env, tmp, size, "postgresql")
        if wanted("database"):
            database_down.postgresql(report, app, env, tmp, size["accounts"])
            database_down.redis(report, app, env, tmp, size["accounts"])
        if wanted("import"):
            import_kill.run(report, app, env, tmp, size["csv_rows"], "postgresql")
        if wanted("mail"):
            mail_drills.run(report, app, env, tmp, size["mails"], "postgresql",
                            wait_retry=not args.short)
        if wanted("database") or wanted("import"):  # last: its app takes os.environ
            sqlite_env = environment(f"sqlite:///{tmp / 'drill.db'}")
            sqlite_app = app_for(sqlite_env)
            if wanted("database"):
                database_down.sqlite(report, sqlite_app, sqlite_env, tmp, size["accounts"])
                if not args.short:  # the lock-held drill shows the same, faster
                    database_down.sqlite_import(report, sqlite_app, sqlite_env, tmp,
                                                size["accounts"], size["csv_rows"])
            if wanted("import"):
                import_kill.run(report, sqlite_app, sqlite_env, tmp, size["csv_rows"],
                                "sqlite")
    report.note(f"whole run {time.monotonic() - began:.0f} s")
    print(report.render(), flush=True)
    sys.exit(0 if report.passed else 1)


if __name__ == "__main__":
    main()
