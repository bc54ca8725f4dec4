"""Demo data for `mitwirkung demo`: safe to run again, it only adds what is missing."""

import secrets

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from .accounts import services as accounts
from .extensions import db
from .pages import services as pages

DEMO_USERS = ("admin", "staff", "moderator", "citizen")

IMPRINT = """## Angaben gemäß § 5 DDG

Stadtverwaltung Musterstadt
Rathausplatz 1
67657 Musterstadt

Diese Angaben sind Beispieltext der Demo. Administratorinnen und Administratoren ändern sie
unter „Seite bearbeiten“.
"""

PRIVACY = """## Welche Daten wir speichern

Für ein Konto speichern wir Ihren öffentlichen Benutzernamen, Vor- und Nachnamen, Ihre
E-Mail-Adresse und ein gesichertes Passwort. Name und E-Mail-Adresse sieht niemand sonst.

## Abstimmungen

Bei Abstimmungen speichern wir nur, *dass* Sie abgestimmt haben, getrennt von Ihrer Wahl.

## Ihre Rechte

Sie können Ihre Daten jederzeit unter „Mein Konto“ herunterladen und Ihr Konto löschen.
"""


def load_demo() -> dict[str, str]:
    """Create demo accounts, pages and projects where missing; return new accounts' passwords."""
    from .projects.demo import create_demo_projects
    from .projects.models import Project
    from .votes.demo import create_demo_vote

    passwords: dict[str, str] = {}
    users = {}
    for role in DEMO_USERS:
        user = accounts.find_by_email(f"{role}@mitwirkung.example")
        if user is None:
            passwords[role] = secrets.token_urlsafe(12)
            user = accounts.create_user(role, f"{role}@mitwirkung.example", passwords[role], role)
        users[role] = user
    _legal_page("impressum", "Impressum", IMPRINT, users["admin"])
    _legal_page("datenschutz", "Datenschutzerklärung", PRIVACY, users["admin"])
    create_demo_projects(users["staff"])
    pfalztheater = db.session.scalar(select(Project).where(Project.slug == "pfalztheater"))
    create_demo_vote(pfalztheater, users["staff"])
    return passwords


def _legal_page(slug: str, title: str, body: str, admin) -> None:
    page = pages.get_page(slug)
    if page.id is None:
        pages.save_page(admin, page, title, body)


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo data (only what is missing)."""
    passwords = load_demo()
    db.session.commit()
    if not passwords:
        click.echo("Demo data is already there; passwords were printed when it was created.")
    for role, password in passwords.items():
        click.echo(f"{role:10} {role}@mitwirkung.example  password: {password}")
