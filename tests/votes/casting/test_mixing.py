"""The mix: ballots wait in the inbox, move in groups of at least k, count one step late,
and the close seals the vote with nothing lost."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.votes.casting import mixing
from mitwirkung.votes.casting import services as casting
from mitwirkung.votes.models import Ballot, InboxBallot, Participation, Vote, new_box_version
from mitwirkung.votes.results.tally import tally
from mitwirkung.votes.setup import services as setup

from ... import factories
from ..factories import cast

K = 3


@pytest.fixture(autouse=True)
def mix_size(app, monkeypatch):
    """k = 3, and an app context: results of a closed vote seal it, which is app code."""
    monkeypatch.setitem(app.config, "BALLOT_MIX_SIZE", K)
    with app.app_context():
        yield


def _cast(vote, count: int, choice="A") -> None:
    for _n in range(count):
        cast(vote, factories.user(), {"entwurf": choice})


def _counted(vote) -> int:
    return tally(vote).online_ballots


def _waiting(vote) -> int:
    return db.session.scalar(select(func.count()).where(InboxBallot.vote_id == vote.id))


def _groups(vote) -> list[int]:
    return list(db.session.scalars(
        select(func.count()).where(Ballot.vote_id == vote.id).group_by(Ballot.mix)
        .order_by(Ballot.mix)))


def _close(vote) -> None:
    db.session.execute(update(Vote).where(Vote.id == vote.id).values(
        closes_at=utcnow() - timedelta(seconds=1), box_version=new_box_version()))
    db.session.commit()
    db.session.refresh(vote)


def test_a_cast_writes_its_participation_and_an_inbox_row_and_no_ballot(vote):
    _cast(vote, 1)
    assert _waiting(vote) == 1 and _groups(vote) == [] and _counted(vote) == 0
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 1


def test_k_waiting_ballots_move_as_one_group_and_count_at_the_next_step(vote):
    _cast(vote, K - 1)
    assert (_waiting(vote), _groups(vote), _counted(vote)) == (K - 1, [], 0)
    _cast(vote, 1)
    assert (_waiting(vote), _groups(vote), _counted(vote)) == (0, [K], 0)
    _cast(vote, 2 * K - 1)
    assert (_waiting(vote), _groups(vote), _counted(vote)) == (K - 1, [K, K], K)
    _cast(vote, 1)
    assert (_waiting(vote), _groups(vote), _counted(vote)) == (0, [K, K, K], 2 * K)


def test_the_close_mixes_the_remainder_with_the_newest_group_and_counts_everything(vote):
    _cast(vote, 2 * K + 1, choice="B")
    assert (_groups(vote), _counted(vote)) == ([K, K], K)
    _close(vote)
    result = tally(vote)
    assert result.online_ballots == 2 * K + 1
    assert [o.count.online for o in result.questions[0].options] == [0, 2 * K + 1, 0]
    assert (_waiting(vote), _groups(vote)) == (0, [K, K + 1])
    assert vote.sealed_at is not None


def test_a_vote_with_fewer_than_k_voters_counts_them_all_at_the_close(vote):
    _cast(vote, K - 1)
    _close(vote)
    assert _counted(vote) == K - 1 and _groups(vote) == [K - 1]


def test_a_sealed_vote_takes_no_ballot_and_cannot_open_again(vote, staff):
    _cast(vote, 1)
    _close(vote)
    tally(vote)
    with pytest.raises(casting.VoteNotOpen):
        _cast(vote, 1)
    with pytest.raises(setup.AlreadyCounted):
        setup.update_vote(vote, staff, slug=vote.slug, title=vote.title,
                          description=vote.description, opens_at=vote.opens_at,
                          closes_at=utcnow() + timedelta(days=1),
                          results_visibility=vote.results_visibility)
    assert _counted(vote) == 1


def test_a_mix_that_fails_midway_loses_nothing(vote, monkeypatch, caplog):
    _cast(vote, K - 1)

    def crash(*_args):
        raise OperationalError("INSERT", {}, Exception("server gone"))

    with monkeypatch.context() as patched:
        patched.setattr(mixing, "_insert", crash)
        _cast(vote, 1)  # the mix it starts takes the inbox, then fails: all of it rolls back
    assert (_waiting(vote), _groups(vote)) == (K, [])
    assert "its ballots wait" in caplog.text
    _cast(vote, K)  # the next mix, at 2k waiting, takes them all
    assert (_waiting(vote), _groups(vote)) == (0, [2 * K])
    _close(vote)
    assert _counted(vote) == 2 * K


def test_with_k_1_every_ballot_counts_at_once(vote, app, monkeypatch):
    monkeypatch.setitem(app.config, "BALLOT_MIX_SIZE", 1)
    _cast(vote, 2)
    assert (_waiting(vote), _groups(vote), _counted(vote)) == (0, [1, 1], 2)


def test_of_concurrent_casts_only_the_kth_starts_a_mix_until_2k_wait():
    assert [n for n in range(1, 26) if mixing.is_due(n, 10)] == [10, 20, 21, 22, 23, 24, 25]
    assert [n for n in range(1, 4) if mixing.is_due(n, 1)] == [1, 2, 3]


def test_a_mix_that_finds_fewer_than_k_takes_none(vote, monkeypatch):
    """The count read under the lock can be a moment old (PostgreSQL): another mix may have
    just taken most of the inbox. The mix then writes nothing rather than a small group."""
    take = mixing._take_inbox
    with monkeypatch.context() as patched:
        patched.setattr(mixing, "_take_inbox", lambda vote_id: take(vote_id)[:K - 1])
        _cast(vote, K)
    assert (_waiting(vote), _groups(vote)) == (K, [])
