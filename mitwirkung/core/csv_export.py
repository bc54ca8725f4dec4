"""The one CSV writer for every export (results, ideas, surveys, comments, audit log), in the
profile German spreadsheet programs open correctly: `;`, UTF-8 with BOM, CRLF, numbers with
the locale's decimal mark, and no cell that a spreadsheet would run as a formula."""

import csv
import io
import re

from flask import Response, has_app_context

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
    if not has_app_context():
        return repr(value)
    from flask_babel import format_decimal

    return format_decimal(value, format="0.##########")


def csv_text(rows) -> str:
    """The rows as a whole file in the profile, BOM included."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()


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
