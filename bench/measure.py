"""The measurements against a running server: hello world, casting votes, results latency."""

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from common import USER_AGENT, VOTE_SLUG, median, percentile
from load import Connection, run_phase
from seed import Voter

CLIENTS = 32
PROCESSES = 2
CAST_PATH = f"/votes/{VOTE_SLUG}/cast"
RECEIPT = f"/votes/{VOTE_SLUG}/receipt"
VOTE_PAGE = f"/votes/{VOTE_SLUG}"
RESULT_PATHS = (f"/votes/{VOTE_SLUG}/results", f"/api/votes/{VOTE_SLUG}/results")
# Weighted like the real Pfalztheater vote; "" leaves the name blank.
ENTWURF = ("A",) * 25 + ("B",) * 60 + ("C",) * 15
NAME = ("A",) * 40 + ("B",) * 25 + ("C",) * 20 + ("D",) * 10 + ("",) * 5


def get(path: str, port: int, cookie: str | None = None) -> bytes:
    """A prepared GET request."""
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", f"User-Agent: {USER_AGENT}"]
    if cookie:
        lines.append(f"Cookie: session={cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def cast_request(voter: Voter, port: int, rng: random.Random) -> bytes:
    """The ballot form as a browser posts it: session cookie, CSRF token, one field a question."""
    body = urlencode({"csrf_token": voter.csrf_token, "q-entwurf": rng.choice(ENTWURF),
                      "q-name": rng.choice(NAME)})
    head = "\r\n".join([
        f"POST {CAST_PATH} HTTP/1.1", f"Host: 127.0.0.1:{port}", f"User-Agent: {USER_AGENT}",
        f"Cookie: session={voter.cookie}", "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {len(body)}",
    ])
    return f"{head}\r\n\r\n{body}".encode("latin-1")


def outcome(status: int, location: str) -> str:
    """'cast', 'refused' (already voted), or what else came back."""
    if status == 302 and location.endswith(RECEIPT):
        return "cast"
    if status == 302 and location.endswith(VOTE_PAGE):
        return "refused"
    return f"HTTP {status} {location}".strip()


def _rate(records, start_at: float, count: int) -> float:
    end = max((record[4] for record in records), default=start_at)
    return count / (end - start_at) if end > start_at else 0.0


def warm_up(port: int, voter: Voter, seconds: float = 2.0) -> None:
    """Let every worker import, compile templates and open database connections."""
    paths = [get("/health", port), get(VOTE_PAGE, port, voter.cookie),
             *(get(path, port) for path in RESULT_PATHS)]
    clients = [[(str(i), request) for i in range(4) for request in paths]] * CLIENTS
    run_phase(port, clients, "repeat", seconds, PROCESSES)


def hello(port: int, seconds: float) -> tuple[float, Counter]:
    """GET /health from 32 clients for `seconds`: requests per second, and the statuses."""
    clients = [[("health", get("/health", port))]] * CLIENTS
    records, start_at = run_phase(port, clients, "repeat", seconds, PROCESSES)
    statuses = Counter(record[1] for record in records)
    return _rate(records, start_at, statuses[200]), statuses


@dataclass
class VoteRound:
    """One round of casting: every voter once, some twice at the same moment."""

    votes_per_s: float
    requests: int
    outcomes: Counter
    per_account: dict[int, Counter] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)

    @property
    def casts(self) -> int:
        return self.outcomes["cast"]


def cast_votes(port: int, voters: list[Voter], seed: int, twice_every: int = 20,
               max_seconds: float = 120.0) -> VoteRound:
    """Each voter posts the ballot once; every `twice_every`-th voter also posts from a second
    client in the other load process at the same step (a double click on two devices)."""
    rng = random.Random(seed)
    clients: list[list[tuple[str, bytes]]] = [[] for _ in range(CLIENTS)]
    for index, voter in enumerate(voters):
        client = index % CLIENTS
        request = cast_request(voter, port, rng)
        clients[client].append((str(voter.user_id), request))
        if index % twice_every == 0:
            clients[(client + 1) % CLIENTS].append((str(voter.user_id), request))
    records, start_at = run_phase(port, clients, "once", max_seconds, PROCESSES)
    outcomes: Counter = Counter()
    per_account: dict[int, Counter] = {}
    for tag, status, location, _seconds, _end in records:
        kind = outcome(status, location)
        outcomes[kind] += 1
        per_account.setdefault(int(tag), Counter())[kind] += 1
    return VoteRound(_rate(records, start_at, outcomes["cast"]), len(records), outcomes,
                     per_account, [record[3] for record in records])


@dataclass
class Latency:
    path: str
    times: list[float]
    statuses: Counter
    body: bytes = b""

    @property
    def median_ms(self) -> float:
        return 1000 * median(self.times)

    @property
    def p95_ms(self) -> float:
        return 1000 * percentile(self.times, 0.95)


def latencies(port: int, paths, count: int = 50, warm: int = 5) -> dict[str, Latency]:
    """One client, one kept-alive connection: `count` timed GETs per path, interleaved so the
    machine's drifts hit every path alike, after `warm` untimed ones."""
    results = {path: Latency(path, [], Counter()) for path in paths}
    requests = {path: get(path, port) for path in paths}
    connection = Connection(port)
    try:
        for index in range(warm + count):
            for path in paths:
                began = time.perf_counter()
                status, _location, body = connection.exchange(requests[path])
                elapsed = time.perf_counter() - began
                if index >= warm:
                    results[path].times.append(elapsed)
                    results[path].statuses[status] += 1
                    results[path].body = body
    finally:
        connection.close()
    return results
