"""Who sees which idea: public ideas for everyone who may see the board; pending, rejected
and withdrawn ideas only for their author, moderators and staff (SECURITY.md: nowhere for
others)."""

import pytest

from mitwirkung.core.moderation import ModerationState
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.proposals.models import BoardStatus
from tests import factories as user_factories
from tests.conftest import signed_in_client

from . import factories


@pytest.fixture
def world(app):
    board = factories.board(slug="innenstadt")
    author = user_factories.user()
    ideas = {
        "public": factories.idea(board, title="Öffentliche Idee"),
        "pending": factories.idea(board, author, title="Wartende Idee",
                                  state=ModerationState.PENDING),
        "rejected": factories.idea(board, author, title="Abgelehnte Idee",
                                   state=ModerationState.REJECTED),
        "withdrawn": factories.idea(board, author, title="Zurückgezogene Idee",
                                    withdrawn_at=utcnow(), withdraw_reason="done"),
    }
    db.session.commit()
    return board, author, ideas


def listed(client) -> str:
    return client.get("/boards/innenstadt").get_data(as_text=True)


def test_visitors_and_other_residents_see_public_ideas_only(app, client, world):
    board, _author, ideas = world
    other = signed_in_client(app, user_factories.user())
    for viewer in (client, other):
        page = listed(viewer)
        assert "Öffentliche Idee" in page
        for hidden in ("Wartende Idee", "Abgelehnte Idee", "Zurückgezogene Idee"):
            assert hidden not in page
        for name in ("pending", "rejected", "withdrawn"):
            url = f"/boards/innenstadt/ideas/{ideas[name].id}"
            assert viewer.get(url).status_code == 404, name
        assert viewer.get(f"/boards/innenstadt/ideas/{ideas['public'].id}").status_code == 200


def test_the_author_sees_their_own_pending_idea_marked(app, world):
    _board, author, ideas = world
    client = signed_in_client(app, author)
    assert "Wartende Idee" in listed(client)
    page = client.get(f"/boards/innenstadt/ideas/{ideas['pending'].id}").get_data(as_text=True)
    assert "awaiting approval" in page or "wartet auf Freigabe" in page


@pytest.mark.parametrize("role", ["moderator", "staff"])
def test_moderators_and_staff_see_every_idea(app, world, role):
    client = signed_in_client(app, user_factories.user(role=role))
    page = listed(client)
    for title in ("Öffentliche Idee", "Wartende Idee", "Abgelehnte Idee"):
        assert title in page


def test_a_draft_board_is_for_staff_only(app, client, world):
    board, _author, _ideas = world
    staff = signed_in_client(app, user_factories.user(role="staff"))
    board.status = BoardStatus.DRAFT
    db.session.commit()
    assert staff.get("/boards/innenstadt").status_code == 200
    assert client.get("/boards/innenstadt").status_code == 404
