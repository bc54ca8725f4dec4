"""What a request was and how long it took, for the request log and the metrics. Both are
off by default, and the clock runs only when one of them asks for it: the plain set-up pays
nothing (the hello-world ceiling of bench/ stays as it was)."""

from collections.abc import Callable
from time import perf_counter

from flask import Flask, Response, g, request, request_finished, request_started

# Labels and log fields must come from a small, fixed set: a client may send any method name.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def on_request_done(app: Flask, listener: Callable[[Response, float], None]) -> None:
    """Call `listener(response, seconds)` at the end of each request of `app`, the seconds
    counted from before the first before-request hook to after the last after-request hook."""
    listeners = app.extensions.setdefault("request_timing", [])
    if not listeners:
        request_started.connect(_start, app)
        request_finished.connect(_finish, app)
    listeners.append(listener)


def route() -> str:
    """The request's route as the app names it (`votes.ballot`), never its path, which holds
    ids and tokens and has no bound; "unmatched" for a path no route knows."""
    return request.endpoint or "unmatched"


def method() -> str:
    return request.method if request.method in KNOWN_METHODS else "other"


def _start(_app: Flask, **_extra) -> None:
    g.request_clock = perf_counter()


def _finish(app: Flask, response: Response, **_extra) -> None:
    seconds = perf_counter() - g.get("request_clock", perf_counter())
    for listener in app.extensions["request_timing"]:
        listener(response, seconds)
