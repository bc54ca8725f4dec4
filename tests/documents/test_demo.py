"""The demo's text: Kaiserslautern's guidelines in their second version, a section changed
after a comment on the first, published comments and one pending; loading twice adds
nothing."""

from sqlalchemy import func, select

from mitwirkung.accounts.models import User
from mitwirkung.comments.models import Comment
from mitwirkung.demo import load_demo
from mitwirkung.documents import services
from mitwirkung.documents.demo import PROJECT_SLUG, TEXT_SLUG
from mitwirkung.documents.models import TextDocument
from mitwirkung.extensions import db


def test_the_demo_text_has_two_versions_and_comments_on_both(app):
    with app.test_request_context():
        load_demo()
        db.session.commit()
        document = services.find_text(PROJECT_SLUG, TEXT_SLUG, None)
        page = services.text_page(document)
        assert document.current_version == 2 and 6 <= len(page.current) <= 8
        assert page.open and not page.earlier
        changed = [line for line in page.current if line.section.was_changed]
        assert [line.section.heading for line in changed] == ["3. Vorhabenliste"]
        assert changed[0].earlier == 2 and "vierteljährlich" in changed[0].section.text
        assert sum(line.comments for line in page.current) == 5
        pending = db.session.scalars(select(Comment).where(
            Comment.moderation_state == "pending", Comment.link_kind == "section")).all()
        assert [c.author_id for c in pending] == [db.session.scalar(select(User.id).where(
            User.username == "citizen"))]
        load_demo()
        db.session.commit()
        assert db.session.scalar(select(func.count(TextDocument.id))) == 1
