"""The board's list and an idea's page are kept for visitors (core/page_cache.py) and must
still be exact the moment anything on them changes: watched as a visitor reloading the page
while residents, moderators and staff act, through the app's own routes."""

import re

import pytest
from sqlalchemy import select

from mitwirkung.comments import services as comment_services
from mitwirkung.core import content_version, hiding
from mitwirkung.core.moderation import ModerationState
from mitwirkung.extensions import db
from mitwirkung.proposals.models import Category

from . import factories
from .conftest import html

TITLE = "Trinkbrunnen am Stiftsplatz"


@pytest.fixture
def idea(board, author):
    idea = factories.idea(board, author, title=TITLE, text="Wasser für alle.")
    db.session.commit()
    return idea


def list_url(board) -> str:
    return f"/boards/{board.slug}"


def idea_url(idea) -> str:
    return f"/boards/{idea.board.slug}/ideas/{idea.id}"


def without_token(response) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", html(response))


def test_a_visitors_page_is_kept_and_served_with_one_query(as_, idea, count_queries):
    visitor = as_("visitor")
    for url in (list_url(idea.board), idea_url(idea)):
        first = count_queries(visitor, url)
        again = count_queries(as_("visitor"), url)
        assert again == 1 < first  # the content version only
        assert without_token(visitor.get(url)) == without_token(as_("visitor").get(url))


def test_a_support_shows_at_once(as_, idea):
    visitor = as_("visitor")
    assert "0 supports" in html(visitor.get(idea_url(idea)))
    visitor.get(list_url(idea.board))
    as_("other").post(f"{idea_url(idea)}/support")
    assert "1 support" in html(visitor.get(idea_url(idea)))
    assert re.search(r"1\s+support", html(visitor.get(list_url(idea.board))))


def test_a_hidden_idea_is_gone_at_once(app, as_, idea, people):
    visitor = as_("visitor")
    assert TITLE in html(visitor.get(list_url(idea.board)))
    with app.test_request_context():
        hiding.hide(idea, people["moderator"], "Beleidigend.")
    db.session.commit()
    assert TITLE not in html(visitor.get(list_url(idea.board)))
    assert visitor.get(idea_url(idea)).status_code == 404


def test_an_approved_idea_appears_at_once(as_, board, author):
    pending = factories.idea(board, author, title="Wartende Idee",
                            state=ModerationState.PENDING)
    db.session.commit()
    visitor = as_("visitor")
    assert "Wartende Idee" not in html(visitor.get(list_url(board)))
    as_("moderator").post(f"/moderation/ideas/{pending.id}/approve")
    assert "Wartende Idee" in html(visitor.get(list_url(board)))


def test_a_published_comment_shows_at_once(app, as_, idea, people):
    visitor = as_("visitor")
    assert "Ein Kommentar für alle." not in html(visitor.get(idea_url(idea)))
    with app.test_request_context():
        comment_services.post("idea", idea, people["staff"], "Ein Kommentar für alle.",
                              submission_key="page-cache-comment-1")
    db.session.commit()
    assert "Ein Kommentar für alle." in html(visitor.get(idea_url(idea)))


def test_a_renamed_category_shows_at_once(as_, idea):
    visitor = as_("visitor")
    visitor.get(list_url(idea.board))
    category = db.session.scalars(select(Category).where(
        Category.board_id == idea.board_id)).first()
    as_("staff").post(f"/manage/boards/{idea.board.slug}/categories/{category.id}/edit",
                      data={"name": "Wasser und Grün", "colour": ""})
    assert "Wasser und Grün" in html(visitor.get(list_url(idea.board)))


def test_signed_in_people_never_get_the_visitors_page(as_, idea):
    as_("visitor").get(idea_url(idea))
    page = html(as_("other").get(idea_url(idea)))
    assert "My account" in page and "Log in to support" not in page


def test_a_waiting_message_is_shown_not_a_kept_page(as_, idea):
    as_("visitor").get(list_url(idea.board))
    visitor = as_("visitor")
    with visitor.session_transaction() as session:
        session["_flashes"] = [("info", "Eine Nachricht nur für Sie.")]
    assert "Eine Nachricht nur für Sie." in html(visitor.get(list_url(idea.board)))


def test_each_visitor_gets_their_own_form_token_which_works(app, as_, idea, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    tokens = []
    for _ in range(2):
        visitor = as_("visitor")
        page = html(visitor.get(list_url(idea.board)))
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        tokens.append(token)
        switched = visitor.post("/language", data={
            "csrf_token": token, "lang": "de", "next": list_url(idea.board)})
        assert switched.status_code == 302
    assert tokens[0] != tokens[1]


def test_a_visitors_random_order_is_theirs_alone(as_, idea, count_queries):
    url = f"{list_url(idea.board)}?sort=random"
    count_queries(as_("visitor"), url)
    assert count_queries(as_("visitor"), url) > 1  # read and rendered for this visitor


def test_casting_and_answering_leave_the_content_version_alone(app):
    """The busy writes of votes and surveys do not touch the one row (so they never wait
    for each other on it); a write that a page may show does."""
    assert not content_version.shows(
        "INSERT INTO ballot_inbox (vote_id, ballot) VALUES (?, ?)")
    assert not content_version.shows(
        "WITH p AS (INSERT INTO vote_participations (vote_id, user_id) VALUES (1, 2) "
        "ON CONFLICT DO NOTHING RETURNING vote_id) INSERT INTO ballot_inbox SELECT * FROM p")
    assert not content_version.shows(
        "INSERT INTO survey_tallies (survey_id) VALUES (1) "
        "ON CONFLICT (survey_id) DO UPDATE SET n = survey_tallies.n + 1")
    assert content_version.shows(
        "WITH new AS (INSERT INTO idea_supports (idea_id) VALUES (1) RETURNING idea_id) "
        "UPDATE ideas SET supports_count = supports_count + 1")
    assert content_version.shows('UPDATE "users" SET display_name = ? WHERE id = ?')
    assert content_version.shows("DELETE FROM ideas_fts WHERE rowid = 1")  # not placed
    assert not content_version.shows("SELECT * FROM ideas FOR UPDATE")
    assert not content_version.shows(
        "WITH x AS (SELECT id FROM ideas) SELECT * FROM x FOR UPDATE SKIP LOCKED")


def test_a_write_that_commits_on_its_own_stores_a_new_number_after_it(app):
    """PostgreSQL's requests that read first write one statement that commits on its own
    (core/database.py reads_first): outside the tests' rolled-back transaction, as there."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite writes in transactions only")
    with engine.connect() as reader:
        before = reader.execute(content_version._CURRENT).scalar()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as writer:
        writer.exec_driver_sql("UPDATE boards SET title = title WHERE id = -1")
        with engine.connect() as reader:  # before the connection is given back
            assert reader.execute(content_version._CURRENT).scalar() != before
