"""The statistics of survey results, as pure functions of histogram rows: no database, no
request. surveys/results/services.py reads the rows; these turn them into figures.

A histogram row of one question is (statement id, option id, number, count, texts): how
many answer rows of the question carry that statement, option and number, and how many of
them hold a text. The row layout is surveys/answers.py's `rows`:

    single, yes/no   one row per response asked: (None, option or None, None, other text)
    multiple         a first row (None, None, how many chosen or None, None), then a row
                     per chosen option (None, option, None, other text)
    free text        (None, None, None, text or None)
    number, scale    (None, None, number or None, None)
    matrix           a row per statement (statement, None, point or None, None)

So "asked" is the number of responses with rows of the question, "missing" those asked
whose rows are empty, and "not asked" the responses counted that have no rows of it (its
condition did not hold). Mean and median come exactly from the value histogram.

Breakdowns (every figure split by the answer to one choice question) hide small numbers:
`hidden_groups` and `suppress` say which, so that no one is singled out and no hidden
number can be worked out from a total minus the numbers shown.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..models import QuestionKind

# Fewer responses than this in a cell of a breakdown are not shown.
THRESHOLD = 5
# A cell hidden to protect a small one preferably holds at least this many: then the sum of
# the two (known from the total) leaves the small one anywhere from 1 to 4.
SAFE_PARTNER = 2 * THRESHOLD - 2

HistRow = tuple  # (statement id, option id, number, count, texts)


# -- numbers -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Numbers:
    """What a set of numeric answers says; each figure rests on `n` answers."""

    n: int
    missing: int
    mean: float | None
    median: float | None
    minimum: float | None
    maximum: float | None


def numbers(values: Mapping[float, int], missing: int = 0) -> Numbers:
    """n, mean, median, min and max of the answers in `values` (value -> how many gave it),
    exactly: the mean as a sum over the histogram, the median from its cumulative counts."""
    pairs = sorted((float(value), count) for value, count in values.items() if count > 0)
    n = sum(count for _value, count in pairs)
    if n == 0:
        return Numbers(0, missing, None, None, None, None)
    mean = math.fsum(value * count for value, count in pairs) / n
    return Numbers(n, missing, mean, median(pairs, n), pairs[0][0], pairs[-1][0])


def median(pairs: Sequence[tuple[float, int]], n: int) -> float:
    """The median of `n` answers given as sorted (value, count): the middle one, or the mean
    of the two middle ones when n is even."""
    lower, upper = (n - 1) // 2, n // 2  # 0-based positions of the middle answer(s)
    seen = 0
    low = None
    for value, count in pairs:
        if low is None and seen + count > lower:
            low = value
        if seen + count > upper:
            return (low + value) / 2
        seen += count
    raise ValueError("counts do not add up to n")


# -- one question ------------------------------------------------------------------------

@dataclass
class Summary:
    """The figures of one question over `total` responses (all, or one group of a
    breakdown). Choice kinds fill `options`, numeric kinds `numbers` and `values`, a
    matrix `statements` (statement id -> Numbers); `texts` counts free texts (also the
    "Sonstiges" texts of a choice question)."""

    kind: str
    total: int
    asked: int = 0
    missing: int = 0
    options: dict[int, int] = field(default_factory=dict)
    numbers: Numbers | None = None
    values: dict[float, int] = field(default_factory=dict)
    statements: dict[int, Numbers] = field(default_factory=dict)
    texts: int = 0

    @property
    def answered(self) -> int:
        return self.asked - self.missing

    @property
    def not_asked(self) -> int:
        return self.total - self.asked

    def share(self, option_id: int) -> float | None:
        """Percent of those who answered the question that chose the option (multiple
        choice: each option on its own, so the shares may add up to more than 100)."""
        if not self.answered:
            return None
        return 100 * self.options.get(option_id, 0) / self.answered


def summarise(question, rows: Iterable[HistRow], total: int) -> Summary:
    """The figures of `question` (anything with kind, options and statements) from its
    histogram rows, over `total` responses counted."""
    kind = QuestionKind(question.kind)
    summary = Summary(kind=kind, total=total)
    summary.options = {option.id: 0 for option in question.options}
    per_statement: dict[int, dict[float, int]] = {s.id: {} for s in question.statements}
    statement_missing: dict[int, int] = defaultdict(int)
    statement_asked: dict[int, int] = defaultdict(int)
    for statement_id, option_id, number, count, texts in rows:
        if kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
            summary.asked += count
            summary.texts += texts
            if option_id is None:
                summary.missing += count
            else:
                summary.options[option_id] = summary.options.get(option_id, 0) + count
        elif kind == QuestionKind.MULTIPLE:
            if option_id is None:  # the first row of a response: how many were chosen
                summary.asked += count
                if number is None:
                    summary.missing += count
            else:
                summary.options[option_id] = summary.options.get(option_id, 0) + count
                summary.texts += texts
        elif kind == QuestionKind.TEXT:
            summary.asked += count
            summary.texts += texts
            summary.missing += count - texts
        elif kind == QuestionKind.MATRIX:
            statement_asked[statement_id] += count
            if number is None:
                statement_missing[statement_id] += count
            else:
                values = per_statement.setdefault(statement_id, {})
                values[number] = values.get(number, 0) + count
        else:  # number, scale
            summary.asked += count
            if number is None:
                summary.missing += count
            else:
                summary.values[number] = summary.values.get(number, 0) + count
    if kind in (QuestionKind.NUMBER, QuestionKind.SCALE):
        summary.numbers = numbers(summary.values, summary.missing)
    elif kind == QuestionKind.MATRIX:
        # Every statement has a row in every response that was asked the question.
        summary.asked = max(statement_asked.values(), default=0)
        summary.statements = {statement_id: numbers(values, statement_missing[statement_id])
                              for statement_id, values in per_statement.items()}
    return summary


def distribution(question, summary: Summary, bins: int = 10) -> list[tuple[float, float, int]]:
    """(low, high, count) bars of a number or scale question: a bar per point of a scale
    (also the points nobody chose), a bar per value when a number question has few distinct
    values, else `bins` equal ranges (the last one closed)."""
    if question.kind in (QuestionKind.SCALE, QuestionKind.MATRIX):
        return [(point, point, summary.values.get(float(point), 0))
                for point in range(question.scale_min, question.scale_max + 1)]
    values = sorted(summary.values.items())
    if len(values) <= bins:
        return [(value, value, count) for value, count in values]
    low, high = values[0][0], values[-1][0]
    width = (high - low) / bins
    counts = [0] * bins
    for value, count in values:
        counts[min(int((value - low) / width), bins - 1)] += count
    return [(low + i * width, low + (i + 1) * width, count) for i, count in enumerate(counts)]


# -- breakdowns --------------------------------------------------------------------------

def subtract(whole: Iterable[HistRow], parts: Iterable[Iterable[HistRow]]) -> list[HistRow]:
    """The rows of `whole` less those of every part: the responses in no part (a breakdown's
    "no answer" group: the breakdown question left empty or not asked)."""
    counts: dict[tuple, list[int]] = {}
    for statement_id, option_id, number, count, texts in whole:
        counts.setdefault((statement_id, option_id, number), [0, 0])
        counts[(statement_id, option_id, number)][0] += count
        counts[(statement_id, option_id, number)][1] += texts
    for part in parts:
        for statement_id, option_id, number, count, texts in part:
            entry = counts.setdefault((statement_id, option_id, number), [0, 0])
            entry[0] -= count
            entry[1] -= texts
    return [(*key, count, texts) for key, (count, texts) in counts.items() if count > 0]


def hidden_groups(sizes: Sequence[int], threshold: int = THRESHOLD) -> set[int]:
    """The groups (by position) whose every figure is hidden: those with 1 to threshold-1
    responses, and, when that is just one, the smallest other group with any responses, so
    the one cannot be worked out from the total minus the rest. Empty groups have nothing to
    hide and are left alone."""
    small = {i for i, size in enumerate(sizes) if 0 < size < threshold}
    if len(small) == 1:
        partner = _partner([(i, size) for i, size in enumerate(sizes)
                            if i not in small and size > 0])
        if partner is not None:
            small.add(partner)
    return small


def _partner(candidates: list[tuple[object, int]]):
    """The cell to hide beside a small one: the smallest with at least SAFE_PARTNER, else
    the largest there is (None when there is none)."""
    if not candidates:
        return None
    safe = [item for item in candidates if item[1] >= SAFE_PARTNER]
    if safe:
        return min(safe, key=lambda item: item[1])[0]
    return max(candidates, key=lambda item: item[1])[0]


def suppress(cells: Mapping[tuple, int], lines: Iterable[Sequence[tuple]],
             hidden: Iterable[tuple] = (), threshold: int = THRESHOLD) -> set[tuple]:
    """Which cells of a breakdown table to hide. `cells`: key -> count; `lines`: groups of
    cells whose sum is known (shown elsewhere: a row's total, a group's size); `hidden`:
    cells hidden anyway (a hidden group's).

    Primary: every count from 1 to threshold-1 (0 singles out no one). Secondary: while a
    line has exactly one hidden cell (which its sum minus the others would give away), hide
    a partner in it, as `_partner` chooses; repeated until no line changes."""
    suppressed = {key for key, count in cells.items() if 0 < count < threshold}
    suppressed |= set(hidden)
    lines = [list(line) for line in lines]
    changed = True
    while changed:
        changed = False
        for line in lines:
            inside = [key for key in line if key in suppressed]
            if len(inside) != 1:
                continue
            partner = _partner([(key, cells[key]) for key in line
                                if key not in suppressed and cells[key] > 0])
            if partner is None:
                # Only zeros left: hiding one would still tell nothing new, but keep the
                # rule simple and uniform (never exactly one hidden cell in a line).
                partner = next((key for key in line if key not in suppressed), None)
            if partner is not None:
                suppressed.add(partner)
                changed = True
    return suppressed


# -- a breakdown table -------------------------------------------------------------------

@dataclass
class Cell:
    """A figure of a breakdown table: a count (with the share of those who answered, for
    options) or a statistic; `hidden` says why it is not shown: "small" (1 to 4),
    "partner" (would give a small one away), "group" (the whole group is too small)."""

    count: int | None = None
    share: float | None = None
    value: float | None = None
    hidden: str = ""


@dataclass
class Line:
    """A row of a breakdown table: `key` names it (("option", id), ("answered",),
    ("missing",), ("not_asked",), ("mean",) ..., ("statement", id, "n") ...); `cells`
    holds the whole (never hidden: it is on the page without a breakdown) and then each
    group."""

    key: tuple
    cells: list[Cell]

    @property
    def is_count(self) -> bool:
        return self.cells[0].value is None and self.cells[0].count is not None


STATISTICS = ("mean", "median", "minimum", "maximum")


def breakdown_lines(question, whole: Summary, groups: Sequence[Summary],
                    hidden: set[int]) -> list[Line]:
    """The rows of `question`'s breakdown table: the whole, then a column per group, with
    small numbers hidden (`suppress`) and every figure of a `hidden` group hidden."""
    kind = QuestionKind(question.kind)
    columns = [whole, *groups]
    counts: list[tuple[tuple, list[int]]] = []  # (row key, count per column)
    column_sums: list[list[tuple]] = []  # row keys whose counts add up per column
    stats: list[tuple[tuple, tuple, list[float | None]]] = []  # (key, its n row, values)
    base = [("answered",), ("missing",), ("not_asked",)]
    if kind.has_options:
        option_keys = [("option", option.id) for option in question.options]
        for key in option_keys:
            counts.append((key, [column.options.get(key[1], 0) for column in columns]))
        if kind != QuestionKind.MULTIPLE:
            column_sums.append(option_keys)  # one option each: they add up to "answered"
    if kind == QuestionKind.MATRIX:
        for statement in question.statements:
            n_key, missing_key = ("statement", statement.id, "n"), \
                ("statement", statement.id, "missing")
            figures = [column.statements.get(statement.id) or Numbers(0, 0, *[None] * 4)
                       for column in columns]
            counts.append((n_key, [f.n for f in figures]))
            counts.append((missing_key, [f.missing for f in figures]))
            for name in ("mean", "median"):
                stats.append((("statement", statement.id, name), n_key,
                              [getattr(f, name) for f in figures]))
            column_sums.append([n_key, missing_key, ("not_asked",)])
        counts.append((("not_asked",), [column.not_asked for column in columns]))
    else:
        counts.append((("answered",), [column.answered for column in columns]))
        counts.append((("missing",), [column.missing for column in columns]))
        counts.append((("not_asked",), [column.not_asked for column in columns]))
        column_sums.append(base)
        if kind in (QuestionKind.NUMBER, QuestionKind.SCALE):
            for name in STATISTICS:
                stats.append(((name,), ("answered",),
                              [getattr(column.numbers, name) for column in columns]))

    # Cells of the groups only: the whole is shown anyway, as the sum each line must keep.
    groups_at = range(1, len(columns))
    cells = {(key, i): values[i] for key, values in counts for i in groups_at}
    rows_lines = [[(key, i) for i in groups_at] for key, _values in counts]
    group_lines = [[(key, i) for key in keys] for keys in column_sums for i in groups_at]
    small_groups = {(key, i + 1) for key, _values in counts for i in hidden}
    suppressed = suppress(cells, rows_lines + group_lines, small_groups)

    def why(key, i) -> str:
        if i - 1 in hidden:
            return "group"
        if (key, i) in suppressed:
            return "small" if 0 < cells[(key, i)] < THRESHOLD else "partner"
        return ""

    lines = []
    answered = dict(counts).get(("answered",))
    for key, values in counts:
        row = [Cell(count=values[0])] + [Cell(count=values[i], hidden=why(key, i))
                                         for i in groups_at]
        if key[0] == "option":
            for i, cell in enumerate(row):
                shown_total = i == 0 or not why(("answered",), i)
                if not cell.hidden and shown_total and answered[i]:
                    cell.share = 100 * cell.count / answered[i]
        for cell in row:
            if cell.hidden:
                cell.count = None
        lines.append(Line(key, row))
    for key, n_key, values in stats:
        row = [Cell(value=values[0])] + [
            Cell(value=None if why(n_key, i) else values[i], hidden=why(n_key, i))
            for i in groups_at]
        lines.append(Line(key, row))
    return _ordered(lines, kind)


def _ordered(lines: list[Line], kind) -> list[Line]:
    """Options, then n and the statistics, then missing and not asked (a matrix by
    statement)."""
    order = {"option": 0, "answered": 1, "mean": 2, "median": 3, "minimum": 4, "maximum": 5,
             "missing": 6, "not_asked": 8}
    if kind == QuestionKind.MATRIX:
        return lines_in_matrix_order(lines)
    return sorted(lines, key=lambda line: order.get(line.key[0], 7))


def lines_in_matrix_order(lines: list[Line]) -> list[Line]:
    statements: dict[int, list[Line]] = {}
    rest = []
    for line in lines:
        if line.key[0] == "statement":
            statements.setdefault(line.key[1], []).append(line)
        else:
            rest.append(line)
    order = {"n": 0, "mean": 1, "median": 2, "missing": 3}
    return [line for group in statements.values()
            for line in sorted(group, key=lambda line: order[line.key[2]])] + rest
