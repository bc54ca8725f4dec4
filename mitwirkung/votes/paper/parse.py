"""Parse a CSV file of paper ballots into cards and line-numbered errors; no database."""

import codecs
import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ..models import AnswerKind

# Outside an app context flask_babel falls back to the untranslated msgid (documented in
# get_translations), so messages render in English in bare unit tests and translated
# in the web upload and the CLI, without a has_app_context() branch here.
MESSAGES = {
    "file_too_large": _l("The file is too large: at most %(limit_mb)s MB are accepted."),
    "line_too_long": _l("Line %(line)d: longer than %(limit)d characters; is this a CSV file of "
                        "paper ballots?"),
    "too_many_columns": _l("Line %(line)d: %(found)d columns; at most %(limit)d are possible "
                           "(card number and one per question)."),
    "empty_file": _l("Line %(line)d: the file is empty; it must start with a header row."),
    "nul_byte": _l("Line %(line)d: the file contains a NUL byte; it is not a CSV text file."),
    "undecodable": _l("Line %(line)d: unreadable characters; save as UTF-8 or Windows-1252."),
    "malformed_csv": _l("Line %(line)d: cell too long; is a quotation mark not closed?"),
    "unknown_column": _l("Line %(line)d: unknown column “%(column)s”."),
    "missing_column": _l("Line %(line)d: the column “%(column)s” is missing."),
    "repeated_column": _l("Line %(line)d: the column “%(column)s” appears more than once."),
    "too_many_rows": _l("Line %(line)d: more than %(limit)d ballots; split the file."),
    "wrong_cell_count": _l("Line %(line)d: %(found)d cells instead of %(expected)d."),
    "missing_serial": _l("Line %(line)d: the card has no serial number."),
    "serial_too_long": _l("Line %(line)d: the serial is longer than %(limit)d characters."),
    "duplicate_serial": _l("Line %(line)d: serial “%(serial)s” is also on line %(first_line)d."),
    "serial_counted": _l("Line %(line)d: serial “%(serial)s” is already counted in this vote."),
    "unknown_option": _l("Line %(line)d: unknown option “%(value)s” for question “%(question)s”."),
    "no_ballots": _l("The file holds no ballots."),
}
# Errors found outside parse_ballot_file: a clash at import time, and cards typed by hand
# (shown beside their field, so without a line number).
ENTRY_MESSAGES = {
    "serials_taken": _l("Another entry took some of these serials meanwhile; please try again."),
    "card_missing_serial": _l("The card number is missing."),
    "card_serial_too_long": _l("The card number is longer than %(limit)d characters."),
    "card_serial_counted": _l("Card number “%(serial)s” is already entered in this vote."),
    "check_serial_taken": _l("Card number “%(serial)s” is already in this check entry."),
    "card_unknown_question": _l("The vote has no question “%(question)s”."),
    "card_unknown_option": _l("Unknown option “%(value)s” for question “%(question)s”."),
    # The same, for a person at the keyboard: the question's title and what may be typed.
    "card_unknown_answer": _l("“%(value)s” is not an answer to “%(question)s”. Valid answers: "
                              "%(answers)s."),
}
INVALID_WORDS = ("ungültig", "invalid")
SERIAL = "serial"
SERIAL_MAX_LENGTH = 40  # the width of ballots.serial
# Bounds checked before the file is parsed, the same for the web upload and the CLI: a
# 10,000-card file is about 0.3 MB; a file far past these is no file of paper ballots.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 100_000
MAX_LINE_CHARS = 20_000  # a serial and a few hundred characters per question
MAX_COLUMNS = 200
# Typing shortcuts for manual entry only, unless an option of the question is spelled so.
MANUAL_BLANK, MANUAL_INVALID = "-", "x"
# Lone surrogates come from bytes the codec could not decode (errors="surrogateescape").
_UNDECODED = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class RowError:
    """One problem in the file; line 0 means the file as a whole."""

    line: int
    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The message in the current locale (English outside an app context)."""
        text = MESSAGES.get(self.code) or ENTRY_MESSAGES[self.code]
        return str(text) % {**self.params, "line": self.line}

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class OptionSpec:
    code: str
    title: str


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    options: tuple[OptionSpec, ...]


@dataclass(frozen=True)
class PaperAnswer:
    question: str
    option: str | None
    kind: str  # an AnswerKind


@dataclass(frozen=True)
class PaperCard:
    line: int
    serial: str
    answers: tuple[PaperAnswer, ...]


@dataclass
class ParsedFile:
    cards: list[PaperCard]
    errors: list[RowError]
    sha256: str
    encoding: str
    delimiter: str
    questions: tuple[QuestionSpec, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the file may be imported: no errors and at least one card."""
        return not self.errors and bool(self.cards)

    def counts(self) -> dict[str, dict[str, int]]:
        """Cards per question and option code, plus "blank" and "invalid", for the preview."""
        result = {
            q.code: dict.fromkeys([o.code for o in q.options]
                                  + [AnswerKind.BLANK, AnswerKind.INVALID], 0)
            for q in self.questions
        }
        for card in self.cards:
            for answer in card.answers:
                bucket = result.setdefault(answer.question, {})
                key = answer.option if answer.kind == AnswerKind.OPTION else answer.kind
                bucket[key] = bucket.get(key, 0) + 1
        return result


