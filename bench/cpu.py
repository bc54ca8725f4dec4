"""CPU seconds spent by the app server, the database server and the load generator.

Throughput on a shared 2-core machine swings with whatever else runs; CPU time per request
swings much less, so the report shows both.
"""

import os
import resource
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone meanwhile
        return None
    # The command name may hold blanks; the fields after its closing parenthesis do not.
    return text[text.rindex(")") + 2:].split()


def process_cpu(select) -> float:
    """CPU seconds (user + system) of the live processes for which select(pid, fields) holds;
    fields[1] is the parent pid, fields[3] the session id."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(entry)
            if fields is not None and select(int(entry), fields):
                total += (int(fields[11]) + int(fields[12])) / TICK
    return total


def session_cpu(session_id: int) -> float:
    """CPU seconds of a process session, e.g. gunicorn started with start_new_session."""
    return process_cpu(lambda _pid, fields: int(fields[3]) == session_id)


def children_cpu(parent: int) -> float:
    """CPU seconds of a process and its direct children, e.g. a postmaster and its backends."""
    return process_cpu(lambda pid, fields: pid == parent or int(fields[1]) == parent)


def finished_children_cpu() -> float:
    """CPU seconds of this process's children that have ended (the load generators)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Meter:
    """CPU seconds of app server, database server and load generator across a `with` block."""

    def __init__(self, server_session: int, postmaster: int | None):
        self.server_session = server_session
        self.postmaster = postmaster
        self.app = self.database = self.load = 0.0

    def _sample(self) -> tuple[float, float, float]:
        database = children_cpu(self.postmaster) if self.postmaster else 0.0
        return session_cpu(self.server_session), database, finished_children_cpu()

    def __enter__(self) -> "Meter":
        self._start = self._sample()
        return self

    def __exit__(self, *_exc) -> None:
        end = self._sample()
        self.app, self.database, self.load = (b - a for a, b in zip(self._start, end,
                                                                      strict=True))
