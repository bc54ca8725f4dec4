"""A double-clicked comment, with real commits on both databases: the same submission sent
at once by one account stores one comment, and every click is led to it.

It commits for real, so it runs on its own empty database (SQLite file or a new PostgreSQL
database), not inside the rolled-back transaction of the other tests."""

from sqlalchemy import func, select

from mitwirkung.comments.models import Comment
from mitwirkung.extensions import db

from .. import factories
from ..conftest import signed_in_client
from ..proposals import factories as board_factories
from ..proposals.test_concurrency import _app, _run_at_once

CLICKS = 4  # within the five comments a minute one account may write


def test_the_same_comment_sent_at_once_stores_one(tmp_path_factory, empty_database_url):
    app = _app(tmp_path_factory, empty_database_url)
    with app.app_context():
        author = factories.user()
        board = board_factories.board(slug="doppelklick")
        idea_id = board_factories.idea(board).id
        clients = [signed_in_client(app, author) for _ in range(CLICKS)]
        db.session.remove()
    data = {"text": "Nur einmal, bitte.", "submission_key": "c" * 22}
    responses = []
    _run_at_once([lambda client=client: responses.append(
        client.post(f"/comments/idea/{idea_id}", data=data)) for client in clients])
    with app.app_context():
        stored = db.session.scalars(select(Comment.id).where(Comment.idea_id == idea_id)).all()
        assert len(stored) == 1
        assert {r.headers.get("Location", "").rsplit("#", 1)[-1] for r in responses} == {
            f"comment-{stored[0]}"}
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 1
        db.session.remove()
        db.engine.dispose()
