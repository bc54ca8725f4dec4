"""Logs as JSON lines (LOG_FORMAT=json), for a log collector: one object a line, one line
per request (method, route, status, duration, request id), and for an error its traceback
in a field. Never in a line: passwords, form contents, cookies, the path (it may hold a
reset token) and, unless LOG_CLIENT_ADDRESS is on, the client's address. Without the
setting Flask's plain-text logging stays as it is and no request line is written."""

import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime

from flask import Flask, Response, current_app, g, has_request_context, request
from flask.logging import default_handler

from . import request_timing

REQUEST_LOGGER = "mitwirkung.requests"
# Fields a record may carry (as `extra`) into its line; nothing else of a record is written.
FIELDS = ("method", "endpoint", "status", "duration_ms", "client")
# An id the proxy gave the request (nginx: `proxy_set_header X-Request-ID $request_id`).
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time (UTC), level, logger, message, the request's id
    and the FIELDS it carries; an exception as its type and traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update((field, getattr(record, field)) for field in FIELDS if hasattr(record, field))
        if has_request_context():
            line["request_id"] = request_id()
        if record.exc_info:
            line["error"] = record.exc_info[0].__name__ if record.exc_info[0] else ""
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def request_id() -> str:
    """The id of the current request: the proxy's X-Request-ID when a proxy is trusted
    (PROXY_COUNT) and the id is sane, else a new random one; the same for the whole request."""
    if "request_id" not in g:
        given = request.headers.get("X-Request-ID", "")
        trusted = current_app.config["PROXY_COUNT"] and SANE_REQUEST_ID.fullmatch(given)
        g.request_id = given if trusted else uuid.uuid4().hex
    return g.request_id


def register(app: Flask) -> None:
    """JSON lines on stderr for the app's loggers ("mitwirkung" and below) when LOG_FORMAT is
    json; gunicorn's own logs keep their format (docs/deployment.md)."""
    logger = logging.getLogger(app.import_name)
    ours = [handler for handler in logger.handlers if isinstance(handler.formatter, JsonFormatter)]
    for handler in ours:
        logger.removeHandler(handler)
    if app.config["LOG_FORMAT"] != "json":
        if ours:  # an earlier app of this process logged JSON (tests): back to Flask's text
            logger.addHandler(default_handler)
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger.removeHandler(default_handler)
    logger.addHandler(handler)
    request_timing.on_request_done(app, _log_request)


def _log_request(response: Response, seconds: float) -> None:
    fields = {"method": request_timing.method(), "endpoint": request_timing.route(),
              "status": response.status_code, "duration_ms": round(seconds * 1000, 2)}
    if current_app.config["LOG_CLIENT_ADDRESS"]:
        fields["client"] = request.remote_addr
    response.headers["X-Request-ID"] = request_id()
    logging.getLogger(REQUEST_LOGGER).info(
        "%s %s %s", fields["method"], fields["endpoint"], fields["status"], extra=fields)
