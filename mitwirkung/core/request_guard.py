"""Refuse requests whose text no database can store: NUL bytes and bytes that are not UTF-8.

PostgreSQL rejects NUL in text, so a NUL in a slug, a search or a form field used to end as
a 500 deep inside a query. One check before any other hook answers 400 instead, for every
route and every form that exists now or later.
"""

from urllib.parse import unquote_to_bytes

from flask import Flask, current_app, request
from werkzeug.exceptions import BadRequest


class UnreadableRequest(BadRequest):
    """The path, query, a cookie or a form field holds a NUL byte or invalid UTF-8."""


def register(app: Flask) -> None:
    # First of all hooks: CSRF protection and the views read the form after this check.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_unreadable_input)


def allow_large_body(limit: int, capability: str):
    """View decorator: requests to this view from people who hold `capability` may carry a
    body of up to `limit` bytes instead of MAX_CONTENT_LENGTH (a video upload). Set here,
    before the body is first read; everyone else keeps the usual limit."""

    def decorator(view):
        view.large_body = (limit, capability)
        return view

    return decorator


def _raise_body_limit() -> None:
    large = getattr(current_app.view_functions.get(request.endpoint), "large_body", None)
    if large is not None and request.method == "POST":
        from flask_login import current_user

        from .permissions import can

        limit, capability = large
        if can(current_user, capability):
            request.max_content_length = limit


def refuse_unreadable_input() -> None:
    environ = request.environ
    raw_parts = [
        _wsgi_bytes(environ.get("PATH_INFO", "")),
        unquote_to_bytes(environ.get("QUERY_STRING", "")),
        _wsgi_bytes(environ.get("HTTP_COOKIE", "")),
    ]
    if request.mimetype == "application/x-www-form-urlencoded":
        # Werkzeug keeps undecodable bytes percent-encoded; look at them before it does. The
        # body is cached, so the form is still parsed from it afterwards.
        raw_parts.append(unquote_to_bytes(request.get_data(cache=True).replace(b"+", b" ")))
    if any(not _readable(part) for part in raw_parts):
        raise UnreadableRequest()
    if request.mimetype == "multipart/form-data":
        _raise_body_limit()
        # Werkzeug decodes these fields with replacement characters; a NUL survives that.
        texts = [*request.form.keys(), *request.form.values(),
                 *(file.filename or "" for file in request.files.values())]
        if any("\x00" in text for text in texts):
            raise UnreadableRequest()


def _wsgi_bytes(value: str) -> bytes:
    """WSGI passes raw bytes as latin-1 text."""
    return value.encode("latin-1", "replace")


def _readable(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
