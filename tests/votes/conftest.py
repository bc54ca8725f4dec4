"""What the vote tests share: the vote under test, a second staff member for double entry,
and staff clients in English (messages are asserted in one language, whatever the German
catalogue says)."""

import pytest

from .. import factories
from ..conftest import signed_in_client
from ..projects import factories as project_factories
from .factories import make_vote


@pytest.fixture
def vote(request, app):
    """A published vote of a published project, open now, with the Pfalztheater questions
    (entwurf A-C, name A-D). A module or test sets other fields with
    `@pytest.mark.vote(slug="platz", double_entry=True, ...)`; the slug is pfalztheater."""
    marker = request.node.get_closest_marker("vote")
    fields = {"slug": "pfalztheater"} | (marker.kwargs if marker else {})
    return make_vote(project_factories.project(), **fields)


def in_english(client):
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client


@pytest.fixture
def staff_client(app, staff):
    return in_english(signed_in_client(app, staff))


@pytest.fixture
def checker(app):
    """Another staff member: the one who may make a batch's check entry."""
    return factories.user(role="staff")


@pytest.fixture
def checker_client(app, checker):
    return in_english(signed_in_client(app, checker))
