"""The one table `make drills` prints, and the notes under it."""

import sys
import time
from dataclasses import dataclass, field

COLUMNS = ("drill", "database", "requests", "successes", "counted", "lost", "doubled",
           "503 retried", "5xx", "wrong", "result")


@dataclass
class Row:
    drill: str
    database: str
    requests: int = 0
    successes: int = 0
    counted: int = 0
    lost: int = 0
    doubled: int = 0
    retried_503: int = 0
    server_errors: int = 0
    wrong: int = 0  # the drill's own rule broken (over a limit, a stale set-up let through)

    @property
    def passed(self) -> bool:
        return not (self.lost or self.doubled or self.server_errors or self.wrong)

    def cells(self) -> tuple[str, ...]:
        numbers = (self.requests, self.successes, self.counted, self.lost, self.doubled,
                   self.retried_503, self.server_errors, self.wrong)
        return (self.drill, self.database, *(f"{n:,}" for n in numbers),
                "PASS" if self.passed else "FAIL")


@dataclass
class Report:
    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    began: float = field(default_factory=time.monotonic)

    def add(self, row: Row, *notes: str) -> Row:
        """Add a drill's row (and say so on stderr at once: the table comes at the end)."""
        print(f"--- {time.monotonic() - self.began:5.0f} s  {row.drill} ({row.database}): "
              f"{'PASS' if row.passed else 'FAIL'}", file=sys.stderr, flush=True)
        self.rows.append(row)
        self.notes += [f"{row.drill} ({row.database}): {note}" for note in notes if note]
        return row

    def note(self, text: str) -> None:
        self.notes.append(text)

    @property
    def passed(self) -> bool:
        return bool(self.rows) and all(row.passed for row in self.rows)

    def render(self) -> str:
        # In the order of the drills' numbers; each drill's rows as they ran.
        ordered = sorted(self.rows, key=lambda row: row.drill.split(" ", 1)[0])
        table = [COLUMNS, *(row.cells() for row in ordered)]
        widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
        lines = [self.title, "=" * len(self.title)]
        for index, cells in enumerate(table):
            lines.append("  ".join(cell.ljust(width) if i < 2 else cell.rjust(width)
                                   for i, (cell, width) in enumerate(zip(cells, widths,
                                                                         strict=True))))
            if index == 0:
                lines.append("  ".join("-" * width for width in widths))
        lines += ["", *(f"- {note}" for note in self.notes)]
        return "\n".join(lines) + "\n"
