"""Ten reports of one idea sent at once by one account store one flag: the unique index
decides, on SQLite and PostgreSQL alike; the others are told it is reported already.

Commits for real, so it runs on its own empty database (as tests/proposals/test_support_race.py)."""

from sqlalchemy import func, select

from mitwirkung import create_app
from mitwirkung.core.flags import Flag
from mitwirkung.extensions import db

from .. import factories as user_factories
from ..conftest import app_settings, signed_in_client
from ..proposals import factories as idea_factories
from ..proposals.test_support_race import _run_together

CLICKS = 10


def test_reports_sent_at_once_store_one_flag(tmp_path_factory, empty_database_url):
    app = create_app(app_settings(tmp_path_factory, empty_database_url))
    with app.app_context():
        db.create_all()
        board = idea_factories.board(slug="melden")
        idea_id = idea_factories.idea(board, title="Gemeldet").id
        reporter = user_factories.user()
        clients = [signed_in_client(app, reporter) for _ in range(CLICKS)]
    statuses = []

    def report(client):
        statuses.append(client.post(f"/report/ideas/{idea_id}",
                                    data={"reason": "spam"}).status_code)

    assert _run_together([lambda c=client: report(c) for client in clients]) == []
    assert sorted(statuses) == [302] + [409] * (CLICKS - 1)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Flag)) == 1
        db.session.remove()
        db.engine.dispose()
