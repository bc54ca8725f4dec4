"""Many accounts toggling their support of one idea at once, from two devices each, through
the real forms: the count always equals the support rows, each account at most once
(Decidim GHSA-r275-j57c-7mf2, CONSUL #2415). And one account supporting many ideas at once
on a board with a limit ends at the limit, not above it; thirty supports of one idea by one
account at once count once.

These tests commit for real, so they run on their own empty database (SQLite file or a new
PostgreSQL database), not inside the rolled-back transaction of the other tests.
"""

import random
import threading

from sqlalchemy import func, select

from mitwirkung import create_app
from mitwirkung.extensions import db
from mitwirkung.proposals.models import Idea, Support

from .. import factories as user_factories
from ..conftest import app_settings, signed_in_client
from . import factories

ACCOUNTS = 16
DEVICES = 2  # two clients of each account, at the same moment
TOGGLES = 6  # each client: support, withdraw, ... (in a shuffled order)


def _fresh_app(tmp_path_factory, url):
    app = create_app(app_settings(tmp_path_factory, url))
    with app.app_context():
        db.create_all()
    return app


def _run_together(actions) -> list:
    """Run each action in its own thread, all released at the same moment."""
    start = threading.Barrier(len(actions))
    errors = []

    def run(action):
        start.wait()
        try:
            action()
        except Exception as error:  # noqa: BLE001  reported below, with the others
            errors.append(error)

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_concurrent_toggles_leave_the_count_equal_to_the_supports(tmp_path_factory,
                                                                   empty_database_url):
    app = _fresh_app(tmp_path_factory, empty_database_url)
    with app.app_context():
        board = factories.board(slug="gleichzeitig")
        idea_id = factories.idea(board, title="Mehr Bänke").id
        accounts = [user_factories.user() for _ in range(ACCOUNTS)]
        clients = [signed_in_client(app, account) for account in accounts
                   for _device in range(DEVICES)]
    path = f"/boards/gleichzeitig/ideas/{idea_id}/support"
    statuses = []
    rng = random.Random(20261205)

    def toggle(client, steps):
        for step in steps:
            response = client.post(path + ("/withdraw" if step == "withdraw" else ""))
            statuses.append(response.status_code)

    actions = []
    for client in clients:
        steps = ["support", "withdraw"] * (TOGGLES // 2)
        rng.shuffle(steps)
        actions.append(lambda client=client, steps=steps: toggle(client, steps))
    assert _run_together(actions) == []
    assert statuses == [302] * (len(clients) * TOGGLES)

    with app.app_context():
        rows = db.session.scalar(select(func.count()).where(Support.idea_id == idea_id))
        accounts_supporting = db.session.scalar(
            select(func.count(func.distinct(Support.user_id))).where(Support.idea_id == idea_id))
        counted = db.session.scalar(select(Idea.supports_count).where(Idea.id == idea_id))
        assert counted == rows == accounts_supporting <= ACCOUNTS
        # And from here, every account once more, all at once: each counts exactly once.
    again = [lambda client=client: client.post(path) for client in clients]
    assert _run_together(again) == []
    with app.app_context():
        rows = db.session.scalar(select(func.count()).where(Support.idea_id == idea_id))
        counted = db.session.scalar(select(Idea.supports_count).where(Idea.id == idea_id))
        assert counted == rows == ACCOUNTS
        db.session.remove()
        db.engine.dispose()


def test_supports_sent_at_once_by_one_account_stop_at_the_board_s_limit(tmp_path_factory,
                                                                          empty_database_url):
    limit, ideas = 3, 10
    app = _fresh_app(tmp_path_factory, empty_database_url)
    with app.app_context():
        board = factories.board(slug="begrenzt", support_limit=limit)
        idea_ids = [factories.idea(board, title=f"Idee {n}").id for n in range(ideas)]
        greedy = user_factories.user()
        greedy_id = greedy.id
        clients = [signed_in_client(app, greedy) for _ in range(ideas * 2)]
    actions = [lambda client=client, idea_id=idea_id: client.post(
        f"/boards/begrenzt/ideas/{idea_id}/support")
        for client, idea_id in zip(clients, idea_ids * 2, strict=True)]
    assert _run_together(actions) == []
    with app.app_context():
        mine = db.session.scalar(select(func.count()).where(Support.user_id == greedy_id))
        counts = db.session.scalars(select(Idea.supports_count).where(Idea.id.in_(idea_ids)))
        assert mine == sum(counts) == limit
        db.session.remove()
        db.engine.dispose()


def test_thirty_supports_of_one_idea_sent_at_once_by_one_account_count_once(
        tmp_path_factory, empty_database_url):
    """SECURITY.md: the unique constraint decides, whichever request comes first."""
    app = _fresh_app(tmp_path_factory, empty_database_url)
    with app.app_context():
        board = factories.board(slug="dreissig")
        idea_id = factories.idea(board, title="Ein Trinkbrunnen").id
        eager = user_factories.user()
        clients = [signed_in_client(app, eager) for _ in range(30)]
    responses = []
    actions = [lambda client=client: responses.append(
        client.post(f"/boards/dreissig/ideas/{idea_id}/support").status_code)
        for client in clients]
    assert _run_together(actions) == []
    assert responses == [302] * 30
    with app.app_context():
        rows = db.session.scalar(select(func.count()).where(Support.idea_id == idea_id))
        counted = db.session.scalar(select(Idea.supports_count).where(Idea.id == idea_id))
        assert rows == counted == 1
        db.session.remove()
        db.engine.dispose()
