"""A board's list page: search, filters, sorts and pages through the query string (a GET
form), only known values used, never more than a few queries, and nothing listed, found or
counted that the person may not see."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from mitwirkung.core.moderation import ModerationState
from mitwirkung.core.time import utcnow
from mitwirkung.proposals.models import IdeaStatus
from tests import factories as user_factories
from tests.conftest import signed_in_client

from . import factories

IDEAS = [
    # title, text, place, category, status, supports
    ("Offene Bühnen am Stiftsplatz", "Musik und Theater für alle.", "Stiftsplatz", "Kultur",
     IdeaStatus.ACCEPTED, 12),
    ("Mehr Bäume", "Schatten in der Fackelstraße im Sommer.", "Fackelstraße", "Umwelt",
     IdeaStatus.SUBMITTED, 30),
    ("Kinderfest", "Ein Fest für Kinder mit einer Bühne.", "", "Kultur",
     IdeaStatus.IN_REVIEW, 3),
    ("Straßenfeste", "Feste in jeder Straße der Innenstadt.", "Innenstadt", "Sport",
     IdeaStatus.IMPLEMENTED, 7),
]


@pytest.fixture
def board(app):
    """A board with four public ideas, each a day newer than the one before, and ideas
    nobody but their author and staff may see."""
    board = factories.board(slug="innenstadt")
    categories = {category.name: category for category in board.categories}
    start = utcnow() - timedelta(days=10)
    for n, (title, text, place, category, status, supports) in enumerate(IDEAS):
        factories.idea(board, title=title, text=text, place=place,
                       category=categories[category], status=status,
                       supports_count=supports, created_at=start + timedelta(days=n))
    return board


@pytest.fixture
def author(app, board):
    """A resident with a pending, a rejected and a withdrawn idea, all about a Bühne."""
    author = user_factories.user()
    factories.idea(board, author, title="Wartende Bühne", state=ModerationState.PENDING)
    factories.idea(board, author, title="Abgelehnte Bühne", state=ModerationState.REJECTED)
    factories.idea(board, author, title="Zurückgezogene Bühne", withdrawn_at=utcnow(),
                   withdraw_reason="done")
    return author


def page(client, query: str = "", slug: str = "innenstadt") -> str:
    response = client.get(f"/boards/{slug}" + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def titles(html: str) -> list[str]:
    """The ideas' titles in the order listed."""
    return [unescape(title) for title in
            re.findall(r'<h3 class="idea-title"><a [^>]*>([^<]+)</a></h3>', html)]


def heading(html: str) -> str:
    return re.search(r'<h2 id="ideas-heading">(.*?)</h2>', html, re.S).group(1).strip()


def category_id(board, name: str) -> int:
    return next(category.id for category in board.categories if category.name == name)


# Search ---------------------------------------------------------------------------------


@pytest.mark.parametrize("words, found", [
    ("Bühne", {"Offene Bühnen am Stiftsplatz", "Kinderfest"}),
    ("bühnen", {"Offene Bühnen am Stiftsplatz", "Kinderfest"}),
    ("Baum", {"Mehr Bäume"}),
    ("FACKELSTRASSE", {"Mehr Bäume"}),
    ("straßenfest", {"Straßenfeste"}),
    ("Innenstadt", {"Straßenfeste"}),  # the place is searched
    ("Bühne Kinder", {"Kinderfest"}),  # every word
    ("Zirkuszelt", set()),
])
def test_german_search_finds_stems_and_umlauts_through_the_page(client, board, words, found):
    html = page(client, f"q={words}")
    assert set(titles(html)) == found
    assert heading(html) == (f"{len(found)} Ideen gefunden" if len(found) != 1
                             else "1 Idee gefunden")


def test_nothing_found_says_so_and_offers_the_whole_list(client, board):
    html = page(client, "q=Zirkuszelt")
    assert "Keine Idee passt zu Ihrer Suche und den Filtern." in html
    assert 'href="/boards/innenstadt">Alle Ideen zeigen</a>' in html


# Filters --------------------------------------------------------------------------------


def test_filters_by_category_and_status(client, board):
    kultur = category_id(board, "Kultur")
    assert set(titles(page(client, f"category={kultur}"))) == {
        "Offene Bühnen am Stiftsplatz", "Kinderfest"}
    assert titles(page(client, "status=implemented")) == ["Straßenfeste"]
    assert titles(page(client, f"category={kultur}&status=in_review")) == ["Kinderfest"]
    assert titles(page(client, f"category={kultur}&q=Musik")) == ["Offene Bühnen am Stiftsplatz"]


