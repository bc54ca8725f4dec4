"""What the comment tests share: a project with an idea board and an idea; the people and
their clients in English are the idea boards' (tests/proposals/conftest.py)."""

import re

import pytest

from ..projects import factories as project_factories
from ..proposals import factories as idea_factories
from ..proposals.conftest import as_, author, people  # noqa: F401  (the same people)


@pytest.fixture
def project(app):
    return project_factories.project(slug="leitlinien")


@pytest.fixture
def idea(app, project):
    board = idea_factories.board(project=project, slug="ideen")
    return idea_factories.idea(board, title="Mehr Bänke")


KEY = re.compile(r'name="submission_key"[^>]*value="([^"]+)"'
                 r'|value="([^"]+)"[^>]*name="submission_key"')


def form_key(html: str) -> str:
    match = KEY.search(html)
    assert match, "no submission key in the page"
    return match.group(1) or match.group(2)
