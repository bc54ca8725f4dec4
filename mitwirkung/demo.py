"""Demo data for `mitwirkung demo`: safe to run again, it only adds what is missing."""

import secrets

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from .accounts import services as accounts
from .extensions import db
from .pages import services as pages

DEMO_USERS = ("admin", "staff", "moderator", "citizen")

# The demo's imprint is filled in with an invented city; every other page keeps its
# prefilled text (mitwirkung/pages/defaults.py), gaps marked for the operator to fill.
IMPRINT = """\
## Angaben gemäß § 5 DDG

**Stadtverwaltung Musterstadt**
Rathausplatz 1
67657 Musterstadt

Die Stadt ist eine Körperschaft des öffentlichen Rechts.
Vertreten durch: Oberbürgermeisterin Erika Mustermann

## Kontakt

Telefon: 0631 000-0
E-Mail: <buergerbeteiligung@musterstadt.example>

Diese Angaben sind Beispieltext der Demo. Administratorinnen und Administratoren ändern sie \
unter „Seite bearbeiten“.
"""


def load_demo() -> dict[str, str]:
    """Create demo accounts, pages and projects where missing; return new accounts' passwords."""
    from .comments.demo import create_demo_comments
    from .core import reject_reasons
    from .documents.demo import create_demo_texts
    from .projects.demo import create_demo_projects
    from .projects.models import Project
    from .proposals.demo import create_demo_boards
    from .surveys.demo import create_demo_surveys
    from .votes.demo import create_demo_vote

    passwords: dict[str, str] = {}
    users = {}
    for role in DEMO_USERS:
        user = accounts.find_by_email(f"{role}@mitwirkung.example")
        if user is None:
            passwords[role] = secrets.token_urlsafe(12)
            user = accounts.create_user(role, f"{role}@mitwirkung.example", passwords[role], role)
        users[role] = user
    imprint = pages.get_page("impressum")
    if imprint.id is None:
        pages.save_page(users["admin"], imprint, imprint.title, IMPRINT)
    pages.create_missing_pages(users["admin"])
    reject_reasons.add_defaults()
    create_demo_projects(users["staff"])
    pfalztheater = db.session.scalar(select(Project).where(Project.slug == "pfalztheater"))
    create_demo_vote(pfalztheater, users["staff"])
    create_demo_boards(users)
    # Comments first: they are added only while there are none, and the texts bring theirs.
    create_demo_comments(users)
    create_demo_texts(users)
    create_demo_surveys(users)
    return passwords


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
