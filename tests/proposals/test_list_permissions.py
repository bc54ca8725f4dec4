"""Who may do what on the list, the supports and the exports: role x route x method ->
status, and for supports whether it counted."""

import pytest
from sqlalchemy import func, select

from mitwirkung.core.moderation import ModerationState
from mitwirkung.extensions import db
from mitwirkung.proposals.models import BoardStatus, Support
from tests import factories as user_factories
from tests.conftest import signed_in_client

from . import factories

ROLES = ("visitor", "unconfirmed", "citizen", "moderator", "staff", "admin")
LOGIN = 302  # visitors are sent to the login page
BACK = 302  # a support form leads back to its page, counted or refused with a message


def everyone(status):
    return dict.fromkeys(ROLES, status)


def staff_only(status):
    return {"visitor": LOGIN, "unconfirmed": 403, "citizen": 403, "moderator": 403,
            "staff": status, "admin": status}


def drafts_hidden():
    return {"visitor": 404, "unconfirmed": 404, "citizen": 404, "moderator": 404,
            "staff": 200, "admin": 200}


def hidden_idea():
    """A pending idea: a 404 for who may not see it, a refusal for who may."""
    return {"visitor": 404, "unconfirmed": 404, "citizen": 404, "moderator": BACK,
            "staff": BACK, "admin": BACK}


# (method, path with {placeholders} from world(), expected status per role)
MATRIX = [
    ("GET", "/boards/{public}", everyone(200)),
    ("GET", "/boards/{public}?q=Bühne&category={category}&status=submitted&sort=random&mine=1",
     everyone(200)),
    ("GET", "/boards/{draft}", drafts_hidden()),
    ("GET", "/boards/nichts", everyone(404)),
    ("GET", "/boards/{public}/ideas/{idea}", everyone(200)),
    ("GET", "/boards/{public}/ideas/{pending}", {**drafts_hidden(), "moderator": 200}),
    ("GET", "/boards/{public}/ideas.csv", staff_only(200)),
    ("GET", "/boards/{draft}/ideas.csv", {**staff_only(200)}),
    ("GET", "/boards/nichts/ideas.csv", staff_only(404)),
    ("GET", "/api/boards/{public}/ideas", everyone(200)),
    ("GET", "/api/boards/{draft}/ideas", everyone(404)),
    ("POST", "/api/boards/{public}/ideas", everyone(405)),
    ("POST", "/boards/{public}/ideas/{idea}/support", everyone(BACK)),
    ("POST", "/boards/{public}/ideas/{idea}/support/withdraw", everyone(BACK)),
    ("GET", "/boards/{public}/ideas/{idea}/support", everyone(405)),
    ("GET", "/boards/{public}/ideas/{idea}/support/withdraw", everyone(405)),
    ("POST", "/boards/{public}/ideas/{pending}/support", hidden_idea()),
    ("POST", "/boards/{draft}/ideas/{draft_idea}/support", {
        **drafts_hidden(), "staff": BACK, "admin": BACK}),
    ("POST", "/boards/{public}/ideas/999999/support", everyone(404)),
    ("POST", "/boards/{public}/ideas/99999999999999/support", everyone(404)),
    ("POST", "/boards/nichts/ideas/{idea}/support", everyone(404)),
    ("POST", "/boards/{public}", everyone(405)),
]


@pytest.fixture
def role_clients(app):
    return {
        "visitor": app.test_client(),
        "unconfirmed": signed_in_client(app, user_factories.user(confirmed=False)),
        **{role: signed_in_client(app, user_factories.user(role=role))
           for role in ("citizen", "moderator", "staff", "admin")},
    }


@pytest.fixture
def world(app):
    public = factories.board(slug="offen")
    draft = factories.board(slug="entwurf", status=BoardStatus.DRAFT)
    return {
        "public": public.slug, "draft": draft.slug, "category": public.categories[0].id,
        "idea": factories.idea(public, title="Öffentliche Bühne").id,
        "pending": factories.idea(public, title="Wartende Bühne",
                                  state=ModerationState.PENDING).id,
        "draft_idea": factories.idea(draft).id,
    }


def test_every_route_answers_each_role_as_the_matrix_says(role_clients, world):
    failures = []
    for method, template, expected in MATRIX:
        path = template.format(**world)
        for role in ROLES:
            response = role_clients[role].open(path, method=method)
            db.session.rollback()
            if response.status_code != expected[role]:
                failures.append(f"{role} {method} {path}: {response.status_code} != "
                                f"{expected[role]}")
    assert not failures, "\n".join(failures)


def supports_of(idea_id: int) -> int:
    return db.session.scalar(select(func.count()).where(Support.idea_id == idea_id))


@pytest.mark.parametrize("role, counts", [
    ("visitor", False), ("unconfirmed", False), ("citizen", True), ("moderator", True),
    ("staff", True), ("admin", True),
])
def test_every_confirmed_account_may_support_and_nobody_else(role_clients, world, role, counts):
    client = role_clients[role]
    client.post(f"/boards/offen/ideas/{world['idea']}/support")
    assert supports_of(world["idea"]) == (1 if counts else 0)
    client.post(f"/boards/offen/ideas/{world['idea']}/support/withdraw")
    assert supports_of(world["idea"]) == 0


@pytest.mark.parametrize("role", ROLES)
def test_nobody_supports_a_pending_idea_or_one_of_a_draft_board(role_clients, world, role):
    role_clients[role].post(f"/boards/offen/ideas/{world['pending']}/support")
    role_clients[role].post(f"/boards/entwurf/ideas/{world['draft_idea']}/support")
    assert supports_of(world["pending"]) == supports_of(world["draft_idea"]) == 0
