"""Small shared helpers: paths, free ports, statistics and the printed table."""

import socket
import statistics
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
VOTE_SLUG = "bench"
USER_AGENT = "mitwirkung-bench/1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def median(values) -> float:
    """The median, or NaN for no values."""
    values = list(values)
    return statistics.median(values) if values else float("nan")


def percentile(values, fraction: float) -> float:
    """The nearest-rank percentile (fraction 0..1), or NaN for no values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def spread(values, fmt: str = "{:,.0f}") -> str:
    """'median (min-max)' of a few rounds."""
    values = list(values)
    if not values:
        return "-"
    if len(values) == 1:
        return fmt.format(values[0])
    return f"{fmt.format(median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("PASS" if ok else "FAIL")


@dataclass
class Report:
    """Rows of (measure, value, ceiling, ratio, target, verdict) plus free notes."""

    title: str
    rows: list[tuple[str, ...]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    HEADER = ("measure", "value (median of rounds)", "hello-world ceiling", "ratio", "target",
              "verdict")

    def add(self, measure, value, ceiling="", ratio="", target="", ok: bool | None = None):
        self.rows.append((measure, value, ceiling, ratio, target, verdict(ok)))

    def note(self, text: str) -> None:
        self.notes.append(text)

    def render(self) -> str:
        table = [self.HEADER, *self.rows]
        widths = [max(len(row[i]) for row in table) for i in range(len(self.HEADER))]
        lines = [self.title, "=" * len(self.title)]
        for index, row in enumerate(table):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            lines.append("  ".join(cells).rstrip())
            if index == 0:
                lines.append("  ".join("-" * width for width in widths))
        lines += [""] + [f"- {note}" for note in self.notes]
        return "\n".join(lines) + "\n"
