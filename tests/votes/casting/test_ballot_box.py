"""The cached ballot box: every change to a vote's set-up gives it a new version, and a
ballot cast from a stale box is decided on what the database holds now."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.votes.casting import ballot_box, mixing
from mitwirkung.votes.casting import services as casting
from mitwirkung.votes.casting.writes import write_online_ballot
from mitwirkung.votes.models import (
    Ballot,
    BallotAnswer,
    InboxBallot,
    OnlineTally,
    Participation,
    Vote,
)
from mitwirkung.votes.results.tally import tally
from mitwirkung.votes.setup import questions as vote_questions
from mitwirkung.votes.setup import services as setup

from ... import factories
from ...conftest import session_app
from ...projects import factories as project_factories
from ..factories import make_vote

pytestmark = pytest.mark.vote(slug="platz")


@pytest.fixture
def staff(app):
    return factories.user(role="staff")


def _version(vote) -> str:
    return db.session.scalar(select(Vote.box_version).where(Vote.id == vote.id))


def _rows() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Participation, InboxBallot, Ballot, BallotAnswer, OnlineTally))


def _cast_and_mix(slug, user, form) -> None:
    """As the cast view does (k is 1 in tests: every ballot is mixed at once)."""
    done = casting.cast_online(slug, user, form)
    db.session.commit()
    with session_app().app_context():
        mixing.mix_if_due(done.vote_id, done.waiting)


def _form(**answers) -> MultiDict:
    return MultiDict({f"q-{code}": option for code, option in answers.items()})


def _times(vote, opens_days: int, closes_days: int) -> dict:
    now = utcnow().replace(microsecond=0)
    return dict(slug=vote.slug, title=vote.title, description=vote.description,
                opens_at=now + timedelta(days=opens_days),
                closes_at=now + timedelta(days=closes_days),
                results_visibility=vote.results_visibility)


CHANGES = {
    "vote texts": lambda vote, staff: setup.update_vote(
        vote, staff, **dict(_times(vote, -1, 10), title="Neuer Titel")),
    "vote window": lambda vote, staff: setup.update_vote(vote, staff, **_times(vote, -2, 3)),
    "question added": lambda vote, staff: vote_questions.add_question(
        vote, staff, code="farbe", title="Welche Farbe?", help_text=""),
    "question changed": lambda vote, staff: vote_questions.update_question(
        vote.questions[0], staff, code="plan", title="Welcher Plan?", help_text=""),
    "question deleted": lambda vote, staff: vote_questions.delete_question(vote.questions[1],
                                                                           staff),
    "option added": lambda vote, staff: vote_questions.add_option(
        vote.questions[0], staff, code="D", title="Vierter Weg", text="", image_alt=""),
    "option changed": lambda vote, staff: vote_questions.update_option(
        vote.questions[0].options[0], staff, code="X", title="Offene Bühne", text="",
        image_alt=""),
    "option deleted": lambda vote, staff: vote_questions.delete_option(
        vote.questions[0].options[2], staff),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_every_change_to_a_vote_gives_it_a_new_box_version(vote, staff, change):
    before = _version(vote)
    change(vote, staff)
    db.session.commit()
    assert _version(vote) != before


def test_publishing_gives_a_new_box_version(app, staff):
    draft = make_vote(project_factories.project(), status="draft")
    before = _version(draft)
    setup.publish_vote(draft, staff)
    db.session.commit()
    assert _version(draft) != before


def test_a_write_against_an_old_version_writes_nothing(vote):
    box = ballot_box.read(vote.slug)
    chosen = casting.chosen_options(box, {"entwurf": "A", "name": None})
    waiting = write_online_ballot(db.session, box.id, "0" * 32, factories.user().id,
                                  utcnow().date(), chosen)
    assert waiting is None
    assert _rows() == (0, 0, 0, 0, 0)


def test_the_box_is_read_once_and_then_served_from_the_cache(vote):
    ballot_box.read(vote.slug)
    box, cached = ballot_box.lookup(vote.slug)
    assert cached and box.version == _version(vote)
    assert set(box.questions) == {"entwurf", "name"}


def test_a_stale_box_counts_the_ballot_as_the_vote_is_now(vote, staff):
    ballot_box.read(vote.slug)  # cached before staff add option D
    vote_questions.add_option(vote.questions[0], staff, code="D", title="Vierter Weg", text="",
                     image_alt="")
    db.session.commit()
    _cast_and_mix("platz", factories.user(), _form(entwurf="D", name="A"))
    entwurf = tally(vote).questions[0]
    assert [(o.code, o.count.online) for o in entwurf.options][-1] == ("D", 1)


def test_a_stale_box_does_not_count_a_removed_option(vote, staff):
    ballot_box.read(vote.slug)  # cached before staff remove option C
    vote_questions.delete_option(vote.questions[0].options[2], staff)
    db.session.commit()
    with pytest.raises(casting.InvalidBallot):
        casting.cast_online("platz", factories.user(), _form(entwurf="C"))
    assert _rows() == (0, 0, 0, 0, 0)


def test_a_stale_box_does_not_count_a_ballot_after_an_early_close(vote, staff):
    ballot_box.read(vote.slug)  # cached while open
    setup.update_vote(vote, staff, **_times(vote, -5, -1))
    db.session.commit()
    with pytest.raises(casting.VoteNotOpen):
        casting.cast_online("platz", factories.user(), _form(entwurf="A"))
    assert _rows() == (0, 0, 0, 0, 0)


def test_a_stale_box_does_not_refuse_a_vote_opened_again(vote, staff):
    setup.update_vote(vote, staff, **_times(vote, -5, -1))
    db.session.commit()
    ballot_box.read(vote.slug)  # cached while closed
    setup.update_vote(vote, staff, **_times(vote, -5, 5))
    db.session.commit()
    _cast_and_mix("platz", factories.user(), _form(entwurf="A"))
    assert tally(vote).online_ballots == 1


def test_a_stale_box_of_a_deleted_vote_is_not_found(vote):
    ballot_box.read(vote.slug)
    db.session.delete(vote)
    db.session.commit()
    with pytest.raises(casting.VoteNotFound):
        casting.cast_online("platz", factories.user(), _form(entwurf="A"))
    assert ballot_box.lookup("platz") == (None, False)
