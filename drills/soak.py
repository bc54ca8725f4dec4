"""`make soak`: ten minutes of mixed load on one app server whose memory must stay flat.

    tests/with_postgres.sh tests/with_redis.sh .venv/bin/python drills/soak.py [--seconds 600]

Signed-in citizens read the home page, the vote, the idea board, an idea and the survey,
cast (refused after the first), support and withdraw, and answer a changeable survey again
and again; visitors read the board and the idea (pages kept per process for them); all
through bench's load generator (bench/load.py, two processes, 16 clients).
Every SAMPLE_EVERY seconds the RSS of each gunicorn worker is read from /proc. The run
fails if the workers' RSS grows from the end of the first minute (warm: every page
rendered, every cache filled) to the end by more than GROWTH_SHARE plus GROWTH_SLACK_MB
(the allocator keeps some freed memory), or if any answer is a 5xx.
"""

import argparse
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(1, str(Path(__file__).resolve().parent.parent / "bench"))  # after drills/

import world  # noqa: E402
from common import VOTE_SLUG  # noqa: E402
from environment import app_for, environment  # noqa: E402
from load import run_phase  # noqa: E402
from measure import get  # noqa: E402
from servers import Gunicorn  # noqa: E402
from sqlalchemy import text  # noqa: E402

from mitwirkung.extensions import db  # noqa: E402

CLIENTS = 16
ACCOUNTS = 400
WARM_SECONDS = 60.0
SAMPLE_EVERY = 10.0
GROWTH_SHARE = 0.10
GROWTH_SLACK_MB = 8.0


def rss_mb(pid: int) -> float:
    """Resident memory of one process, from /proc/PID/status (VmRSS, kB)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def mixed_requests(built, port: int) -> list[list[tuple[str, bytes]]]:
    """Per client, a cycle of reads and writes of several accounts."""
    rng = random.Random(8)
    lists: list[list[tuple[str, bytes]]] = [[] for _ in range(CLIENTS)]
    board = f"/boards/{world.BOARD_SLUG}"
    for index, voter in enumerate(built.voters):
        cast, support, answer = (request for _kind, request in
                                 world.actions(built, voter, rng))
        withdraw = world.post(f"{board}/ideas/{built.idea_id}/support/withdraw", voter, {})
        lists[index % CLIENTS] += [
            ("home", get("/", port, voter.cookie)),
            ("vote", get(f"/votes/{VOTE_SLUG}", port, voter.cookie)),
            ("cast", cast),
            ("board", get(board, port, voter.cookie)),
            ("idea", get(f"{board}/ideas/{built.idea_id}", port, voter.cookie)),
            ("support", support), ("withdraw", withdraw),
            ("survey", get(f"/surveys/{world.SURVEY_SLUG}", port, voter.cookie)),
            ("answer", answer),
            ("results", get(f"/votes/{VOTE_SLUG}/results", port)),
            # Visitors (no session): pages kept per process, replaced after every change.
            ("board-visitor", get(board, port)),
            ("idea-visitor", get(f"{board}/ideas/{built.idea_id}", port)),
        ]
    return lists


class Sampler:
    """RSS of the server's workers every SAMPLE_EVERY seconds: (seconds since start, MB
    summed over the workers, worker pids)."""

    def __init__(self, server: Gunicorn):
        self.server = server
        self.samples: list[tuple[float, float, tuple[int, ...]]] = []
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.began = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *_exc):
        self._stopped.set()
        self._thread.join(timeout=30)
        self._sample()

    def _sample(self) -> None:
        pids = tuple(sorted(self.server.worker_pids()))
        self.samples.append((time.monotonic() - self.began, sum(map(rss_mb, pids)), pids))

    def _run(self) -> None:
        while not self._stopped.wait(SAMPLE_EVERY):
            self._sample()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600.0)
    args = parser.parse_args()
    url = os.environ.get("TEST_DATABASE_URL") or sys.exit(
        "the soak runs on PostgreSQL: run it through tests/with_postgres.sh (make soak does)")
    env = environment(url)
    app = app_for(env)
    built = world.build(app, ACCOUNTS)
    with app.app_context():  # answering again replaces the answers (a changeable survey)
        db.session.execute(text("UPDATE surveys SET changeable = true WHERE slug = :s"),
                           {"s": world.SURVEY_SLUG})
        db.session.commit()
    with tempfile.TemporaryDirectory(prefix="mitwirkung-soak-") as tmp:
        server = Gunicorn("soak", env, Path(tmp), workers=(os.cpu_count() or 2) + 1)
        with server, Sampler(server) as sampler:
            records, _start = run_phase(server.port, mixed_requests(built, server.port),
                                        "repeat", args.seconds, processes=2)
    ok = report(records, sampler.samples, args.seconds)
    sys.exit(0 if ok else 1)


def report(records, samples, seconds: float) -> bool:
    statuses = Counter(record[1] for record in records)
    by_tag = Counter(record[0] for record in records)
    errors = sum(n for status, n in statuses.items() if status >= 500 or status == 0)
    warm = [mb for at, mb, _pids in samples if at >= min(WARM_SECONDS, seconds / 2)]
    start, end, peak = warm[0], samples[-1][1], max(mb for _at, mb, _pids in samples)
    bound = start * (1 + GROWTH_SHARE) + GROWTH_SLACK_MB
    replaced = len({pids for _at, _mb, pids in samples}) > 1
    ok = end <= bound and errors == 0 and not replaced
    print(f"MitWirkung soak: {seconds:.0f} s of mixed load, {CLIENTS} clients, "
          f"{len(records):,} requests ({len(records) / seconds:,.0f}/s)")
    print(f"  by kind: {dict(by_tag)}")
    print(f"  answers by status: {dict(sorted(statuses.items()))}; 5xx or no answer: {errors}")
    print("  RSS of the gunicorn workers, summed (MB), every "
          f"{SAMPLE_EVERY:.0f} s: " + " ".join(f"{mb:.0f}" for _at, mb, _pids in samples))
    print(f"  start (after {min(WARM_SECONDS, seconds / 2):.0f} s) {start:.1f} MB, end "
          f"{end:.1f} MB, max {peak:.1f} MB; bound {bound:.1f} MB (start + "
          f"{GROWTH_SHARE:.0%} + {GROWTH_SLACK_MB:.0f} MB)"
          + ("; a worker was replaced during the run" if replaced else ""))
    print(f"  {'PASS' if ok else 'FAIL'}: memory "
          f"{'flat' if end <= bound else 'grew beyond the bound'}, {errors} server errors")
    return ok


if __name__ == "__main__":
    main()
