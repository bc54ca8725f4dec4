"""`mitwirkung users ...` commands."""

import sys

import click
from flask.cli import AppGroup

from ..core.permissions import Role
from ..extensions import db
from . import services
from .passwords import password_problem

users = AppGroup("users", help="Manage accounts.")


@users.command("create")
@click.argument("username")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in Role]),
              default=Role.CITIZEN.value, show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create(username: str, email: str, role: str, password_stdin: bool) -> None:
    """Create a confirmed account."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, username, email)
    if problem:
        raise click.ClickException(problem)
    try:
        services.create_user(username, email, password, role)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {role} {username}.")
