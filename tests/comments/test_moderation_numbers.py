"""The moderators' numbers: the median time from submission to a decision over the last 30
days, of comments and ideas together; and how the queue says how long an item waited."""

from datetime import timedelta

import pytest
from flask_babel import force_locale

from mitwirkung.comments.models import LinkKind
from mitwirkung.core import moderation_overview
from mitwirkung.core.moderation import ModerationState
from mitwirkung.core.time import utcnow

from ..proposals import factories as idea_factories
from .factories import comment


def decided(target, people, project, *, hours: float, days_ago: float = 1,
            state=ModerationState.APPROVED, by="moderator"):
    decided_at = utcnow() - timedelta(days=days_ago)
    return comment(target, LinkKind.IDEA, people["author"], project_id=project.id,
                   state=state, created_at=decided_at - timedelta(hours=hours),
                   moderated_at=decided_at,
                   moderated_by_id=people[by].id if by else None)


def test_no_decision_has_no_median(app_ctx, idea, people):
    assert moderation_overview.median_decision_time() is None


def test_the_median_of_an_odd_number_is_the_middle_one(app_ctx, idea, project, people):
    for hours in (1, 50, 3):
        decided(idea, people, project, hours=hours, state=ModerationState.REJECTED)
    assert moderation_overview.median_decision_time() == timedelta(hours=3)


def test_the_median_counts_ideas_and_comments_and_averages_the_middle_two(
        app_ctx, idea, project, people):
    decided(idea, people, project, hours=2)
    decided(idea, people, project, hours=10)
    decided(idea, people, project, hours=100)
    now = utcnow()
    idea_factories.idea(idea.board, people["author"], state=ModerationState.APPROVED,
                        created_at=now - timedelta(hours=4), moderated_at=now,
                        moderated_by_id=people["moderator"].id)
    # 2, 4, 10, 100 hours: (4 + 10) / 2
    assert moderation_overview.median_decision_time() == timedelta(hours=7)


def test_old_decisions_and_items_published_at_once_do_not_count(app_ctx, idea, project,
                                                                 people):
    decided(idea, people, project, hours=5)
    decided(idea, people, project, hours=500, days_ago=31)
    decided(idea, people, project, hours=0, by=None)  # staff: published at once
    comment(idea, LinkKind.IDEA, people["author"], project_id=project.id)  # still waiting
    assert moderation_overview.median_decision_time() == timedelta(hours=5)


def test_the_queue_page_shows_the_median(as_, idea, project, people):
    decided(idea, people, project, hours=30)
    page = as_("moderator").get("/moderation").get_data(as_text=True)
    assert "Median time to a decision, last 30 days" in page and "30 hours" in page


@pytest.mark.parametrize("delta, words", [
    (timedelta(seconds=20), "waiting for less than a minute"),
    (timedelta(minutes=1), "waiting for 1 minute"),
    (timedelta(minutes=59), "waiting for 59 minutes"),
    (timedelta(hours=1, minutes=59), "waiting for 1 hour"),
    (timedelta(hours=47), "waiting for 47 hours"),
    (timedelta(hours=48), "waiting for 2 days"),
])
def test_waiting_is_said_in_the_largest_fitting_unit(app, delta, words):
    with app.test_request_context(), force_locale("en"):
        assert moderation_overview.waiting_words(delta) == words


def test_waiting_reads_as_german_with_the_dative(app):
    with app.test_request_context(), force_locale("de"):
        assert moderation_overview.waiting_words(timedelta(days=3)) == "wartet seit 3 Tagen"
        assert moderation_overview.waiting_words(timedelta(hours=3)) == "wartet seit 3 Stunden"
