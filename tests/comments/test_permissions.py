"""Every comment route as each role meets it (role x route x method -> status), and no
comment of a hidden or unpublished thing readable by address. Forms are sent empty, so a
request that is let in comes back with errors instead of changing anything."""

import pytest

from mitwirkung.comments import services
from mitwirkung.core.moderation import ModerationState
from mitwirkung.extensions import db

from ..proposals import factories as idea_factories

ROLES = ("visitor", "unconfirmed", "other", "author", "moderator", "staff", "admin")
LOGIN = 302


def roles(default, **special) -> dict:
    return {role: special.get(role, default) for role in ROLES}


RESIDENTS = {"visitor": LOGIN, "unconfirmed": 403}
MATRIX = [
    ("GET", "/comments/idea/{idea}", roles(200)),
    ("POST", "/comments/idea/{idea}", roles(200, **RESIDENTS)),
    ("GET", "/comments/idea/{pending_idea}", roles(404, author=200, moderator=200, staff=200,
                                                   admin=200)),
    ("POST", "/comments/idea/{pending_idea}", roles(404, author=200, moderator=200, staff=200,
                                                    admin=200, visitor=404)),
    ("GET", "/comments/idea/{idea}/reply/{published}", roles(200)),
    ("GET", "/comments/idea/{idea}/reply/{pending}", roles(404)),
    ("GET", "/comments/idea/{idea}/reply/{rejected}", roles(404)),
    ("GET", "/comments/project/{project}", roles(200)),
    ("GET", "/comments/project/{draft}", roles(404, staff=200, admin=200)),
    ("GET", "/comments/nothing/1", roles(404)),
    ("GET", "/comments/{published}/delete", roles(403, visitor=LOGIN, unconfirmed=403,
                                                  author=200)),
    # Roles ask in order: the author deletes it, and then it is gone for those after.
    ("POST", "/comments/{published}/delete", roles(403, visitor=LOGIN, author=302,
                                                   moderator=404, staff=404, admin=404)),
    ("POST", "/manage/projects/{project}/comments", roles(403, visitor=LOGIN, staff=302,
                                                          admin=302)),
    # A citizen never reaches a moderation route.
    ("GET", "/moderation", roles(403, visitor=LOGIN, moderator=200, admin=200)),
    ("POST", "/moderation/comments/{pending}/approve", roles(403, visitor=LOGIN, moderator=302,
                                                             admin=302)),
    ("GET", "/moderation/comments/{pending}/reject", roles(403, visitor=LOGIN, moderator=200,
                                                           admin=200)),
]


@pytest.fixture
def world(app, people):
    from ..projects import factories as project_factories

    project = project_factories.project(slug="rechte")
    board = idea_factories.board(project=project, slug="rechte-ideen")
    idea = idea_factories.idea(board, people["author"], title="Öffentlich")
    pending_idea = idea_factories.idea(board, people["author"], title="Wartend",
                                       state=ModerationState.PENDING)
    draft = project_factories.project(slug="rechte-entwurf", status="draft")

    def comment(state, key):
        item, _ = services.post("idea", idea, people["author"], f"Kommentar {key}",
                                submission_key=f"rechte-{key}-0000000000")
        item.moderation_state = state
        return item

    values = {"project": project.id, "draft": draft.id, "idea": idea.id,
              "pending_idea": pending_idea.id,
              "published": comment(ModerationState.APPROVED, "published").id,
              "pending": comment(ModerationState.PENDING, "pending").id,
              "rejected": comment(ModerationState.REJECTED, "rejected").id}
    db.session.commit()
    return values


@pytest.mark.parametrize("method, path, expected", MATRIX, ids=[f"{m} {p}" for m, p, _ in MATRIX])
def test_each_role_meets_each_route_as_expected(as_, world, method, path, expected):
    url = path.format(**world)
    got = {role: as_(role).open(url, method=method, data={}).status_code for role in ROLES}
    assert got == expected


def test_the_other_people_read_no_pending_or_rejected_comment_anywhere(as_, world):
    for name in ("visitor", "other"):
        html = as_(name).get(f"/comments/idea/{world['idea']}").get_data(as_text=True)
        assert "Kommentar published" in html
        assert "Kommentar pending" not in html and "Kommentar rejected" not in html
        assert "1 comment" in html
