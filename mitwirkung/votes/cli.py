"""What the votes' commands share (`mitwirkung results`, `mitwirkung ballots`)."""

import click
from flask_babel import gettext as _

from . import services


def vote_or_fail(slug: str):
    """The vote, or a clear error on stderr and exit 1."""
    vote = services.get_vote(slug)
    if vote is None:
        raise click.ClickException(_("no vote with the slug “%(slug)s”", slug=slug))
    return vote
