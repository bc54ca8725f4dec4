"""Casting online ballots: the rules."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.votes import services
from mitwirkung.votes.casting import ballot_box
from mitwirkung.votes.casting import services as casting
from mitwirkung.votes.models import Ballot, BallotAnswer, Participation
from mitwirkung.votes.results.tally import as_json, tally
from mitwirkung.votes.setup import questions as vote_questions

from ... import factories
from ...projects import factories as project_factories
from ..factories import cast, make_vote


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_ballot_is_counted_with_blank_for_unanswered_questions(vote):
    cast(vote, factories.user(), {"entwurf": "B"})
    result = tally(vote)
    entwurf, name = result.questions
    assert [o.count.online for o in entwurf.options] == [0, 1, 0]
    assert entwurf.options[1].percent == 100.0
    assert name.blank.online == 1 and name.valid == 0
    assert result.online_ballots == 1


def test_second_ballot_from_same_account_is_refused(vote):
    voter = factories.user()
    cast(vote, voter, {"entwurf": "A"})
    db.session.commit()
    with pytest.raises(casting.AlreadyVoted):
        cast(vote, voter, {"entwurf": "C"})
    db.session.rollback()
    assert _count(Ballot) == _count(Participation) == 1


@pytest.mark.parametrize(
    ("opens", "closes"), [(1, 5), (-5, -1)], ids=["not yet open", "closed"]
)
def test_ballot_outside_the_window_is_refused_and_writes_nothing(app, opens, closes):
    now = utcnow()
    vote = make_vote(project_factories.project(), opens_at=now + timedelta(days=opens),
                     closes_at=now + timedelta(days=closes))
    with pytest.raises(casting.VoteNotOpen):
        cast(vote, factories.user(), {"entwurf": "A"})
    assert _count(Ballot) == _count(Participation) == 0


def test_draft_vote_and_draft_project_refuse_ballots(app):
    draft = make_vote(project_factories.project(), status="draft")
    hidden = make_vote(project_factories.project(status="draft"))
    for vote in (draft, hidden):
        with pytest.raises(casting.VoteNotOpen):
            cast(vote, factories.user(), {"entwurf": "A"})
    assert _count(Ballot) == 0


def test_vote_without_questions_refuses_ballots(app):
    empty = make_vote(project_factories.project(), questions=[])
    with pytest.raises(casting.VoteNotOpen):
        cast(empty, factories.user(), {})
    assert _count(Ballot) == _count(Participation) == 0


def test_ballot_tallies_and_answers_agree_on_many_casts(vote):
    """Each dialect writes the ballot its own way; both leave the same consistent rows."""
    choices = [{"entwurf": "A", "name": "B"}, {"entwurf": "C"}, {}, {"name": "D"}] * 3
    for answers in choices:
        cast(vote, factories.user(), answers)
    result = tally(vote)
    entwurf, name = result.questions
    assert [o.count.online for o in entwurf.options] == [3, 0, 3]
    assert [o.count.online for o in name.options] == [0, 3, 0, 3]
    assert (entwurf.blank.online, name.blank.online) == (6, 6)
    assert result.online_ballots == _count(Ballot) == _count(Participation) == 12
    assert _count(BallotAnswer) == 24


def test_ballot_for_an_option_removed_meanwhile_is_refused_and_writes_nothing(vote):
    box = ballot_box.read(vote.slug)  # read before staff remove option C
    vote_questions.delete_option(vote.questions[0].options[2], factories.user(role="staff"))
    db.session.commit()
    with pytest.raises(casting.BallotOutdated):
        casting.cast_ballot(box, factories.user(), {"entwurf": "C", "name": "A"})
    db.session.rollback()
    assert _count(Ballot) == _count(Participation) == _count(BallotAnswer) == 0


def test_unconfirmed_or_blocked_accounts_cannot_vote(vote):
    for voter in (factories.user(confirmed=False), factories.user(blocked_at=utcnow())):
        with pytest.raises(casting.NotEntitled):
            cast(vote, voter, {"entwurf": "A"})
    assert _count(Ballot) == 0


@pytest.mark.parametrize(
    "answers", [{"entwurf": "D"}, {"farbe": "A"}, {"entwurf": "a"}],
    ids=["option of no question", "unknown question", "wrong case"],
)
def test_unknown_options_and_questions_are_refused(vote, answers):
    with pytest.raises(casting.InvalidBallot):
        cast(vote, factories.user(), answers)
    assert _count(Ballot) == 0


def test_option_of_another_vote_is_refused(vote):
    other = make_vote(project_factories.project(), questions=[("entwurf", "X", [("Z", "Zett")])])
    with pytest.raises(casting.InvalidBallot):
        cast(vote, factories.user(), {"entwurf": "Z"})
    assert other.questions[0].options[0].code == "Z"


def test_results_visibility(app):
    staff, citizen = factories.user(role="staff"), factories.user()
    live = make_vote(project_factories.project(), visibility="live")
    after = make_vote(project_factories.project(), visibility="after_close")
    closed = make_vote(project_factories.project(), visibility="after_close",
                       opens_at=utcnow() - timedelta(days=9),
                       closes_at=utcnow() - timedelta(days=1))
    draft = make_vote(project_factories.project(), status="draft")
    assert services.results_visible(live, citizen)
    assert not services.results_visible(after, citizen)
    assert services.results_visible(closed, citizen)
    assert not services.results_visible(draft, citizen)
    assert all(services.results_visible(v, staff) for v in (live, after, closed, draft))


def test_json_matches_the_contract(vote):
    for choice in ("A", "A", "C"):
        cast(vote, factories.user(), {"entwurf": choice, "name": "B"})
    data = as_json(tally(vote))
    assert data["vote"] == vote.slug and data["status"] == "open"
    assert data["ballots"] == {"online": 3, "paper": 0, "tally": 0}
    entwurf = data["questions"][0]
    assert entwurf["code"] == "entwurf" and entwurf["blank"] == 0 and entwurf["invalid"] == 0
    assert entwurf["options"][0] == {
        "code": "A", "title": "Offene Bühne", "online": 2, "paper": 0, "tally": 0, "total": 2,
    }
