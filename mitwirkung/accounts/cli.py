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


@users.command("set-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def set_password(username: str, password_stdin: bool) -> None:
    """Give an account a new password (asked twice, or read from standard input) under the
    rules of the web; every session of the account ends and its address is told."""
    user = services.find_by_username(username)
    if user is None:
        raise click.ClickException(f"no account {username!r}")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, user.username, user.email or "", user.first_name,
                               user.last_name)
    if problem:
        raise click.ClickException(problem)
    services.set_password_by_operator(user, password)
    db.session.commit()
    click.echo(f"New password set for {user.username}; every session of the account has ended.")
