"""`mitwirkung moderation remind`: tell the moderators about overdue items (for cron)."""

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from .moderation_reminders import remind as remind_moderators

moderation = AppGroup("moderation", help="The moderators' queue.")


@moderation.command("remind")
def remind() -> None:
    """Mail every moderator the items that have waited too long, each item once."""
    # Links are built from SITE_URL; a request context lets url_for build their paths.
    with current_app.test_request_context():
        reminded = remind_moderators()
        db.session.commit()
    if reminded.items and not reminded.moderators:
        click.echo(f"{reminded.items} overdue, but no moderator to tell.", err=True)
        raise click.exceptions.Exit(1)
    click.echo(f"{reminded.items} overdue, {reminded.moderators} moderators told.")
