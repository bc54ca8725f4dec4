"""CPU per cast request with no server and no load generator: the app's own cost, steadier
than `make bench` for comparing two versions of the code (docs/benchmarks.md).

    .venv/bin/python bench/in_process.py --db sqlite
    tests/with_postgres.sh .venv/bin/python bench/in_process.py --db postgresql

Each round posts the ballot form of fresh voters straight into the WSGI app (session
cookie, CSRF token, same User-Agent and address as at sign-in) and times `GET /health`
beside it; on PostgreSQL it also reads the CPU time of the one server process it talks to.
Prints the median and minimum of the rounds.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import measure
import seed
from common import USER_AGENT, median
from cpu import process_cpu
from run import database_url, environment
from sqlalchemy import text
from werkzeug.test import EnvironBuilder

from mitwirkung import create_app
from mitwirkung.extensions import db


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL", ""))
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--casts", type=int, default=200, help="casts per round")
    return parser.parse_args()


def wsgi_environ(path: str, method: str = "GET", cookie: str = "", body: str = "") -> dict:
    headers = {"User-Agent": USER_AGENT}
    if cookie:
        headers["Cookie"] = f"session={cookie}"
    return EnvironBuilder(path=path, method=method, data=body, headers=headers,
                          content_type="application/x-www-form-urlencoded" if body else None,
                          environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_environ()


def cast_environs(voters, rng: random.Random) -> list[dict]:
    return [
        wsgi_environ(measure.CAST_PATH, "POST", voter.cookie, urlencode({
            "csrf_token": voter.csrf_token, "q-entwurf": rng.choice(measure.ENTWURF),
            "q-name": rng.choice(measure.NAME)}))
        for voter in voters
    ]


def serve(app, environs: list[dict]) -> set[str]:
    statuses = set()
    for environ in environs:
        for _chunk in app.wsgi_app(environ, lambda status, *_: statuses.add(status)):
            pass
    return statuses


def server_process_cpu(app):
    """A function returning the CPU seconds of the PostgreSQL backend the app's one pooled
    connection talks to (one thread, so always the same); zero on SQLite."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return lambda: 0.0
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        db.session.remove()
    return lambda: process_cpu(lambda candidate, _fields: candidate == pid)


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="mitwirkung-in-process-") as tmp:
        os.environ.update(environment(database_url(args, Path(tmp))))
        app = create_app()
        seed.reset_schema(app)
        voters = seed.voter_sessions(app, seed.seed(app, (args.rounds + 1) * args.casts))
        casts = iter(cast_environs(voters, random.Random(1)))
        database_cpu = server_process_cpu(app)
        serve(app, [next(casts) for _ in range(args.casts)])  # warm: compile, prepare
        rows = {"cast (app)": [], "cast (database)": [], "GET /health (app)": []}
        if args.db == "sqlite":
            del rows["cast (database)"]  # SQLite runs inside the app's own process
        for _round in range(args.rounds):
            started, server = time.process_time(), database_cpu()
            statuses = serve(app, [next(casts) for _ in range(args.casts)])
            rows["cast (app)"].append((time.process_time() - started) / args.casts)
            rows.get("cast (database)", []).append((database_cpu() - server) / args.casts)
            if statuses != {"302 FOUND"}:
                sys.exit(f"unexpected answers to the casts: {statuses}")
            started = time.process_time()
            serve(app, [wsgi_environ("/health") for _ in range(args.casts)])
            rows["GET /health (app)"].append((time.process_time() - started) / args.casts)
    print(f"CPU per request, {args.db}, {args.rounds} rounds of {args.casts}:")
    for name, values in rows.items():
        print(f"  {name:20} median {median(values) * 1000:.2f} ms, "
              f"min {min(values) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