def _key(text: str) -> str:
    """Compare cells ignoring case, surrounding and repeated blanks."""
    return " ".join(text.split()).casefold()


def _lookup(question: QuestionSpec) -> dict[str, PaperAnswer]:
    """Map every accepted cell spelling to one shared answer object."""
    answers = {o.code: PaperAnswer(question.code, o.code, AnswerKind.OPTION)
               for o in question.options}
    table = {unicodedata.normalize("NFC", _key(o.title)): answers[o.code] for o in question.options}
    # Codes win over a title spelled like another option's code; reserved words win over both.
    table |= {_key(o.code): answers[o.code] for o in question.options}
    table[""] = PaperAnswer(question.code, None, AnswerKind.BLANK)
    return table | dict.fromkeys(INVALID_WORDS, PaperAnswer(question.code, None,
                                                            AnswerKind.INVALID))


def _decode(data: bytes) -> tuple[str, str]:
    """Text with normalised line ends, and the encoding: UTF-8 (BOM optional), else cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[3:].decode("utf-8", "surrogateescape"), "utf-8"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = data.decode("cp1252", "surrogateescape"), "cp1252"
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def _undecodable_lines(text: str) -> list[int]:
    """Line numbers holding bytes the encoding left undefined, each once."""
    lines, line, position = [], 1, 0
    for match in _UNDECODED.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def _header_line(text: str) -> tuple[int, str]:
    """The first line that is not blank, with its number (1 if there is none)."""
    for number, line in enumerate(io.StringIO(text), start=1):
        if line.strip():
            return number, line
    return 1, ""


def _delimiter(header: str, columns: int) -> str:
    """`,` or `;`, whichever the header uses; if both or neither, the one that fits."""
    counts = {d: header.count(d) for d in ",;"}
    used = [d for d in ",;" if counts[d]]
    if len(used) == 1:
        return used[0]
    fitting = [d for d in ",;" if counts[d] + 1 == columns]
    return fitting[0] if fitting else max(",;", key=counts.__getitem__)


class _Malformed(Exception):
    """The csv module gave up on the record starting on line `args[0]`."""


def _records(reader) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line it starts on (a quoted cell may span lines)."""
    start = 1
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _Malformed(start) from exc


def _columns(header: list[str], line: int, questions: tuple[QuestionSpec, ...]):
    """Column positions by serial/question code, the row width, and the header's errors."""
    names = [cell.strip().casefold() for cell in header]
    while names and not names[-1]:
        names.pop()  # spreadsheets append empty columns after the last one in use
    wanted = {SERIAL: SERIAL} | {q.code.casefold(): q.code for q in questions}
    positions: dict[str, int] = {}
    errors = []
    for index, name in enumerate(names):
        column = wanted.get(name)
        if column is None or column in positions:
            code = "unknown_column" if column is None else "repeated_column"
            errors.append(RowError(line, code, {"column": header[index].strip()}))
        else:
            positions[column] = index
    errors += [
        RowError(line, "missing_column", {"column": column})
        for column in wanted.values()
        if column not in positions
    ]
    return positions, len(names), errors


