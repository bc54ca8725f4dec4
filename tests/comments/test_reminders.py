"""Moderators are e-mailed about items that have waited longer than
MODERATION_REMIND_AFTER_HOURS, each item once (`mitwirkung moderation remind`)."""

from datetime import timedelta

from mitwirkung.comments.models import LinkKind
from mitwirkung.core import moderation_reminders
from mitwirkung.core.moderation import ModerationState
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db

from .. import factories as user_factories
from ..proposals import factories as idea_factories
from .factories import comment


def ago(**delta):
    return utcnow() - timedelta(**delta)


def test_overdue_items_are_mailed_to_every_moderator_once(app_ctx, idea, project, people,
                                                          outbox):
    old = comment(idea, LinkKind.IDEA, people["author"], "Seit gestern", project_id=project.id,
                  created_at=ago(hours=25))
    old_idea = idea_factories.idea(idea.board, people["author"], title="Alte Idee",
                                   state=ModerationState.PENDING, created_at=ago(days=3))
    comment(idea, LinkKind.IDEA, people["author"], "Frisch", project_id=project.id,
            created_at=ago(hours=2))
    comment(idea, LinkKind.IDEA, people["author"], "Entschieden", project_id=project.id,
            created_at=ago(days=2), state=ModerationState.APPROVED)
    user_factories.user(role="moderator", blocked_at=utcnow())  # not told
    reminded = moderation_reminders.remind()
    db.session.commit()
    assert reminded == moderation_reminders.Reminded(items=2, moderators=2)
    mails = outbox()
    assert sorted(mail["To"] for mail in mails) == sorted(
        [people["moderator"].email, people["admin"].email])
    body = mails[0].get_content()
    assert mails[0]["Subject"] == "2 Beiträge warten auf eine Entscheidung"
    assert "seit mehr als 24 Stunden" in body
    assert body.index("Alte Idee") < body.index("Kommentar zu „Mehr Bänke“")
    assert f"http://mitwirkung.test/moderation#item-comments-{old.id}" in body
    assert f"http://mitwirkung.test/moderation#item-ideas-{old_idea.id}" in body
    assert "Frisch" not in body
    # The next run names nothing again.
    assert moderation_reminders.remind() == moderation_reminders.Reminded(0, 0)
    assert len(outbox()) == 2  # the two of the first run, no more


def test_an_item_that_becomes_overdue_later_is_named_then(app_ctx, idea, project, people,
                                                          outbox):
    item = comment(idea, LinkKind.IDEA, people["author"], "Bald", project_id=project.id,
                   created_at=ago(hours=23))
    assert moderation_reminders.remind().items == 0
    reminded = moderation_reminders.remind(now=utcnow() + timedelta(hours=2))
    assert reminded.items == 1
    assert f"#item-comments-{item.id}" in outbox()[0].get_content()


def test_the_time_is_set_in_the_configuration(app, app_ctx, idea, project, people):
    comment(idea, LinkKind.IDEA, people["author"], "Zwei Stunden", project_id=project.id,
            created_at=ago(hours=3))
    app.config["MODERATION_REMIND_AFTER_HOURS"] = 2
    try:
        assert moderation_reminders.remind().items == 1
    finally:
        app.config["MODERATION_REMIND_AFTER_HOURS"] = 24


def test_without_moderators_nothing_is_remembered(app_ctx, idea, project, people):
    comment(idea, LinkKind.IDEA, people["author"], "Alt", project_id=project.id,
            created_at=ago(days=2))
    for name in ("moderator", "admin"):
        people[name].role = "citizen"
    db.session.flush()
    assert moderation_reminders.remind() == moderation_reminders.Reminded(1, 0)
    assert moderation_reminders.newly_overdue()  # still to be named


def test_the_command_reminds_and_says_how_many(app, idea, project, people, outbox):
    comment(idea, LinkKind.IDEA, people["author"], "Alt", project_id=project.id,
            created_at=ago(days=2))
    result = app.test_cli_runner().invoke(args=["moderation", "remind"])
    assert result.exit_code == 0, result.output
    assert "1 overdue, 2 moderators told." in result.output
    assert len(outbox()) == 2
    again = app.test_cli_runner().invoke(args=["moderation", "remind"])
    assert "0 overdue" in again.output
