"""Instructions per idea-board page (the five that `make bench` times) and per `GET /health`,
counted by valgrind's callgrind, as bench/instructions.py counts a cast: the same count for
the same code whatever else the machine does (docs/benchmarks.md, the idea board).

    .venv/bin/python bench/idea_instructions.py --db sqlite
    tests/with_postgres.sh .venv/bin/python bench/idea_instructions.py --db postgresql

The board of bench/ideas.py is seeded natively; a child process under callgrind serves each
page straight into the WSGI app, counting only the measured requests. On SQLite the count
includes the database's work (it runs in the app's process); on PostgreSQL only the app's.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from instructions import DUMP, callgrind

HERE = Path(__file__).resolve().parent
WARM = 5  # requests per page before counting: templates compiled, statements cached


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL", ""))
    parser.add_argument("--requests", type=int, default=20, help="counted requests per page")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # the pages' file, in the child
    return parser.parse_args()


def seed_pages(args, tmp: Path) -> Path:
    """Seed the board; return a file of (page name, session cookie, paths) to count."""
    import ideas
    import seed
    from run import database_url, environment

    from mitwirkung import create_app

    os.environ.update(environment(database_url(args, tmp)))
    app = create_app()
    seed.reset_schema(app)
    residents = seed.voter_sessions(app, seed.seed(app, 50))  # the ideas have 50 authors
    _board_id, public = ideas.seed_board(app, 5000)
    cookies = {"visitor": ideas.visitor_cookies(app, 1)[0].cookie,
               "resident": residents[0].cookie}
    pages = [(name.split(" (")[0].split(", 5")[0], cookies[who], paths)
             for name, (who, paths) in ideas.list_paths(public).items()]
    pages.append(("GET /health", cookies["visitor"], ["/health"]))
    path = tmp / "pages.json"
    path.write_text(json.dumps(pages))
    return path


def serve_counted(pages_file: str, requests: int) -> None:
    """In the child under callgrind: per page, warm up, then count `requests` of it."""
    import in_process

    from mitwirkung import create_app

    app = create_app()
    for name, cookie, paths in json.loads(Path(pages_file).read_text()):
        environs = [in_process.wsgi_environ(paths[n % len(paths)], cookie=cookie)
                    for n in range(WARM + requests)]
        statuses = in_process.serve(app, environs[:WARM])
        callgrind("--instr=on")
        statuses |= in_process.serve(app, environs[WARM:])
        callgrind(f"--dump={name}")
        callgrind("--instr=off")
        if statuses != {"200 OK"}:
            sys.exit(f"unexpected answers to {name}: {statuses}")


def main() -> None:
    args = parse_args()
    sys.path.insert(0, str(HERE))
    if args.child:
        serve_counted(args.child, args.requests)
        return
    with tempfile.TemporaryDirectory(prefix="mitwirkung-idea-instructions-") as tmp:
        tmp = Path(tmp)
        pages = seed_pages(args, tmp)
        out_file = tmp / "callgrind.out"
        subprocess.run(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no",
             f"--callgrind-out-file={out_file}", sys.executable, __file__,
             "--db", args.db, "--requests", str(args.requests), "--child", str(pages)],
            check=True, stderr=subprocess.DEVNULL, env=os.environ,
        )
        counted = {}
        for dump in sorted(out_file.parent.glob(out_file.name + ".*")):
            lines = dump.read_text().splitlines()
            name = next(line.removeprefix(DUMP) for line in lines if line.startswith(DUMP))
            counted[name] = next(int(line.split()[1]) for line in lines
                                 if line.startswith("totals:"))
    print(f"instructions per request, {args.db}, {args.requests} of each (callgrind):")
    for name, total in counted.items():
        print(f"  {name:36} {total / args.requests / 1e6:6.2f} M")


if __name__ == "__main__":
    main()