def read_limited(stream) -> bytes:
    """At most one byte more than MAX_FILE_BYTES: enough for the parser to say "too large"."""
    return stream.read(MAX_FILE_BYTES + 1)


def _long_lines(text: str, limit: int) -> list[RowError]:
    """Physical lines longer than `limit`: checked before the csv module spends time on them."""
    if max(map(len, text.split("\n"))) <= limit:
        return []
    errors, start, line = [], 0, 1
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > limit:
            errors.append(RowError(line, "line_too_long", {"limit": limit}))
        start, line = end + 1, line + 1
    return errors


def parse_ballot_file(
    data: bytes,
    questions: Sequence[QuestionSpec],
    *,
    counted_serials: Container[str] = frozenset(),
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_FILE_BYTES,
    max_line_chars: int = MAX_LINE_CHARS,
    max_columns: int = MAX_COLUMNS,
) -> ParsedFile:
    """Read every card and collect every error with its line, in line order; import only
    if `.ok`.

    The bounds (size, line length, columns, rows) are checked before the work they would
    make expensive, so no file can hold a worker for long."""
    result = _read_file(data, tuple(questions), counted_serials, max_rows, max_bytes,
                        max_line_chars, max_columns)
    # Sorted here, whichever check ended the reading: an early stop (too many columns after
    # an unreadable line) would otherwise list line 2 before line 1.
    result.errors.sort(key=lambda error: error.line)
    return result


def _read_file(data, questions, counted_serials, max_rows, max_bytes, max_line_chars,
               max_columns) -> ParsedFile:
    """parse_ballot_file's work, stopping at the first bound a file breaks."""
    result = ParsedFile([], [], hashlib.sha256(data).hexdigest(), "utf-8", ",", questions)
    errors = result.errors
    if len(data) > max_bytes:
        errors.append(RowError(0, "file_too_large", {"limit_mb": f"{max_bytes / 2**20:g}"}))
        return result
    text, result.encoding = _decode(data)
    if "\x00" in text:
        # Likely a spreadsheet or UTF-16 file: one clear error instead of one per line.
        errors.append(RowError(text.count("\n", 0, text.index("\x00")) + 1, "nul_byte"))
        return result
    undecodable = _undecodable_lines(text)
    errors += [RowError(line, "undecodable") for line in undecodable]
    # Undecodable bytes are reported above; from here on they are replacement characters,
    # so no lone surrogate reaches a message, a page or the terminal.
    text = _UNDECODED.sub("\ufffd", text)
    header_number, header_text = _header_line(text)
    result.delimiter = _delimiter(header_text, 1 + len(questions))
    # Before anything else reads the file: a header of a million columns, or lines the csv
    # module would chew on for long, end here with one clear error each.
    columns = header_text.count(result.delimiter) + 1
    if columns > max_columns:
        params = {"found": columns, "limit": max_columns}
        errors.append(RowError(header_number, "too_many_columns", params))
        return result
    long_lines = _long_lines(text, max_line_chars)
    if long_lines:
        errors += long_lines
        return result
    records = _records(csv.reader(io.StringIO(text, newline=""), delimiter=result.delimiter))
    try:
        header_line, header = next(
            ((line, row) for line, row in records if any(cell.strip() for cell in row)),
            (1, None),
        )
        if header is None:
            errors.append(RowError(header_line, "empty_file"))
            return result
        if len(header) > max_columns:
            params = {"found": len(header), "limit": max_columns}
            errors.append(RowError(header_line, "too_many_columns", params))
            return result
        positions, width, header_errors = _columns(header, header_line, questions)
        errors += header_errors
        serial_at = positions.get(SERIAL)
        plan = [(q.code, positions[q.code], _lookup(q)) for q in questions if q.code in positions]
        rows, seen = 0, {}
        for line, row in records:
            if not "".join(row).strip():
                continue
            rows += 1
            if rows > max_rows:
                result.cards = []
                result.errors = [RowError(line, "too_many_rows", {"limit": max_rows})]
                return result
            if len(row) > width and not any(cell.strip() for cell in row[width:]):
                row = row[:width]
            if len(row) != width:
                params = {"found": len(row), "expected": width}
                errors.append(RowError(line, "wrong_cell_count", params))
                continue
            if undecodable and any("\ufffd" in cell for cell in row):
                continue  # reported as unreadable already; its cells say nothing reliable
            row_errors, serial = [], ""
            if serial_at is not None:
                serial = row[serial_at].strip()
                row_errors += _serial_errors(line, serial, seen, counted_serials)
            answers = []
            for question, index, lookup in plan:
                key = _key(row[index])
                # NFC as well: some programs (macOS) save umlauts decomposed.
                answer = lookup.get(key) or lookup.get(unicodedata.normalize("NFC", key))
                if answer is not None:
                    answers.append(answer)
                else:
                    params = {"value": row[index].strip(), "question": question}
                    row_errors.append(RowError(line, "unknown_option", params))
            errors += row_errors
            # With a broken header the rows are still checked, but no cards are built.
            if not header_errors and not row_errors and len(answers) == len(plan):
                result.cards.append(PaperCard(line, serial, tuple(answers)))
    except _Malformed as exc:
        errors.append(RowError(exc.args[0], "malformed_csv"))

    if not errors and not result.cards:
        errors.append(RowError(0, "no_ballots"))
    return result