def test_my_ideas_are_the_persons_own_pending_ones_included(app, board, author):
    client = signed_in_client(app, author)
    mine = set(titles(page(client, "mine=1")))
    assert mine == {"Wartende Bühne", "Abgelehnte Bühne", "Zurückgezogene Bühne"}
    html = page(client, "mine=1")
    assert "Status: wartet auf Freigabe" in html and "Status: zurückgezogen" in html
    assert set(titles(page(client, "mine=1&q=Bühne"))) == mine


def test_visitors_have_no_my_ideas_filter_and_mine_changes_nothing_for_them(client, board):
    html = page(client, "mine=1")
    assert 'name="mine"' not in html
    assert len(titles(html)) == len(IDEAS)


# Sorts ----------------------------------------------------------------------------------


def test_newest_first_by_default_and_most_supported_on_request(client, board):
    newest = [title for title, *_rest in reversed(IDEAS)]
    assert titles(page(client)) == newest
    assert titles(page(client, "sort=newest")) == newest
    assert titles(page(client, "sort=supports")) == [
        "Mehr Bäume", "Offene Bühnen am Stiftsplatz", "Straßenfeste", "Kinderfest"]
    html = page(client, "sort=supports")
    assert '<option selected value="supports">meiste Unterstützung</option>' in html


def test_the_sorts_are_the_known_four(client, board):
    html = page(client)
    options = re.findall(r'<option (?:selected )?value="(\w+)">', html.split('id="sort"')[1]
                         .split("</select>")[0])
    assert options == ["newest", "supports", "discussed", "random"]


def test_most_discussed_counts_published_comments_only(app, client, board, author):
    from mitwirkung.comments import services as comment_services
    from mitwirkung.extensions import db

    quiet = factories.idea(board, title="Stille Idee")
    talked = factories.idea(board, title="Viel besprochene Idee")
    waiting = factories.idea(board, title="Idee mit wartenden Kommentaren")
    for n in range(2):
        comment, _ = comment_services.post("idea", talked, author, f"Kommentar {n}",
                                           submission_key=f"talked-{n}" + "k" * 16)
        comment.moderation_state = ModerationState.APPROVED
    for n in range(3):  # pending: nobody counts them
        comment_services.post("idea", waiting, author, f"Wartet {n}",
                              submission_key=f"waiting-{n}" + "k" * 16)
    db.session.commit()
    html = page(client, "sort=discussed")
    # Pending comments count for nobody: that idea ranks as undiscussed (newer first).
    assert titles(html)[:3] == [talked.title, waiting.title, quiet.title]
    assert "2 Kommentare" in html and "3 Kommentare" not in html


@pytest.fixture
def many(app):
    """A board with 45 public ideas: three pages."""
    board = factories.board(slug="viele")
    for n in range(45):
        factories.idea(board, title=f"Idee Nummer {n:02d}")
    return board


def test_random_order_stays_while_paging_and_differs_between_visitors(app, many):
    first, second = app.test_client(), app.test_client()
    pages = [titles(page(first, f"sort=random&page={n}", "viele")) for n in (1, 2, 3)]
    listed = [title for one in pages for title in one]
    assert sorted(listed) == sorted(f"Idee Nummer {n:02d}" for n in range(45))  # no overlap
    assert [titles(page(first, f"sort=random&page={n}", "viele")) for n in (1, 2, 3)] == pages
    assert listed != sorted(listed) and listed != sorted(listed, reverse=True)
    others = [title for n in (1, 2, 3)
              for title in titles(page(second, f"sort=random&page={n}", "viele"))]
    assert sorted(others) == sorted(listed) and others != listed


def test_a_tampered_seed_in_the_session_is_replaced(app, many):
    client = app.test_client()
    with client.session_transaction() as session:
        session["idea_order"] = "1; DROP TABLE ideas"
    assert len(titles(page(client, "sort=random", "viele"))) == 20
    with client.session_transaction() as session:
        assert isinstance(session["idea_order"], int)


# Pages ----------------------------------------------------------------------------------


def test_pages_keep_search_filters_and_sort_in_their_links(client, many):
    html = page(client, "q=Idee&sort=supports&page=2", "viele")
    links = {unescape(link) for link in re.findall(r'<a href="([^"]+)" rel="(?:prev|next)"', html)}
    assert len(links) == 2
    for link in links:
        query = parse_qs(urlsplit(link).query)
        assert query["q"] == ["Idee"] and query["sort"] == ["supports"]
        assert query["page"] in (["1"], ["3"])
    assert "Seite 2 von 3" in html


def test_each_idea_links_to_its_permalink(client, board):
    html = page(client)
    for idea_id in re.findall(r'<h3 class="idea-title"><a href="/boards/innenstadt/ideas/(\d+)"',
                              html):
        assert client.get(f"/boards/innenstadt/ideas/{idea_id}").status_code == 200


# Hostile parameters ----------------------------------------------------------------------


