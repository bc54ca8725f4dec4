"""The demo's comments: a discussion with a staff reply, one waiting for the moderators, on
an idea, a project, a vote option and the sections of a text; loading the demo again adds
none."""

from sqlalchemy import func, select

from mitwirkung.comments.models import Comment
from mitwirkung.demo import load_demo
from mitwirkung.extensions import db


def test_the_demo_has_comments_of_every_kind_and_adds_them_once(app_ctx):
    load_demo()
    comments = db.session.scalars(select(Comment)).all()
    assert {c.link_kind for c in comments} == {"idea", "project", "option", "section"}
    assert any(c.parent_id for c in comments)
    # One waits on an idea (and the texts' demo has one of its own).
    assert sum(c.is_pending for c in comments if c.link_kind == "idea") == 1
    assert all(c.text_html for c in comments)
    count = len(comments)
    load_demo()
    assert db.session.scalar(select(func.count()).select_from(Comment)) == count
