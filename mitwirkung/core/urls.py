"""Numbers from URLs, bounded to what the database can hold.

SQLite raises OverflowError for integers beyond 64 bits and PostgreSQL refuses them for an
INTEGER column, so `/manage/projects/9223372036854775808/edit` or `?page=99999999999999999999`
used to be a 500. Every id column is an INTEGER: a larger number names nothing, which is a 404.
"""

from flask import abort, request
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # INTEGER on PostgreSQL; SQLite's integers are wider
MAX_PAGE = 100_000


class IdConverter(IntegerConverter):
    """`<int:...>` for every route: digits up to MAX_ID; anything larger does not match (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register(app) -> None:
    """Replace the `int` converter; call before any blueprint adds its routes."""
    app.url_map.converters["int"] = IdConverter


def id_arg(name: str) -> int | None:
    """An id from the query string: None if absent or not a number, 404 if out of range."""
    value = request.args.get(name, type=int)
    if value is not None and not 0 < value <= MAX_ID:
        abort(404)
    return value


def page_arg() -> int:
    """The page number from `?page=`: 1 if absent or not a number, 404 beyond MAX_PAGE."""
    page = request.args.get("page", 1, type=int)
    if page > MAX_PAGE:
        abort(404)
    return max(page, 1)
