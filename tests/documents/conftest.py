"""What the text tests share: a published project with a text, its people and their
clients in English (messages are asserted in one language)."""

import pytest

from mitwirkung.extensions import db

from .. import factories as user_factories
from ..comments.conftest import form_key  # noqa: F401  (re-exported for the tests here)
from ..conftest import signed_in_client
from ..projects import factories as project_factories
from ..proposals.conftest import in_english
from . import factories


@pytest.fixture
def project(app):
    return project_factories.project(slug="beteiligung", title="Bürgerbeteiligung")


@pytest.fixture
def document(app, project):
    return factories.text(project, title="Leitlinien", slug="leitlinien")


@pytest.fixture
def people(app):
    users = {"citizen": user_factories.user(username="erika"),
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
