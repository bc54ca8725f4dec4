"""Many accounts voting at once, twice each, through the real form: one ballot per account.

This test commits for real, so it runs on its own empty database (SQLite file or a new
PostgreSQL database), not inside the rolled-back transaction of the other tests.
"""

import threading

import pytest
from sqlalchemy import func, select

from mitwirkung import create_app
from mitwirkung.extensions import db
from mitwirkung.votes.models import Ballot, Participation, Vote
from mitwirkung.votes.results.tally import tally
from mitwirkung.votes.setup import services as setup

from ... import factories
from ...conftest import app_settings, signed_in_client
from ...projects import factories as project_factories
from .. import factories as vote_factories

VOTERS = 16
GREEDY_TRIES = 20  # one more account sends this many ballots at once


def test_concurrent_repeated_votes_leave_exactly_one_ballot_per_account(
    tmp_path_factory, empty_database_url
):
    app = create_app(app_settings(tmp_path_factory, empty_database_url))
    with app.app_context():
        db.create_all()
        voters = [factories.user() for _ in range(VOTERS)]
        greedy = factories.user()
        vote = vote_factories.make_vote(project_factories.project(), slug="gleichzeitig")
        slug, vote_id = vote.slug, vote.id
        clients = [signed_in_client(app, voter) for voter in voters]
        greedy_clients = [signed_in_client(app, greedy) for _ in range(GREEDY_TRIES)]

    start = threading.Barrier(VOTERS * 2 + GREEDY_TRIES)
    statuses = []

    def vote_once(client, choice):
        start.wait()
        response = client.post(f"/votes/{slug}/cast", data={"q-entwurf": choice, "q-name": "A"})
        statuses.append((response.status_code, response.headers.get("Location", "")))

    threads = [
        threading.Thread(target=vote_once, args=(client, "ABC"[n % 3]))
        for n, client in enumerate(clients)
        for _attempt in range(2)
    ] + [threading.Thread(target=vote_once, args=(client, "A")) for client in greedy_clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    receipts = [location for status, location in statuses if location.endswith("/receipt")]
    refusals = [location for status, location in statuses if location.endswith(f"/votes/{slug}")]
    assert len(statuses) == VOTERS * 2 + GREEDY_TRIES
    assert len(receipts) == VOTERS + 1 and len(refusals) == VOTERS + GREEDY_TRIES - 1
    with app.app_context():
        ballots = db.session.scalar(select(func.count()).where(Ballot.vote_id == vote_id))
        participations = db.session.scalar(
            select(func.count()).where(Participation.vote_id == vote_id)
        )
        accounts = db.session.scalar(
            select(func.count(func.distinct(Participation.user_id)))
            .where(Participation.vote_id == vote_id)
        )
        assert ballots == participations == accounts == VOTERS + 1
        result = tally(db.session.get(Vote, vote_id))
        assert result.online_ballots == VOTERS + 1
        assert [o.count.online for o in result.questions[0].options] == [7, 5, 5]
        db.session.remove()
        db.engine.dispose()


def test_a_first_ballot_waits_while_staff_change_a_question(tmp_path_factory, empty_database_url):
    """Staff check "no ballot yet", then change a question; a first ballot cast meanwhile
    must wait for that change instead of slipping in between check and change."""
    if not empty_database_url.startswith("postgresql"):
        pytest.skip("SQLite runs one writer at a time: nothing can slip in between")
    app = create_app(app_settings(tmp_path_factory, empty_database_url))
    with app.app_context():
        db.create_all()
        staff, voter = factories.user(role="staff"), factories.user()
        vote = vote_factories.make_vote(project_factories.project(), slug="umbau")
        vote_id = vote.id
        client = signed_in_client(app, voter)
    outcome = {}

    def cast():
        response = client.post("/votes/umbau/cast", data={"q-entwurf": "C", "q-name": "A"})
        outcome["location"] = response.headers.get("Location", "")

    with app.app_context():
        question = db.session.get(Vote, vote_id).questions[0]
        setup.update_question(question, staff, code="entwurf", title="Welcher Entwurf?",
                              help_text="")  # not committed yet
        voting = threading.Thread(target=cast)
        voting.start()
        voting.join(timeout=1.0)
        assert voting.is_alive(), "the ballot did not wait for the staff change"
        db.session.commit()
    voting.join(timeout=30)
    assert outcome["location"].endswith("/votes/umbau/receipt")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1
        db.session.remove()
        db.engine.dispose()
