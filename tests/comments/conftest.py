"""What the comment tests share: a project with an idea board and an idea, its people and
their clients in English (messages are asserted in one language)."""

import re

import pytest

from mitwirkung.extensions import db

from .. import factories as user_factories
from ..conftest import signed_in_client
from ..projects import factories as project_factories
from ..proposals import factories as idea_factories
from ..proposals.conftest import in_english


@pytest.fixture
def project(app):
    return project_factories.project(slug="leitlinien")


@pytest.fixture
def idea(app, project):
    board = idea_factories.board(project=project, slug="ideen")
    return idea_factories.idea(board, title="Mehr Bänke")


@pytest.fixture
def people(app):
    users = {"author": user_factories.user(username="erika", first_name="Erika"),
             "other": user_factories.user(username="max"),
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


KEY = re.compile(r'name="submission_key"[^>]*value="([^"]+)"'
                 r'|value="([^"]+)"[^>]*name="submission_key"')


def form_key(html: str) -> str:
    match = KEY.search(html)
    assert match, "no submission key in the page"
    return match.group(1) or match.group(2)
