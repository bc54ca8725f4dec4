"""The life of a contribution as core/moderation.py and core/hiding.py allow it, on a
comment: pending -> published or rejected (once, by someone other than the author, a
rejection with a reason); published -> hidden (with a reason, once); a deleted comment
waits for nobody. What each state means for everyone else is services.public_clause."""

import pytest
from sqlalchemy import select

from mitwirkung.comments import services
from mitwirkung.comments.models import Comment
from mitwirkung.core import hiding, moderation
from mitwirkung.core.moderation import ModerationState
from mitwirkung.extensions import db


@pytest.fixture(autouse=True)
def _request(app):
    # The author's mail after a decision builds links: a request context, as in a view.
    with app.test_request_context():
        yield


@pytest.fixture
def pending(idea, people):
    comment, _ = services.post("idea", idea, people["author"], "Ein Kommentar.",
                               submission_key="zustand-000000000000")
    db.session.flush()
    return comment


def public(comment) -> bool:
    return db.session.scalar(select(Comment.id).where(
        Comment.id == comment.id, services.public_clause())) is not None


def test_a_new_comment_waits_and_is_not_public(pending):
    assert pending.moderation_state == ModerationState.PENDING and not public(pending)


def test_approved_it_is_public_and_cannot_be_decided_again(pending, people):
    moderation.approve(pending, people["moderator"])
    assert pending.moderation_state == ModerationState.APPROVED and public(pending)
    with pytest.raises(moderation.AlreadyDecided):
        moderation.reject(pending, people["admin"], "zu spät")


def test_a_rejection_needs_a_reason_and_is_final(pending, people):
    with pytest.raises(moderation.ReasonRequired):
        moderation.reject(pending, people["moderator"], "  ")
    moderation.reject(pending, people["moderator"], "Beleidigend")
    assert pending.moderation_state == ModerationState.REJECTED and not public(pending)
    assert pending.moderation_reason == "Beleidigend"
    with pytest.raises(moderation.AlreadyDecided):
        moderation.approve(pending, people["admin"])
    with pytest.raises(hiding.NotHideable):
        hiding.hide(pending, people["moderator"], "Spam")


def test_nobody_decides_on_their_own_contribution(idea, people):
    own, _ = services.post("idea", idea, people["moderator"], "Von der Moderation.",
                           submission_key="zustand-eigen-00000000")
    own.moderation_state = ModerationState.PENDING
    db.session.flush()
    with pytest.raises(moderation.OwnContribution):
        moderation.approve(own, people["moderator"])


def test_only_a_published_comment_is_hidden_once_with_a_reason(pending, people):
    with pytest.raises(hiding.NotHideable):
        hiding.hide(pending, people["moderator"], "Spam")
    moderation.approve(pending, people["moderator"])
    with pytest.raises(hiding.HideReasonRequired):
        hiding.hide(pending, people["moderator"], "")
    hiding.hide(pending, people["moderator"], "Spam")
    assert pending.hidden_at is not None and not public(pending)
    with pytest.raises(hiding.NotHideable):
        hiding.hide(pending, people["admin"], "noch einmal")


def test_a_deleted_comment_waits_for_nobody(pending, people):
    services.delete(pending, people["author"])
    assert pending.text == "" and not public(pending)
    with pytest.raises(moderation.AlreadyDecided):
        moderation.approve(pending, people["moderator"])
