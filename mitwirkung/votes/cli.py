"""What the votes' commands share (`mitwirkung results`, `ballots`, `votes`)."""

import click
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.models import User
from ..core.permissions import can
from ..extensions import db
from . import services


def vote_or_fail(slug: str):
    """The vote, or a clear error on stderr and exit 1."""
    vote = services.get_vote(slug)
    if vote is None:
        raise click.ClickException(_("no vote with the slug “%(slug)s”", slug=slug))
    return vote


def staff_or_fail(username: str) -> User:
    """The active staff or admin account, or a clear error on stderr and exit 1."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not can(user, "manage_projects"):
        raise click.ClickException(
            _("no active staff or admin account with username “%(name)s”", name=username)
        )
    return user