@pytest.mark.parametrize("query", [
    "sort=evil", "sort=", "sort=random%27--", "page=-1", "page=abc", "page=0",
    "category=999999", "category=abc", "category=-1", "category=99999999999999999999",
    "status=%3Cscript%3Ealert(1)%3C/script%3E", "status=pending", "mine=%3Cb%3E",
    "q=%27%20OR%201%3D1%20--", 'q=%22', "q=a%20%26%20!b", "q=x)%20|%20(y", "q=NEAR(a%20b)",
    "q=*", "q=title:Kinderfest", "q=" + "x" * 5000, "q=%F0%9F%92%A5",
    "sort=supports&sort=random", "page=1&page=2",
])
def test_hostile_parameters_are_ignored_and_never_reflected(client, board, query):
    response = client.get(f"/boards/innenstadt?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html and "<b>" not in html
    assert len(titles(html)) <= len(IDEAS)


def test_an_unknown_value_is_named_as_ignored_without_being_shown(client, board):
    html = page(client, "status=%3Cscript%3Ealert(1)%3C/script%3E&sort=evil&category=999999")
    assert "Keine gültige Auswahl" in html
    assert "alert(1)" not in html.split('<input type="hidden" name="next"')[0]
    assert len(titles(html)) == len(IDEAS)  # the list as if nothing was asked


@pytest.mark.parametrize("query, status", [
    ("page=" + "9" * 20, 404), ("page=100001", 404), ("q=a%00b", 400), ("sort=%00", 400),
    ("category=%FF", 400),
])
def test_pages_beyond_any_number_are_404_and_unreadable_bytes_400(client, board, query,
                                                                  status):
    assert client.get(f"/boards/innenstadt?{query}").status_code == status


def test_a_page_after_the_last_is_empty_and_says_so(client, board):
    html = page(client, "page=7")
    assert titles(html) == [] and "Zur ersten Seite" in html


# Visibility -----------------------------------------------------------------------------


def test_hidden_ideas_are_not_listed_found_or_counted_for_others(app, board, author):
    other = signed_in_client(app, user_factories.user())
    for client in (app.test_client(), other):
        for query in ("", "q=Bühne", "sort=supports", "sort=random", "status=submitted",
                      "mine=1"):
            html = page(client, query)
            for hidden in ("Wartende Bühne", "Abgelehnte Bühne", "Zurückgezogene Bühne"):
                assert hidden not in html, (query, hidden)
        assert heading(page(client)) == "4 Ideen"
        assert heading(page(client, "q=Bühne")) == "2 Ideen gefunden"


def test_the_author_and_staff_find_and_count_the_hidden_ideas(app, board, author):
    client = signed_in_client(app, author)
    assert heading(page(client)) == "7 Ideen"
    assert heading(page(client, "q=Bühne")) == "5 Ideen gefunden"
    staff = signed_in_client(app, user_factories.user(role="staff"))
    assert heading(page(staff, "q=Bühne")) == "5 Ideen gefunden"


# Markup ----------------------------------------------------------------------------------


def test_each_idea_is_a_list_item_with_a_heading_and_its_facts_as_text(client, board):
    html = page(client)
    items = re.findall(r'<li class="idea-summary">(.*?)</li>', html, re.S)
    assert len(items) == len(IDEAS)
    item = next(item for item in items if "Mehr Bäume" in item)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item))
    assert "Mehr Bäume" in text and "Kategorie: Umwelt" in text
    assert "Status: eingereicht, noch nicht beantwortet" in text
    assert "30 Unterstützungen" in text
    assert '<ol class="idea-list" aria-labelledby="ideas-heading">' in html


def test_the_search_form_works_without_javascript(client, board):
    html = page(client)
    form = re.search(r'<form method="get" action="/boards/innenstadt" role="search"', html)
    assert form is not None
    for name in ("q", "category", "status", "sort"):
        assert f'<label for="{name}">' in html


# Queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "q=Idee", "sort=supports", "sort=random", "sort=discussed",
                                   "category={category}&status=submitted&page=2"])
def test_a_page_runs_a_few_queries_whatever_the_number_of_ideas(app, count_queries, query):
    counts = {}
    citizen = user_factories.user()
    for size in (5, 50):
        board = factories.board(support_limit=3)
        for n in range(size):
            idea = factories.idea(board, title=f"Idee {n}", text="Eine Idee für alle.",
                                  category=board.categories[n % 3])
            if n % 4 == 0:
                factories.support(idea, citizen)
        url = f"/boards/{board.slug}?" + query.format(category=board.categories[0].id)
        counts[size] = {
            "visitor": count_queries(app.test_client(), url),
            "citizen": count_queries(signed_in_client(app, citizen), url),
            "staff": count_queries(signed_in_client(app, user_factories.user(role="staff")),
                                   url),
        }
    assert counts[5] == counts[50], counts
    assert max(counts[50].values()) <= 10, counts
