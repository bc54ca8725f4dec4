"""Every route of an idea's life and a board's set-up as each role meets it: role x route x
method -> status, on fresh objects for every request. Forms are sent empty, so a request
that is let in comes back with errors instead of changing anything."""

from datetime import timedelta

from mitwirkung.core.moderation import ModerationState
from mitwirkung.core.time import local_today
from mitwirkung.extensions import db
from mitwirkung.proposals.models import BoardStatus

from . import factories

ROLES = ("visitor", "unconfirmed", "other", "author", "moderator", "staff", "admin")
LOGIN = 302  # visitors are sent to the login page


def roles(default, **special) -> dict:
    return {role: special.get(role, default) for role in ROLES}


def everyone(status):
    return roles(status)


def residents(status, **special):
    """Confirmed accounts may; visitors log in first, unconfirmed accounts are refused."""
    return roles(status, visitor=LOGIN, unconfirmed=403, **special)


def staff_only(status):
    return roles(403, visitor=LOGIN, staff=status, admin=status)


def moderators_only(status):
    return roles(403, visitor=LOGIN, moderator=status, admin=status)


SEES_ALL = {"author": 200, "moderator": 200, "staff": 200, "admin": 200}
BOARD = "/boards/{board}"
PUBLIC = BOARD + "/ideas/{public}"
PENDING = BOARD + "/ideas/{pending}"
ENTRY = "/boards/{contest}/ideas/{entry}"

MATRIX = [
    ("GET", PUBLIC, everyone(200)),
    ("GET", PENDING, roles(404, **SEES_ALL)),
    ("GET", BOARD + "/ideas/999999", everyone(404)),
    ("GET", "/boards/{draft}/ideas/{draft_idea}", roles(404, staff=200, admin=200)),
    ("GET", BOARD + "/submit", residents(200)),
    ("POST", BOARD + "/submit", residents(200)),
    ("GET", BOARD + "/submit/confirm", everyone(405)),
    ("POST", BOARD + "/submit/confirm", residents(200)),
    ("GET", "/boards/{draft}/submit", residents(404, staff=403, admin=403)),
    ("POST", "/boards/{closed}/submit/confirm", residents(403)),
    ("GET", "/boards/no-such-board/submit", residents(404)),
    ("GET", PENDING + "/edit", residents(403, other=404, author=200)),
    ("POST", PENDING + "/edit", residents(403, other=404, author=200)),
    ("GET", PUBLIC + "/edit", residents(403, author=302)),
    ("POST", PUBLIC + "/edit", residents(403, author=302)),
    ("GET", PENDING + "/withdraw", residents(403, other=404, author=200)),
    ("POST", PENDING + "/withdraw", residents(403, other=404, author=200)),
    ("GET", PUBLIC + "/withdraw", residents(403, author=200)),
    ("POST", PUBLIC + "/withdraw", residents(403, author=200)),
    ("POST", PUBLIC + "/answer", staff_only(200)),
    ("GET", PUBLIC + "/answer", everyone(405)),
    ("POST", PENDING + "/answer", staff_only(200)),
    ("POST", ENTRY + "/feasibility", staff_only(200)),
    ("POST", ENTRY + "/shortlist", staff_only(302)),
    ("POST", PUBLIC + "/feasibility", staff_only(302)),
    ("GET", "/moderation", moderators_only(200)),
    ("POST", "/moderation", everyone(405)),
    ("POST", "/moderation/ideas/{pending}/approve", moderators_only(302)),
    ("GET", "/moderation/ideas/{pending}/approve", everyone(405)),
    ("GET", "/moderation/ideas/{pending}/reject", moderators_only(200)),
    ("POST", "/moderation/ideas/{pending}/reject", moderators_only(200)),
    ("POST", "/moderation/ideas/999999/approve", moderators_only(404)),
    ("POST", "/moderation/unknown/{pending}/approve", moderators_only(404)),
    ("GET", "/manage/boards/new", staff_only(200)),
    ("POST", "/manage/boards/new", staff_only(200)),
    ("GET", "/manage/boards/new?project=999999", staff_only(404)),
    ("GET", "/manage/boards/{board}", staff_only(200)),
    ("POST", "/manage/boards/{board}", staff_only(200)),
    ("GET", "/manage/boards/no-such-board", staff_only(404)),
    ("POST", "/manage/boards/{draft}/publish", staff_only(302)),
    ("GET", "/manage/boards/{draft}/publish", everyone(405)),
    ("GET", "/manage/boards/{board}/categories/new", staff_only(200)),
    ("POST", "/manage/boards/{board}/categories/new", staff_only(200)),
    ("GET", "/manage/boards/{board}/categories/{category}/edit", staff_only(200)),
    ("POST", "/manage/boards/{board}/categories/{category}/edit", staff_only(200)),
    ("POST", "/manage/boards/{board}/categories/{category}/delete", staff_only(302)),
    ("GET", "/manage/boards/{board}/categories/{category}/delete", everyone(405)),
    ("GET", "/manage/boards/{board}/categories/{other_category}/edit", staff_only(404)),
]


def world(author) -> dict:
    """A pre-moderated board with a public and a pending idea of `author`; a draft board, a
    closed one and a competition in its admissibility check."""
    today = local_today()
    board = factories.board(premoderation=True)
    draft = factories.board(status=BoardStatus.DRAFT)
    closed = factories.board(submit_until=today - timedelta(days=1))
    contest = factories.board(competition=True, rules="Regeln",
                              support_from=today + timedelta(days=3))
    db.session.commit()
    return {
        "board": board.slug, "draft": draft.slug, "closed": closed.slug, "contest": contest.slug,
        "public": factories.idea(board, author).id,
        "pending": factories.idea(board, author, state=ModerationState.PENDING).id,
        "draft_idea": factories.idea(draft, author).id,
        "entry": factories.idea(contest, author).id,
        "category": board.categories[0].id, "other_category": draft.categories[0].id,
    }


def test_idea_routes_answer_each_role_as_the_matrix_says(app, as_, people):
    clients = {role: as_(role) for role in ROLES}
    failures = []
    for method, template, expected in MATRIX:
        for role in ROLES:
            # Fresh objects for every request: an approval or a publication cannot affect
            # the next one.
            url = template.format(**world(people["author"]))
            response = clients[role].open(url, method=method, data={"title": ""})
            if response.status_code != expected[role]:
                failures.append(f"{role} {method} {url}: {response.status_code} "
                                f"!= {expected[role]}")
    assert not failures, "\n".join(failures)
