"""Every page of an idea's life runs a small, fixed number of SQL queries (at most ten),
whatever the number of ideas, answers or waiting contributions."""

from mitwirkung.core.moderation import ModerationState
from mitwirkung.extensions import db
from mitwirkung.proposals.models import IdeaEvent

from . import factories

LIMIT = 10


def _grow(board, author, n):
    """n more ideas (a third pending), each public one with three answers."""
    ideas = []
    for i in range(n):
        state = ModerationState.PENDING if i % 3 == 0 else ModerationState.APPROVED
        idea = factories.idea(board, author, title=f"Bühne {i}", text="Eine Bühne am Markt",
                              state=state, category=board.categories[i % 3])
        if state == ModerationState.APPROVED:
            for step in ("in_review", "accepted", "implemented"):
                db.session.add(IdeaEvent(idea_id=idea.id, kind="status", from_value="submitted",
                                         to_value=step, answer="Antwort", actor_role="staff"))
        ideas.append(idea)
    db.session.commit()
    return ideas


def test_pages_run_a_fixed_number_of_queries(as_, board, author, people, count_queries):
    contest = factories.board(slug="wettbewerb", competition=True, rules="R",
                              support_from=None, support_until=None)

    def counts():
        public = _grow(board, author, 3)[1]
        pending = _grow(board, author, 3)[0]
        entry = _grow(contest, author, 3)[1]
        pages = [
            ("visitor", f"/boards/innenstadt/ideas/{public.id}"),
            ("author", f"/boards/innenstadt/ideas/{pending.id}"),
            ("author", f"/boards/innenstadt/ideas/{pending.id}/edit"),
            ("author", f"/boards/innenstadt/ideas/{public.id}/withdraw"),
            ("author", "/boards/innenstadt/submit"),
            ("staff", f"/boards/innenstadt/ideas/{public.id}"),
            ("staff", f"/boards/wettbewerb/ideas/{entry.id}"),
            ("moderator", f"/boards/innenstadt/ideas/{pending.id}"),
            ("moderator", "/moderation"),
            ("moderator", f"/moderation/ideas/{pending.id}/reject"),
            ("staff", "/manage/boards/innenstadt"),
            ("staff", "/manage/boards/new"),
            ("staff", "/manage/boards/innenstadt/categories/new"),
            ("staff", f"/projects/{board.project.slug}"),
            ("staff", f"/manage/projects/{board.project.id}/edit"),
        ]
        return {f"{n}: {role} {url}".split("/ideas/")[0]: count_queries(as_(role), url)
                for n, (role, url) in enumerate(pages)}

    few = counts()
    _grow(board, author, 30)
    many = counts()
    assert all(n <= LIMIT for n in many.values()), {k: v for k, v in many.items() if v > LIMIT}
    assert many == few
