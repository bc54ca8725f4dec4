"""Instructions per cast request and per `GET /health`, counted by valgrind's callgrind: the
same count for the same code, whatever else the machine does, so two versions of the code
can be compared to the percent (docs/benchmarks.md). Needs Debian's `valgrind`.

    .venv/bin/python bench/instructions.py --db sqlite
    tests/with_postgres.sh .venv/bin/python bench/instructions.py --db postgresql

The database is seeded natively; then a child process serves the requests straight into
the WSGI app (as bench/in_process.py does) under callgrind, which counts only while the
measured requests run. On PostgreSQL only the app's side is counted, not the server's.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WARM = 20  # casts before counting: statements compiled and prepared, caches filled
DUMP = "desc: Trigger: dump "  # how a dump file names the --dump it was made by


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL", ""))
    parser.add_argument("--casts", type=int, default=300)
    parser.add_argument("--child", help=argparse.SUPPRESS)  # the voters' file, in the child
    return parser.parse_args()


def seed_voters(args, tmp: Path) -> Path:
    """Seed the database with fresh voters; return the file with their sessions."""
    import seed
    from run import database_url, environment

    from mitwirkung import create_app

    os.environ.update(environment(database_url(args, tmp)))
    app = create_app()
    seed.reset_schema(app)
    voters = seed.voter_sessions(app, seed.seed(app, WARM + args.casts))
    path = tmp / "voters.json"
    path.write_text(json.dumps([[v.user_id, v.cookie, v.csrf_token] for v in voters]))
    return path


def callgrind(command: str) -> None:
    """Send callgrind a command for this very process. It reads commands only while the
    program runs, so this process keeps running (sleeping briefly) until it is answered."""
    control = subprocess.Popen(["callgrind_control", command, str(os.getpid())],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while control.poll() is None:
        time.sleep(0.02)


def serve_counted(voters_file: str, casts: int) -> None:
    """In the child under callgrind: warm up, then count the casts, then /health."""
    import in_process
    from seed import Voter

    from mitwirkung import create_app

    voters = [Voter(*fields) for fields in json.loads(Path(voters_file).read_text())]
    app = create_app()
    environs = in_process.cast_environs(voters, random.Random(1))
    health = [in_process.wsgi_environ("/health") for _ in range(casts)]
    in_process.serve(app, environs[:WARM] + health[:WARM])
    callgrind("--instr=on")
    cast_statuses = in_process.serve(app, environs[WARM:])
    callgrind("--dump=casts")
    in_process.serve(app, health)
    callgrind("--dump=health")
    callgrind("--instr=off")
    if cast_statuses != {"302 FOUND"}:
        sys.exit(f"unexpected answers to the casts: {cast_statuses}")


def totals(out_file: Path) -> dict[str, int]:
    """Instructions per dump, by the name given to --dump (casts, health)."""
    counted = {}
    for dump in out_file.parent.glob(out_file.name + ".*"):
        lines = dump.read_text().splitlines()
        name = next(line.removeprefix(DUMP) for line in lines if line.startswith(DUMP))
        counted[name] = next(int(line.split()[1]) for line in lines if line.startswith("totals:"))
    return counted


def main() -> None:
    args = parse_args()
    sys.path.insert(0, str(HERE))
    if args.child:
        serve_counted(args.child, args.casts)
        return
    with tempfile.TemporaryDirectory(prefix="mitwirkung-instructions-") as tmp:
        tmp = Path(tmp)
        voters = seed_voters(args, tmp)
        out_file = tmp / "callgrind.out"
        subprocess.run(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no",
             f"--callgrind-out-file={out_file}", sys.executable, __file__,
             "--db", args.db, "--casts", str(args.casts), "--child", str(voters)],
            check=True, stderr=subprocess.DEVNULL, env=os.environ,
        )
        counted = totals(out_file)
    print(f"instructions per request, {args.db}, {args.casts} of each (callgrind):")
    for name, label in (("casts", "cast"), ("health", "GET /health")):
        print(f"  {label:12} {counted[name] / args.casts / 1e6:.3f} M")


if __name__ == "__main__":
    main()
