"""Mails to a comment's author about the moderators' decision; in the site's language."""

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..core.mail import send_mail
from ..core.moderation import ModerationState
from ..extensions import db
from . import targets


def _author(comment):
    from ..accounts.models import User

    if comment.author_id is None:
        return None
    author = db.session.scalar(select(User).where(User.id == comment.author_id))
    if author is None or author.deleted_at is not None or not author.email:
        return None
    return author


def tell_of_moderation(comment) -> None:
    """The moderators approved or rejected the comment (core/moderation.py calls this)."""
    author = _author(comment)
    if author is None:
        return
    target = targets.load(comment.link_kind, comment.target_id)
    kind = targets.of(comment.link_kind)
    link = current_app.config["SITE_URL"] + targets.page_of(comment.link_kind, target)
    approved = comment.moderation_state == ModerationState.APPROVED
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = (_("Your comment is published") if approved
                   else _("Your comment was not published"))
        body = render_template("comments/mail/decision.txt", user=author, comment=comment,
                               approved=approved, title=kind.title(target), link=link)
        send_mail(author.email, subject, body)


def tell_of_hiding(comment) -> None:
    """A moderator hid the published comment (core/hiding.py calls this)."""
    author = _author(comment)
    if author is None:
        return
    target = targets.load(comment.link_kind, comment.target_id)
    kind = targets.of(comment.link_kind)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = render_template("comments/mail/hidden.txt", user=author, comment=comment,
                               title=kind.title(target) if target is not None else "")
        send_mail(author.email, _("Your comment was removed by the moderation"), body)
