"""Builders for test objects. Each commits, which inside a test only releases a savepoint:
a later rollback in the code under test must not take the fixtures with it."""

import itertools

from werkzeug.security import generate_password_hash

from mitwirkung.accounts.models import User
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db

PASSWORD = "korrekt-Pferd-Batterie"
_counter = itertools.count(1)
_password_hash = None


def user(role="citizen", confirmed=True, **fields) -> User:
    """A user whose password is factories.PASSWORD."""
    global _password_hash
    if _password_hash is None:
        _password_hash = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
    n = next(_counter)
    values = {
        "username": f"{role}{n}",
        "first_name": "Erika",
        "last_name": f"Muster{n}",
        "email": f"{role}{n}@example.org",
        "password_hash": _password_hash,
        "role": role,
        "privacy_accepted_at": utcnow(),
        "confirmed_at": utcnow() if confirmed else None,
    }
    values.update(fields)
    account = User(**values)
    db.session.add(account)
    db.session.commit()
    return account
