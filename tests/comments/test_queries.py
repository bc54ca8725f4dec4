"""Pages with a thread run a fixed, small number of SQL queries whatever its length."""

from mitwirkung.comments import services
from mitwirkung.core.moderation import ModerationState
from mitwirkung.extensions import db

LIMIT = 10


def _grow(idea, project, people, count, start):
    for n in range(start, start + count):
        for kind, target in (("idea", idea), ("project", project)):
            top, _ = services.post(kind, target, people["other"], f"Kommentar {n}",
                                   submission_key=f"{kind}-q-{n:04d}-0000000")
            top.moderation_state = ModerationState.APPROVED
            db.session.flush()
            reply, _ = services.post(kind, target, people["author"], f"Antwort {n}",
                                     parent_id=top.id, submission_key=f"{kind}-r-{n:04d}-00000")
            reply.moderation_state = ModerationState.APPROVED
    db.session.commit()


def test_thread_pages_run_a_fixed_number_of_queries(as_, idea, project, people, count_queries):
    services.save_settings(project.id, enabled=True, moderation="pre")
    pages = [("visitor", f"/boards/{idea.board.slug}/ideas/{idea.id}"),
             ("author", f"/boards/{idea.board.slug}/ideas/{idea.id}"),
             ("author", f"/projects/{project.slug}"),
             ("staff", f"/projects/{project.slug}"),
             ("other", f"/comments/idea/{idea.id}"),
             ("other", f"/comments/idea/{idea.id}?comments=newest&comments_page=2"),
             ("moderator", "/moderation")]

    def counts():
        return {f"{n} {role} {url}": count_queries(as_(role), url)
                for n, (role, url) in enumerate(pages)}

    _grow(idea, project, people, 3, 0)
    few = counts()
    _grow(idea, project, people, 40, 3)
    many = counts()
    assert all(n <= LIMIT for n in many.values()), {k: v for k, v in many.items() if v > LIMIT}
    assert many == few
