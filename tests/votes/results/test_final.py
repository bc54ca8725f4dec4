"""Counting after the close, then a final result: what is accepted when, and what the
declaration refuses."""

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from mitwirkung.core.models import AuditEntry
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.votes import services
from mitwirkung.votes.paper import batches
from mitwirkung.votes.results import final
from mitwirkung.votes.results.tally import as_json, tally
from mitwirkung.votes.setup import questions as vote_questions
from mitwirkung.votes.setup import services as setup
from tests.projects import factories as project_factories

from ... import factories
from ..factories import cast, make_vote

WOCHENMARKT = (Path(__file__).resolve().parents[2] / "data" / "ballots-wochenmarkt.csv")


@pytest.fixture(autouse=True)
def _app_context(app):
    """Results of a closed vote seal it, which is app code (votes/casting/mixing.py)."""
    with app.app_context():
        yield


@pytest.fixture
def closed(app):
    """A vote that closed yesterday."""
    now = utcnow()
    vote = make_vote(project_factories.project(), slug="rathaus",
                     opens_at=now - timedelta(days=10), closes_at=now - timedelta(days=1))
    return vote


def _import(vote, staff, collected_on, data=None, station="Rathaus, Urne"):
    return batches.import_batch(vote, data or WOCHENMARKT.read_bytes(), station=station,
                                collected_on=collected_on, entered_by=staff,
                                file_name="urne.csv")[0]


def test_the_ballot_box_emptied_after_the_close_still_counts(closed, staff):
    batch = _import(closed, staff, services.closing_day(closed))
    db.session.commit()
    assert batch.status == "counted" and tally(closed).paper_ballots == 120
    assert not tally(closed).final


def test_cards_collected_after_the_closing_day_are_refused(closed, staff):
    later = services.closing_day(closed) + timedelta(days=1)
    with pytest.raises(batches.CollectedAfterClose) as refused:
        _import(closed, staff, later)
    assert refused.value.field == "collected_on"
    assert f"{services.closing_day(closed).day}." in str(refused.value)
    with pytest.raises(batches.CollectedAfterClose):
        batches.open_batch(closed, "Stand", later, staff)


def test_while_open_a_date_after_the_closing_day_is_refused_too(vote, staff):
    with pytest.raises(batches.CollectedAfterClose):
        batches.open_batch(vote, "Stand", services.closing_day(vote) + timedelta(days=1), staff)
    assert batches.open_batch(vote, "Stand", services.closing_day(vote), staff)


def test_a_vote_closing_at_midnight_closes_on_the_day_before(app):
    vote = make_vote(project_factories.project(), opens_at=datetime(2026, 10, 1),
                     closes_at=datetime(2026, 10, 31, 23, 0))  # UTC: 1 November, 0:00 local
    assert services.closing_day(vote) == date(2026, 10, 31)


def test_the_result_cannot_be_final_while_the_vote_is_open(vote, staff):
    with pytest.raises(final.NotClosedYet):
        final.declare_final(vote, staff)


def test_a_batch_being_entered_or_checked_keeps_the_result_provisional(closed, staff):
    batch = batches.open_batch(closed, "Infostand", services.closing_day(closed), staff)
    db.session.commit()
    with pytest.raises(final.BatchesPending) as refused:
        final.declare_final(closed, staff)
    assert "Infostand" in str(refused.value)
    batches.void_batch(batch, staff, "leer")
    final.declare_final(closed, staff)
    db.session.commit()
    assert closed.is_final and closed.final_by_id == staff.id


def test_the_declaration_is_audited_and_then_nothing_changes(closed, staff):
    cast_before = tally(closed).online_ballots
    batch = _import(closed, staff, services.closing_day(closed))
    db.session.commit()
    final.declare_final(closed, staff)
    db.session.commit()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "vote.final"))
    assert entry.actor_id == staff.id and entry.details == {"online": cast_before, "paper": 120,
                                                              "tally": 0}
    with pytest.raises(final.AlreadyFinal):
        final.declare_final(closed, staff)
    with pytest.raises(batches.ResultIsFinal):
        _import(closed, staff, services.closing_day(closed), data=b"serial,entwurf,name\nX-1,A,\n")
    with pytest.raises(batches.ResultIsFinal):
        batches.open_batch(closed, "Stand", services.closing_day(closed), staff)
    with pytest.raises(batches.ResultIsFinal):
        batches.void_batch(batch, staff, "doch nicht")
    with pytest.raises(setup.VoteFinal):
        setup.update_vote(closed, staff, slug=closed.slug, title="Neu", description="",
                          opens_at=closed.opens_at, closes_at=closed.closes_at,
                          results_visibility=closed.results_visibility)
    with pytest.raises(setup.VoteFinal):
        vote_questions.delete_option(closed.questions[0].options[0], staff)
    assert tally(closed).paper_ballots == 120


def test_json_says_whether_the_result_is_final(closed, staff):
    assert as_json(tally(closed))["final"] is False
    final.declare_final(closed, staff)
    assert as_json(tally(closed))["final"] is True


def test_results_after_the_final_result_are_hidden_until_then(app, staff):
    now = utcnow()
    vote = make_vote(project_factories.project(), visibility="after_final",
                     opens_at=now - timedelta(days=3), closes_at=now - timedelta(hours=1))
    citizen = factories.user()
    assert not services.results_visible(vote, citizen)
    assert services.results_visible(vote, staff)
    final.declare_final(vote, staff)
    assert services.results_visible(vote, citizen)


def test_online_ballots_waiting_at_the_close_are_in_the_final_result(app, staff, monkeypatch):
    monkeypatch.setitem(app.config, "BALLOT_MIX_SIZE", 3)
    vote = make_vote(project_factories.project())
    for _voter in range(2):
        cast(vote, factories.user(), {"entwurf": "A"})
    vote.closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    final.declare_final(vote, staff)
    assert tally(vote).online_ballots == 2 and vote.sealed_at is not None
