"""Pages as visitors see them, kept in each process while nothing they show has changed.

An idea board's list and an idea's page are read far more often than anything on them
changes, and nearly all readers are visitors, who all see the same page. So a visitor's
page is kept under what decides it: the address with its query, the language, the day in
the city (phases open and close by day) and the content version (core/content_version.py),
which every write that a page may show replaces. A kept page is therefore exact the moment
anything changes, on every app server, without telling them: each reads the version (one
small query) and renders anew when it moved.

Only what is the same for every visitor is kept: not for a signed-in person, not with a
message waiting in the session, not a page its view calls personal() for (a visitor's own
random order). The one per-visitor value every page carries, the form token, is kept as a
placeholder and filled in with the visitor's own on the way out.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import wraps

from flask import g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response

from . import content_version
from .time import local_today

# Pages kept per process: search words make the addresses endless; the oldest go first.
CAPACITY = 256
_TOKEN = "\x00csrf\x00"  # no page holds a NUL: no request brings one in (core/request_guard.py)

_kept: OrderedDict[tuple, str] = OrderedDict()  # key -> the page, its token a placeholder


def personal() -> None:
    """Say that the page being rendered is this visitor's own: it is not kept."""
    g.personal_page = True


def visitor_page(view):
    """Keep the page `view` renders for visitors (see the module's text)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not _same_for_every_visitor():
            return view(*args, **kwargs)
        version = content_version.current()
        if version is None:
            return view(*args, **kwargs)
        key = (request.host, request.full_path, str(get_locale()), local_today(), version)
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
            return Response(kept.replace(_TOKEN, generate_csrf()), mimetype="text/html")
        response = view(*args, **kwargs)
        _keep(key, response)
        return response

    return wrapped


def _same_for_every_visitor() -> bool:
    return (request.method == "GET" and not current_user.is_authenticated
            and "_flashes" not in session)


def _keep(key: tuple, response) -> None:
    if not isinstance(response, str) or g.get("personal_page"):
        return
    token = g.get("csrf_token")
    body = response.replace(token, _TOKEN) if token else response
    if len(_kept) >= CAPACITY:
        _kept.popitem(last=False)
    _kept[key] = body


def forget_all() -> None:
    """Empty this process's pages (tests)."""
    _kept.clear()
