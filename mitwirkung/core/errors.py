"""Error pages in the site's design, without stack traces or versions; and the page for
while the database cannot answer (503, try again), which needs nothing of the database."""

from contextlib import suppress

from flask import Flask, current_app, g, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from ..extensions import db
from .database import is_unavailable
from .request_guard import UnreadableRequest

# How long a client (or the load balancer) waits before it asks again while the database
# is away: a PostgreSQL restart takes a few seconds.
RETRY_AFTER_SECONDS = 5


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(DBAPIError, _database_error)
    app.register_error_handler(PoolTimeout, _database_error)
    app.register_error_handler(Exception, _unexpected_error)
    # First in the list, so it runs after every other after-request hook.
    app.after_request_funcs.setdefault(None, []).insert(0, _keep_retry_after)


def _csrf_error(error: CSRFError):
    message = _("The form has expired or was sent from another site. Please try again.")
    return render_template("errors/error.html", code=400, message=message), 400


def _http_error(error: HTTPException):
    # An error raised after the view's (in an after-request hook) reaches Flask as a 500.
    if is_unavailable(getattr(error, "original_exception", None)):
        return database_unavailable(error.original_exception)
    if isinstance(error, UnreadableRequest):
        message = _("The request contains characters that cannot be processed (a NUL byte or "
                    "bytes that are not UTF-8). Nothing was saved; please check what you entered.")
        return render_template("errors/error.html", code=400, message=message), 400
    messages = {
        403: _("You are not allowed to see this page."),
        404: _("This page does not exist."),
        413: _("The upload is too large."),
        429: _("Too many attempts. Please wait a moment and try again."),
    }
    code = error.code or 500
    message = messages.get(code, _("The request could not be handled."))
    return render_template("errors/error.html", code=code, message=message), code


def _database_error(error: Exception):
    if is_unavailable(error):
        return database_unavailable(error)
    return _unexpected_error(error)


def database_unavailable(error: Exception):
    """503 with Retry-After while the database is down, restarting, locked or out of
    connections. The page is plain: the site's layout would ask the database for its settings
    and the signed-in user. The broken connection is not kept: SQLAlchemy has invalidated it
    (and, having seen a disconnect, every older one in the pool), and a new one is made for
    the next request, so the app recovers by itself once the database is back."""
    with suppress(SQLAlchemyError):
        db.session.rollback()
    cause = getattr(error, "orig", None) or error
    current_app.logger.warning("Database unavailable, answered 503: %s: %s",
                               type(cause).__name__, (str(cause).strip().splitlines() or [""])[0])
    # Rendered without the context processors: Flask-Login's would load the signed-in user.
    page = current_app.jinja_env.get_template("errors/unavailable.html")
    response = current_app.make_response(
        (page.render(retry_after=RETRY_AFTER_SECONDS), ServiceUnavailable.code))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    g.database_unavailable = True
    return response


def _keep_retry_after(response):
    """Flask-Limiter raises Retry-After to the end of a rate-limited route's window (up to an
    hour): that is about this client's rate, not about the database, which is back in
    seconds."""
    if response.status_code == ServiceUnavailable.code and g.get("database_unavailable"):
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _unexpected_error(error: Exception):
    if isinstance(error, HTTPException):
        return _http_error(error)
    db.session.rollback()
    current_app.logger.exception("Unhandled error", exc_info=error)
    message = _("Something went wrong on our side. Nothing you entered was saved twice.")
    return render_template("errors/error.html", code=500, message=message), InternalServerError.code
