"""Accessibility feedback (BITV 2.0 § 7): anyone reports a barrier, without an account; the
message is stored and mailed to the address in the site settings, or to every admin."""

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.models import User
from ..core.mail import send_mail
from ..core.redirects import safe_next
from ..extensions import db
from .models import AccessibilityFeedback
from .settings import get_settings

MAX_MESSAGE = 5000
MAX_PAGE = 500


def page_from_link(value: str | None) -> str:
    """The `?page=` of a link to the form: a path on this site, else nothing."""
    value = (value or "").strip()
    if len(value) > MAX_PAGE:
        return ""
    return safe_next(value, "")


def submit_feedback(message: str, name: str = "", email: str = "", page: str = ""
                    ) -> AccessibilityFeedback:
    """Store a message and queue it by mail to whoever reads feedback; the caller commits."""
    feedback = AccessibilityFeedback(
        message=message.strip(), name=(name or "").strip(),
        email=(email or "").strip().lower(), page=(page or "").strip(),
    )
    db.session.add(feedback)
    db.session.flush()
    link = current_app.config["SITE_URL"] + url_for("pages.feedback_list")
    # Whoever reads it reads the site's language, whatever the sender's was.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("Accessibility feedback: a new message")
        for address, first_name in recipients():
            body = render_template("pages/mail/feedback.txt", feedback=feedback,
                                   first_name=first_name, link=link)
            send_mail(address, subject, body)
    return feedback


def recipients() -> list[tuple[str, str | None]]:
    """(address, first name or None) of each recipient: the address of the site settings,
    else every active admin with an address."""
    address = get_settings().feedback_email
    if address:
        return [(address, None)]
    admins = db.session.scalars(
        select(User).where(User.role == "admin", User.email.is_not(None),
                           User.blocked_at.is_(None), User.deleted_at.is_(None))
        .order_by(User.id)
    )
    return [(admin.email, admin.first_name or admin.username) for admin in admins]


def feedback_messages(page: int, per_page: int = 20):
    """The messages, newest first, for the admins' list."""
    query = select(AccessibilityFeedback).order_by(AccessibilityFeedback.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
