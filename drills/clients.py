"""The drills' clients: threads that send each account's actions to the app servers and
remember what every action got back, like a browser behind a load balancer.

A client retries an action until it gets an answer that decides it: after a 503 it waits
what Retry-After says (at most RETRY_AFTER_MAX); when a server does not answer (killed,
restarting) it sends the action to the next server. Other answers decide the action and
are recorded, a 5xx included. Every loop is bounded by the drill's deadline.
"""

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from load import Connection  # bench/load.py

RETRY_AFTER_MAX = 5.0
NO_ANSWER_PAUSE = 0.2


@dataclass
class Action:
    account: int
    kind: str  # cast, support, answer, login ...
    request: bytes
    server: int  # index of the server it goes to first
    outcome: str = "not sent"
    answered_at: float = 0.0  # time.monotonic() of the deciding answer


@dataclass
class Tally:
    """What the clients saw: answers by status, retries, and the decided actions."""

    actions: list[Action] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    retried_503: int = 0
    no_answer: int = 0  # tries that got no answer at all (server down): sent again
    without_retry_after: int = 0  # 503s that did not say when to come again
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        """5xx answers other than a 503 that said when to try again."""
        return sum(n for status, n in self.statuses.items() if status >= 500) \
            - self.retried_503

    def ok(self, kind: str) -> list[Action]:
        return [a for a in self.actions if a.kind == kind and a.outcome == "ok"]

    def first_ok_after(self, moment: float) -> float | None:
        times = [a.answered_at for a in self.actions
                 if a.outcome == "ok" and a.answered_at >= moment]
        return min(times) if times else None


def _retry_after(headers: dict) -> float | None:
    try:
        return min(RETRY_AFTER_MAX, max(0.0, float(headers["retry-after"])))
    except (KeyError, ValueError):
        return None


def _client(ports: list[int], actions: list[Action], outcome, tally: Tally,
            deadline: float) -> None:
    connections = [Connection(port) for port in ports]
    try:
        for action in actions:
            server = action.server % len(ports)
            while time.monotonic() < deadline:
                connection = connections[server]
                try:
                    status, location, _body = connection.exchange(action.request)
                except OSError:
                    connection.close()
                    with tally.lock:
                        tally.no_answer += 1
                    server = (server + 1) % len(ports)
                    time.sleep(NO_ANSWER_PAUSE)
                    continue
                pause = _retry_after(connection.headers) if status == 503 else None
                with tally.lock:
                    tally.statuses[status] += 1
                    if status == 503:
                        if pause is None:
                            tally.without_retry_after += 1
                        else:
                            tally.retried_503 += 1
                if pause is not None:
                    time.sleep(pause)
                    continue
                action.outcome = outcome(action.kind, status, location)
                action.answered_at = time.monotonic()
                break
    finally:
        for connection in connections:
            connection.close()


def run(ports: list[int], clients: list[list[Action]], outcome, seconds: float) -> Tally:
    """Run every client's actions in order, the clients at once; bounded by `seconds`."""
    tally = Tally(actions=[action for actions in clients for action in actions])
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=_client, daemon=True,
                                args=(ports, actions, outcome, tally, deadline))
               for actions in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()) + 35)
    return tally


def spread(world_actions, accounts, clients: int, servers: int, twice: bool) -> list[list]:
    """Each account's actions over `clients` lists; with `twice`, every action a second
    time from the next client and through the next server (two devices, a double click)."""
    lists: list[list[Action]] = [[] for _ in range(clients)]
    for index, (voter, actions) in enumerate(zip(accounts, world_actions, strict=True)):
        client = index % clients
        for step, (kind, request) in enumerate(actions):
            server = (index + step) % servers
            lists[client].append(Action(voter.user_id, kind, request, server))
            if twice:
                lists[(client + 1) % clients].append(
                    Action(voter.user_id, kind, request, server + 1))
    return lists
