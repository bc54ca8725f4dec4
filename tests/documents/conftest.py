"""What the text tests share: a published project with a text, its people and their
clients in English (messages are asserted in one language)."""

import pytest

from mitwirkung.extensions import db

from .. import factories as user_factories
from ..comments.conftest import form_key  # noqa: F401  (re-exported for the tests here)
from ..projects import factories as project_factories
from ..proposals.conftest import as_  # noqa: F401  (a client per person of `people` below)
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
