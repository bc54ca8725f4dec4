"""What the idea-board tests share: a board, its people (an author, another resident, a
moderator, staff) and their clients in English (messages are asserted in one language)."""

import pytest

from mitwirkung.extensions import db

from .. import factories as user_factories
from ..conftest import signed_in_client
from . import factories


def in_english(client):
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client


@pytest.fixture
def board(app):
    """A published board with pre-moderation, open for submitting and supporting."""
    return factories.board(slug="innenstadt", premoderation=True)


@pytest.fixture
def author(app):
    return user_factories.user(first_name="Erika", username="erika")


@pytest.fixture
def people(app, author):
    """Author, another resident, moderator, staff, admin, visitor: each with a client."""
    users = {"author": author, "other": user_factories.user(),
             "moderator": user_factories.user(role="moderator"),
             "staff": user_factories.user(role="staff"),
             "admin": user_factories.user(role="admin"),
             "unconfirmed": user_factories.user(confirmed=False)}
    db.session.commit()
    return users


@pytest.fixture
def as_(app, people):
    """as_(name) -> a client signed in as that person, in English; "visitor" for nobody."""

    def client(name):
        if name == "visitor":
            return in_english(app.test_client())
        return in_english(signed_in_client(app, people[name]))

    return client


def html(response) -> str:
    return response.get_data(as_text=True)
