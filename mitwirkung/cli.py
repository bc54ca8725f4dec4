"""The `mitwirkung` command: Flask's CLI plus our subcommands."""

from flask import Flask
from flask.cli import FlaskGroup


def main() -> None:
    from . import create_app

    FlaskGroup(create_app=lambda: create_app(), help="MitWirkung command line.")()


def register_commands(app: Flask) -> None:
    from .accounts.cli import users
    from .core.backup_cli import backup_command, restore_command
    from .core.mail_cli import mail
    from .core.moderation_cli import moderation
    from .demo import demo_command
    from .votes.paper.cli import ballots
    from .votes.results.cli import results_command, votes

    app.cli.add_command(users)
    app.cli.add_command(mail)
    app.cli.add_command(moderation)
    app.cli.add_command(demo_command)
    app.cli.add_command(results_command)
    app.cli.add_command(ballots)
    app.cli.add_command(votes)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
