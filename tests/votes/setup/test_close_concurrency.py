"""Closing a vote early while people vote: every ballot either counts or is refused.

These tests commit for real, so each runs on its own empty database (SQLite file or a new
PostgreSQL database), not inside the rolled-back transaction of the other tests.
"""

import threading
import time

import pytest
from sqlalchemy import func, select

from mitwirkung import create_app
from mitwirkung.extensions import db
from mitwirkung.votes.models import InboxBallot, Participation, Vote
from mitwirkung.votes.results.tally import tally
from mitwirkung.votes.setup import services as setup

from ... import factories
from ...conftest import app_settings, signed_in_client
from ...projects import factories as project_factories
from .. import factories as vote_factories

VOTERS = 24
MIX_SIZE = 4  # mixes run while others still cast
SPREAD = 2.0  # seconds over which the voters come; staff close the vote halfway


def test_every_ballot_cast_around_an_early_close_counts_or_is_refused(
    tmp_path_factory, empty_database_url
):
    app = create_app(app_settings(tmp_path_factory, empty_database_url)
                     | {"BALLOT_MIX_SIZE": MIX_SIZE})
    with app.app_context():
        db.create_all()
        voters = [factories.user() for _ in range(VOTERS)]
        staff = signed_in_client(app, factories.user(role="staff"))
        vote = vote_factories.make_vote(project_factories.project(), slug="vorzeitig")
        vote_id = vote.id
        clients = [signed_in_client(app, voter) for voter in voters]
    start = threading.Barrier(len(clients) + 2)
    receipts, refusals = [], []

    def vote_once(n, client):
        start.wait()
        time.sleep(SPREAD * n / len(clients))
        response = client.post("/votes/vorzeitig/cast", data={"q-entwurf": "A", "q-name": "B"})
        location = response.headers.get("Location", "")
        (receipts if location.endswith("/receipt") else refusals).append(location)

    def close_halfway():
        start.wait()
        time.sleep(SPREAD / 2)
        assert staff.post("/manage/votes/vorzeitig/close").status_code == 302

    def read_results():
        reader = app.test_client()
        start.wait()
        deadline = time.monotonic() + SPREAD * 1.25
        while time.monotonic() < deadline:
            assert reader.get("/api/votes/vorzeitig/results").status_code == 200

    threads = [threading.Thread(target=vote_once, args=(n, client))
               for n, client in enumerate(clients)]
    threads += [threading.Thread(target=close_halfway), threading.Thread(target=read_results)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with app.app_context():
        result = tally(db.session.get(Vote, vote_id))
        waiting = db.session.scalar(select(func.count()).where(InboxBallot.vote_id == vote_id))
        participations = db.session.scalar(
            select(func.count()).where(Participation.vote_id == vote_id))
        assert len(receipts) + len(refusals) == len(clients)
        assert 0 < len(receipts) < len(clients)
        assert all(location.endswith("/votes/vorzeitig") for location in refusals)
        assert result.online_ballots == participations == len(receipts) and waiting == 0
        assert db.session.get(Vote, vote_id).sealed_at is not None
        db.session.remove()
        db.engine.dispose()


def test_a_ballot_cast_while_staff_close_the_vote_waits_and_is_refused(
    tmp_path_factory, empty_database_url
):
    """Staff have closed the vote but not committed yet; a ballot cast from the box read
    while it was open waits for the close instead of slipping in, then finds it closed."""
    if not empty_database_url.startswith("postgresql"):
        pytest.skip("SQLite runs one writer at a time: nothing can slip in between")
    app = create_app(app_settings(tmp_path_factory, empty_database_url))
    with app.app_context():
        db.create_all()
        staff, voter = factories.user(role="staff"), factories.user()
        vote = vote_factories.make_vote(project_factories.project(), slug="gleich-zu")
        vote_id = vote.id
        client = signed_in_client(app, voter)
    outcome = {}

    def cast():
        response = client.post("/votes/gleich-zu/cast", data={"q-entwurf": "C", "q-name": "A"})
        outcome["location"] = response.headers.get("Location", "")

    with app.app_context():
        setup.close_now(db.session.get(Vote, vote_id), staff)  # not committed yet
        voting = threading.Thread(target=cast)
        voting.start()
        voting.join(timeout=1.0)
        assert voting.is_alive(), "the ballot did not wait for the close"
        db.session.commit()
    voting.join(timeout=30)
    assert outcome["location"].endswith("/votes/gleich-zu")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participation)) == 0
        db.session.remove()
        db.engine.dispose()
