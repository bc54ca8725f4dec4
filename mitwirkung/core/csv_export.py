"""The one CSV writer for every export (results, ideas, surveys, comments, audit log), in the
profile German spreadsheet programs open correctly: `;`, UTF-8 with BOM, CRLF, numbers with
the locale's decimal mark, and no cell that a spreadsheet would run as a formula."""

import csv
import io
import math
import re
from functools import lru_cache

from flask import Response, has_app_context, stream_with_context

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Control characters other than tab and line breaks: never meant, and some programs drop
# them, so "\x00=1+1" would become a formula after the check.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def safe_cell(value):
    """Numbers stay numbers (decimals with the locale's mark); text that a spreadsheet would
    read as a formula starts with an apostrophe, which makes it text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return _decimal(value)
    text = CONTROL_CHARACTERS.sub("", str(value))
    return "'" + text if text.lstrip(" ").startswith(FORMULA_STARTS) else text


def _decimal(value: float) -> str:
    """As format_decimal(value, "0.##########") but without Babel's pattern machinery for
    every cell (an export of 50,000 responses holds a million numbers): up to ten places,
    no grouping, the locale's decimal mark."""
    if not has_app_context():
        return repr(value)
    if not math.isfinite(value):
        from flask_babel import format_decimal

        return format_decimal(value, format="0.##########")
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text.replace(".", _decimal_mark()) if "." in text else text


def _decimal_mark() -> str:
    from flask_babel import get_locale

    return _decimal_symbol(str(get_locale()))


@lru_cache(maxsize=16)
def _decimal_symbol(locale: str) -> str:
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(locale)


def csv_text(rows) -> str:
    """The rows as a whole file in the profile, BOM included."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()


def csv_chunks(rows, rows_per_chunk: int = 500):
    """The rows in the profile as pieces of text, BOM first: a file written as it is read,
    so that memory holds one piece, never the whole file."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for number, row in enumerate(rows, 1):
        writer.writerow([safe_cell(value) for value in row])
        if number % rows_per_chunk == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def csv_stream_response(rows, filename: str) -> Response:
    """As csv_response, streamed: `rows` is read while the download is sent (in the
    request's context, so it may read the database as it goes)."""
    return Response(
        stream_with_context(piece.encode("utf-8") for piece in csv_chunks(rows)),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f"attachment; filename={filename}",
            "Cache-Control": "no-store",
        },
    )


def csv_response(rows, filename: str) -> Response:
    """A download that is never cached and never shown inline."""
    return Response(
        csv_text(rows),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f"attachment; filename={filename}",
            "Cache-Control": "no-store",
        },
    )
