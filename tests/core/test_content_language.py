"""In the English interface, German content keeps its language and says so (WCAG 3.1.2);
in the German interface nothing needs marking."""

import re

import pytest

from tests.projects import factories as project_factories
from tests.votes.factories import make_vote


def page_in(client, lang: str, url: str) -> str:
    with client.session_transaction() as session:
        session["lang"] = lang
    return client.get(url).get_data(as_text=True)


@pytest.fixture
def vote(app_ctx):
    project = project_factories.project(title="Platz vor dem Pfalztheater", slug="platz")
    return make_vote(project, slug="abstimmung", title="Entwurf und Name")


def test_english_pages_mark_german_content(client, vote):
    project_page = page_in(client, "en", "/projects/platz")
    assert '<h1 lang="de">Platz vor dem Pfalztheater</h1>' in project_page
    assert '<h3 lang="de"><a href="/votes/abstimmung">Entwurf und Name</a></h3>' in project_page
    vote_page = page_in(client, "en", "/votes/abstimmung")
    assert '<h1 lang="de">Entwurf und Name</h1>' in vote_page
    assert re.search(r'<h3 lang="de">[^<]+</h3>', vote_page)  # a question, read-only
    assert re.search(r'<strong>A – <span lang="de">[^<]+</span></strong>', vote_page)
    assert '<span lang="de">Platz vor dem Pfalztheater</span>' in vote_page  # breadcrumb
    home = page_in(client, "en", "/")
    assert '<h3 lang="de">' in home


def test_german_pages_leave_content_unmarked(client, vote):
    for url in ("/", "/projects/platz", "/votes/abstimmung"):
        page = page_in(client, "de", url)
        head, body = page.split("<head>", 1)
        assert '<html lang="de">' in head
        assert not re.search(r'\slang="de"', body), url


def test_content_is_escaped_inside_its_span(client, app_ctx):
    project = project_factories.project(title="<b>Platz</b>", slug="platz2")
    make_vote(project, slug="escaped", title="A & B <i>")
    page = page_in(client, "en", "/votes/escaped")
    assert '<span lang="de">&lt;b&gt;Platz&lt;/b&gt;</span>' in page
    assert "<i>" not in page.split("</header>", 1)[1]
