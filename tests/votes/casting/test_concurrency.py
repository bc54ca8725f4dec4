"""Many accounts voting at once, twice each, through the real form: one ballot per account.

This test commits for real, so it runs on its own empty database (SQLite file or a new
PostgreSQL database), not inside the rolled-back transaction of the other tests.
"""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from mitwirkung import create_app
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.votes.models import Ballot, InboxBallot, Participation, Vote, new_box_version
from mitwirkung.votes.results.tally import tally
from mitwirkung.votes.setup import questions as vote_questions

from ... import factories
from ...conftest import app_settings, signed_in_client
from ...projects import factories as project_factories
from .. import factories as vote_factories

VOTERS = 16
GREEDY_TRIES = 20  # one more account sends this many ballots at once
MIX_SIZE = 4  # mixes run while others still cast


def test_concurrent_repeated_votes_leave_exactly_one_ballot_per_account(
    tmp_path_factory, empty_database_url
):
    app = create_app(app_settings(tmp_path_factory, empty_database_url)
                     | {"BALLOT_MIX_SIZE": MIX_SIZE})
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
        ballots += db.session.scalar(select(func.count()).where(InboxBallot.vote_id == vote_id))
        participations = db.session.scalar(
            select(func.count()).where(Participation.vote_id == vote_id)
        )
        accounts = db.session.scalar(
            select(func.count(func.distinct(Participation.user_id)))
            .where(Participation.vote_id == vote_id)
        )
        assert ballots == participations == accounts == VOTERS + 1
        db.session.execute(update(Vote).where(Vote.id == vote_id).values(
            closes_at=utcnow() - timedelta(seconds=1), box_version=new_box_version()))
        db.session.commit()
        result = tally(db.session.get(Vote, vote_id))  # seals: whatever waits counts now
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
        vote_questions.update_question(question, staff, code="entwurf", title="Welcher Entwurf?",
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


def test_every_ballot_cast_around_the_close_counts_or_is_refused(
    tmp_path_factory, empty_database_url
):
    """Voters keep casting while the vote closes and a results reader seals it: each gets a
    receipt and is counted, or is told the vote is closed; nothing stays in the inbox."""
    app = create_app(app_settings(tmp_path_factory, empty_database_url)
                     | {"BALLOT_MIX_SIZE": MIX_SIZE})
    closes_in = 1.0
    with app.app_context():
        db.create_all()
        voters = [factories.user() for _ in range(VOTERS * 2)]
        vote = vote_factories.make_vote(
            project_factories.project(), slug="schluss",
            closes_at=utcnow() + timedelta(seconds=closes_in))
        vote_id = vote.id
        clients = [signed_in_client(app, voter) for voter in voters]
    start = threading.Barrier(len(clients) + 1)
    receipts = []

    def vote_once(n, client):
        start.wait()
        time.sleep(2 * closes_in * n / len(clients))  # spread over the close
        response = client.post("/votes/schluss/cast", data={"q-entwurf": "A", "q-name": "B"})
        if response.headers.get("Location", "").endswith("/receipt"):
            receipts.append(n)

    def read_results():
        reader = app.test_client()
        start.wait()
        deadline = time.monotonic() + 2.5 * closes_in
        while time.monotonic() < deadline:
            assert reader.get("/api/votes/schluss/results").status_code == 200

    threads = [threading.Thread(target=vote_once, args=(n, client))
               for n, client in enumerate(clients)] + [threading.Thread(target=read_results)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with app.app_context():
        result = tally(db.session.get(Vote, vote_id))
        waiting = db.session.scalar(select(func.count()).where(InboxBallot.vote_id == vote_id))
        participations = db.session.scalar(
            select(func.count()).where(Participation.vote_id == vote_id))
        assert 0 < len(receipts) < len(clients)
        assert result.online_ballots == participations == len(receipts) and waiting == 0
        db.session.remove()
        db.engine.dispose()
