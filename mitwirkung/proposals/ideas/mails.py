"""Mails to an idea's author: the moderators' decision, and every answer or decision of the
city. Only ever to the author, and only about their own idea.

A mail is written in the site's language (German), not in the language of the staff
member or moderator whose action sends it: the author may never have chosen another.
"""

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ...core.mail import send_mail
from ...core.moderation import ModerationState
from ...extensions import db


def _author(idea):
    from ...accounts.models import User

    if idea.author_id is None:
        return None
    author = db.session.scalar(select(User).where(User.id == idea.author_id))
    if author is None or author.deleted_at is not None or not author.email:
        return None
    return author


def _link(idea) -> str:
    """An absolute link built from SITE_URL, never from the request's Host header."""
    return current_app.config["SITE_URL"] + url_for(
        "proposals.idea", slug=idea.board.slug, idea_id=idea.id)


def _send(idea, subject: str, template: str, **context) -> None:
    author = _author(idea)
    if author is None:
        return
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = render_template(f"proposals/mail/{template}.txt", user=author, idea=idea,
                               link=_link(idea), **context)
        send_mail(author.email, str(subject()), body)


def tell_of_moderation(idea) -> None:
    """The moderators approved or rejected the idea (core/moderation.py calls this)."""
    if idea.moderation_state == ModerationState.APPROVED:
        _send(idea, lambda: _("Your idea is published"), "approved")
    elif idea.moderation_state == ModerationState.REJECTED:
        _send(idea, lambda: _("Your idea was not published"), "rejected")


def tell_of_hiding(idea) -> None:
    """A moderator hid the published idea (core/hiding.py calls this)."""
    _send(idea, lambda: _("Your idea was removed by the moderation"), "hidden")


def tell_of_event(idea, event) -> None:
    """The city answered the idea, checked its admissibility or changed its shortlisting."""
    _send(idea, lambda: _("News about your idea"), "event", event=event)
