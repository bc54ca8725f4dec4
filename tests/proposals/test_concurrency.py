"""Clicks that arrive at once: a double-clicked submission stores one idea, and moderators
deciding the same idea at once decide it once (one audit entry, one mail).

These tests commit for real, so each runs on its own empty database (SQLite file or a new
PostgreSQL database), not inside the rolled-back transaction of the other tests.
"""

import threading

from sqlalchemy import func, select

from mitwirkung import create_app
from mitwirkung.core.models import AuditEntry, OutgoingMail
from mitwirkung.core.moderation import ModerationState
from mitwirkung.extensions import db
from mitwirkung.proposals.models import Idea

from .. import factories
from ..conftest import app_settings, signed_in_client
from . import factories as board_factories

CLICKS = 8  # fewer than the ten saves a minute one account may make


def _run_at_once(jobs) -> None:
    start = threading.Barrier(len(jobs))

    def run(job):
        start.wait()
        job()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


def _app(tmp_path_factory, url):
    # Rate limits stay on: the limiter is one object shared by every app of the session.
    app = create_app(app_settings(tmp_path_factory, url))
    with app.app_context():
        db.create_all()
    return app


def test_the_same_submission_sent_at_once_stores_one_idea(tmp_path_factory,
                                                          empty_database_url):
    app = _app(tmp_path_factory, empty_database_url)
    with app.app_context():
        author = factories.user()
        board = board_factories.board(slug="gleichzeitig")
        data = {"title": "Einmal", "text": "Nur einmal gespeichert.",
                "category_id": str(board.categories[0].id), "submission_key": "d" * 22}
        clients = [signed_in_client(app, author) for _ in range(CLICKS)]
        board_id = board.id
        db.session.remove()
    statuses = []
    _run_at_once([lambda client=client: statuses.append(
        client.post("/boards/gleichzeitig/submit/confirm", data=data).status_code)
        for client in clients])
    with app.app_context():
        stored = db.session.scalar(select(func.count(Idea.id)).where(Idea.board_id == board_id))
        assert statuses == [302] * CLICKS and stored == 1
        db.session.remove()


def test_moderators_deciding_at_once_decide_once(tmp_path_factory, empty_database_url):
    app = _app(tmp_path_factory, empty_database_url)
    with app.app_context():
        board = board_factories.board(slug="moderiert")
        idea = board_factories.idea(board, title="Umstritten", state=ModerationState.PENDING)
        idea_id = idea.id
        clients = [signed_in_client(app, factories.user(role="moderator"))
                   for _ in range(CLICKS)]
        db.session.remove()
    jobs = []
    for n, client in enumerate(clients):
        if n % 2:
            jobs.append(lambda client=client: client.post(
                f"/moderation/ideas/{idea_id}/reject",
                data={f"reject-ideas-{idea_id}-reason": "Nein"}))
        else:
            jobs.append(lambda client=client: client.post(
                f"/moderation/ideas/{idea_id}/approve"))
    _run_at_once(jobs)
    with app.app_context():
        decided = db.session.get(Idea, idea_id)
        entries = db.session.scalar(select(func.count(AuditEntry.id)))
        mails = db.session.scalar(select(func.count(OutgoingMail.id)))
        assert decided.moderation_state in ("approved", "rejected")
        assert entries == 1 and mails == 1
        db.session.remove()
