"""The demo's idea boards: Stadt.Raum.Wir. with ideas in every state, and the competition
in its admissibility check; loading twice adds nothing."""

from sqlalchemy import func, select

from mitwirkung.core.moderation import ModerationState
from mitwirkung.demo import load_demo
from mitwirkung.extensions import db
from mitwirkung.proposals import search, services
from mitwirkung.proposals.demo import COMPETITION, STADT_RAUM_WIR
from mitwirkung.proposals.models import Idea, IdeaEvent, Support


def counts():
    return (db.session.scalar(select(func.count(Idea.id))),
            db.session.scalar(select(func.count(Support.id))),
            db.session.scalar(select(func.count(IdeaEvent.id))))


def test_the_demo_boards_show_every_state_and_load_once(app):
    with app.test_request_context():
        load_demo()
        db.session.commit()
        board = services.get_board(STADT_RAUM_WIR)
        ideas = db.session.scalars(select(Idea).where(Idea.board_id == board.id)).all()
        assert 28 <= len(ideas) <= 35 and len(board.categories) >= 4
        states = {idea.moderation_state for idea in ideas}
        assert states == {ModerationState.APPROVED, ModerationState.PENDING,
                          ModerationState.REJECTED}
        assert sum(idea.withdrawn_at is not None for idea in ideas) == 1
        assert {idea.status for idea in ideas} >= {"submitted", "in_review", "accepted",
                                                   "rejected", "implemented"}
        for idea in ideas:  # the count beside each idea is its supports
            assert idea.supports_count == db.session.scalar(
                select(func.count(Support.id)).where(Support.idea_id == idea.id))
        assert services.supporting_open(board) and services.submitting_open(board)
        # Found by the German search, as any idea the ORM writes.
        query, _order = search.search(select(Idea).where(Idea.board_id == board.id), "Bühnen")
        assert db.session.scalars(query).all()

        contest = services.get_board(COMPETITION)
        entries = db.session.scalars(select(Idea).where(Idea.board_id == contest.id)).all()
        assert contest.competition and contest.rules
        assert not services.submitting_open(contest) and not services.supporting_open(contest)
        assert {e.feasibility for e in entries} == {"feasible", "not_feasible", None}
        assert any(e.shortlisted for e in entries)
        assert all(e.feasibility_reason for e in entries if e.feasibility == "not_feasible")

        before = counts()
        load_demo()
        db.session.commit()
        assert counts() == before
