"""A fresh benchmark database: the schema, one open vote, many voters and their sessions."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from common import USER_AGENT, VOTE_SLUG
from flask import Flask, session
from flask_login.utils import _create_identifier
from flask_wtf.csrf import generate_csrf, validate_csrf
from sqlalchemy import insert, select, text
from werkzeug.security import generate_password_hash

from mitwirkung.accounts.models import User
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.projects.models import Project
from mitwirkung.votes.models import Option, Question, Vote

STAFF_USERNAME = "bench-staff"
# The Pfalztheater ballot, as in tests/votes/factories.py.
QUESTIONS = (
    ("entwurf", "Welcher Entwurf soll umgesetzt werden?",
     (("A", "Offene Bühne"), ("B", "Verschlungene Wege"), ("C", "Grünes Band"))),
    ("name", "Wie soll der Platz heißen?",
     (("A", "Theatergarten"), ("B", "Platz der Begegnung"), ("C", "Grüne Mitte"),
      ("D", "Lauterplatz"))),
)


@dataclass(frozen=True)
class Voter:
    """An account with its signed session cookie and the form's CSRF token."""

    user_id: int
    cookie: str
    csrf_token: str


def reset_schema(app: Flask) -> None:
    """Create every table; on PostgreSQL drop the public schema first."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        db.create_all()


def seed(app: Flask, voters: int) -> list[tuple[int, str]]:
    """One published project with the open, live 'bench' vote, a staff account and
    `voters` confirmed citizens; returns each citizen's (id, session token)."""
    now = utcnow().replace(microsecond=0)
    shared_hash = generate_password_hash("bench-Pferd-Batterie", method="scrypt:1024:8:1")
    with app.app_context():
        staff = User(username=STAFF_USERNAME, email="bench-staff@example.org", role="staff",
                     password_hash=shared_hash, privacy_accepted_at=now, confirmed_at=now)
        project = Project(slug="bench", title="Pfalztheater (Benchmark)", status="published",
                          published_at=now)
        db.session.add_all([staff, project])
        db.session.flush()
        vote = Vote(project_id=project.id, slug=VOTE_SLUG, title="Pfalztheater-Platz",
                    opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=10),
                    status="published", results_visibility="live", created_by_id=staff.id)
        for q_position, (code, title, options) in enumerate(QUESTIONS, start=1):
            question = Question(code=code, title=title, position=q_position)
            for o_position, (o_code, o_title) in enumerate(options, start=1):
                question.options.append(Option(code=o_code, title=o_title, position=o_position))
            vote.questions.append(question)
        db.session.add(vote)
        rows = [
            {"username": f"voter{n:06d}", "first_name": "Erika", "last_name": f"Muster{n}",
             "email": f"voter{n:06d}@example.org", "password_hash": shared_hash,
             "role": "citizen", "privacy_accepted_at": now, "confirmed_at": now,
             "created_at": now, "session_token": secrets.token_urlsafe(16)}
            for n in range(1, voters + 1)
        ]
        db.session.execute(insert(User), rows)
        db.session.commit()
        return list(db.session.execute(
            select(User.id, User.session_token)
            .where(User.role == "citizen").order_by(User.id)
        ).tuples())


def voter_sessions(app: Flask, accounts: list[tuple[int, str]]) -> list[Voter]:
    """Sign in every account offline: the session cookie Flask-Login would set at login
    (_user_id, _fresh, _id) plus Flask-WTF's raw CSRF token, and the signed form token."""
    serializer = app.session_interface.get_signing_serializer(app)
    voters = []
    for user_id, token in accounts:
        # Each account its own request context, hence its own `g` (generate_csrf caches there);
        # no outer app context may be active, or it and its `g` would be shared.
        with app.test_request_context(
            "/", headers={"User-Agent": USER_AGENT}, environ_base={"REMOTE_ADDR": "127.0.0.1"}
        ):
            session["_user_id"] = f"{user_id}:{token}"
            session["_fresh"] = True
            session["_id"] = _create_identifier()
            session["csrf_token"] = hashlib.sha1(secrets.token_bytes(64)).hexdigest()
            form_token = generate_csrf()
            validate_csrf(form_token)
            voters.append(Voter(user_id, serializer.dumps(dict(session)), form_token))
    return voters