def _serial_errors(line, serial, seen, counted_serials) -> list[RowError]:
    """Missing, repeated within the file (first lines kept in `seen`) or already counted."""
    if not serial:
        return [RowError(line, "missing_serial")]
    if len(serial) > SERIAL_MAX_LENGTH:
        return [RowError(line, "serial_too_long", {"limit": SERIAL_MAX_LENGTH})]
    errors, key = [], serial.casefold()
    first = seen.setdefault(key, line)
    if first != line:
        errors.append(RowError(line, "duplicate_serial", {"serial": serial, "first_line": first}))
    if serial in counted_serials or key in counted_serials:
        errors.append(RowError(line, "serial_counted", {"serial": serial}))
    return errors


def manual_lookup(question: QuestionSpec) -> dict[str, PaperAnswer]:
    """The CSV spellings plus the shortcuts "-" (blank) and "x" (invalid) for typing."""
    table = _lookup(question)
    table.setdefault(MANUAL_BLANK, table[""])
    table.setdefault(MANUAL_INVALID, table[INVALID_WORDS[1]])
    return table


def parse_card(
    serial: str,
    cells: Mapping[str, str | None],
    questions: Sequence[QuestionSpec],
    *,
    counted_serials: Container[str] = frozenset(),
) -> tuple[PaperCard | None, dict[str, RowError]]:
    """A card typed by hand, read like a CSV row (missing cells are blank); on any error the
    card is None and the errors are keyed by "serial" or question code."""
    errors: dict[str, RowError] = {}
    serial = (serial or "").strip()
    if not serial:
        errors[SERIAL] = RowError(0, "card_missing_serial")
    elif len(serial) > SERIAL_MAX_LENGTH:
        errors[SERIAL] = RowError(0, "card_serial_too_long", {"limit": SERIAL_MAX_LENGTH})
    elif serial in counted_serials or serial.casefold() in counted_serials:
        errors[SERIAL] = RowError(0, "card_serial_counted", {"serial": serial})
    for code in set(cells) - {question.code for question in questions}:
        errors[code] = RowError(0, "card_unknown_question", {"question": code})
    answers = []
    for question in questions:
        typed = cells.get(question.code) or ""
        lookup, key = manual_lookup(question), _key(typed)
        answer = lookup.get(key) or lookup.get(unicodedata.normalize("NFC", key))
        if answer is None:
            params = {"value": typed.strip(), "question": question.code}
            errors[question.code] = RowError(0, "card_unknown_option", params)
        else:
            answers.append(answer)
    return (None if errors else PaperCard(0, serial, tuple(answers))), errors
