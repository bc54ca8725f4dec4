"""Error pages in the site's design, without stack traces or versions."""

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..extensions import db
from .request_guard import UnreadableRequest


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _csrf_error(error: CSRFError):
    message = _("The form has expired or was sent from another site. Please try again.")
    return render_template("errors/error.html", code=400, message=message), 400


def _http_error(error: HTTPException):
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


def _unexpected_error(error: Exception):
    if isinstance(error, HTTPException):
        return _http_error(error)
    db.session.rollback()
    from flask import current_app

    current_app.logger.exception("Unhandled error", exc_info=error)
    message = _("Something went wrong on our side. Nothing you entered was saved twice.")
    return render_template("errors/error.html", code=500, message=message), InternalServerError.code
