"""Markdown on the pages that have it: rendered once when saved, a bomb refused by the form
with the typed text kept, and no page view rendering anything."""

import html

import pytest
from sqlalchemy import func, select

from mitwirkung.core import sanitize
from mitwirkung.extensions import db
from mitwirkung.pages.models import Page
from mitwirkung.projects.models import Project
from mitwirkung.votes.models import Vote

from ..conftest import signed_in_client
from ..projects import factories as project_factories
from ..votes.factories import make_vote

BOMB = "[" * 25_000 + "]" * 24_000
MESSAGE = "eckige Klammern"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def staff_client(app, staff):
    return signed_in_client(app, staff)


def assert_refused_and_kept(response, text=BOMB):
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and MESSAGE in page
    assert text[:200] in html.unescape(page)  # the textarea keeps what was typed


def test_a_bomb_in_a_project_description_is_a_form_error(staff_client):
    before = count(Project)
    response = staff_client.post("/manage/projects/new", data={
        "title": "Spielplatz", "slug": "", "teaser": "Kurz", "description": BOMB})
    assert_refused_and_kept(response)
    assert count(Project) == before


def test_a_bomb_in_a_vote_description_is_a_form_error(staff_client):
    project = project_factories.project()
    db.session.commit()
    response = staff_client.post(f"/manage/votes/new?project={project.id}", data={
        "project_id": project.id, "title": "Abstimmung", "slug": "abstimmung",
        "description": BOMB, "opens_at": "2026-08-21T08:00", "closes_at": "2026-10-31T18:00",
        "results_visibility": "after_close"})
    assert_refused_and_kept(response)
    assert count(Vote) == 0


def test_a_bomb_in_a_legal_page_is_a_form_error(app, admin):
    response = signed_in_client(app, admin).post(
        "/pages/impressum/edit", data={"title": "Impressum", "body": BOMB})
    assert_refused_and_kept(response)
    assert count(Page) == 0


def test_saving_stores_the_rendered_html(app_ctx):
    project = project_factories.project(description="Wir **bauen**.")
    vote = make_vote(project, description="Welcher *Entwurf*?")
    assert project.description_html == "<p>Wir <strong>bauen</strong>.</p>\n"
    assert vote.description_html == "<p>Welcher <em>Entwurf</em>?</p>\n"
    project.description = ""
    assert project.description_html == ""


def test_no_page_view_renders_markdown(app, client, monkeypatch):
    with app.app_context():
        project = project_factories.project(slug="gerendert", description="Ein **Plan**.")
        make_vote(project, slug="gerendert-abstimmung", description="Eine *Wahl*.")
        page = Page(slug="impressum", title="Impressum", body="Die **Stadt**.")
        db.session.add(page)
        db.session.commit()

    def no_rendering(*_args, **_kwargs):
        raise AssertionError("a page view rendered Markdown")

    monkeypatch.setattr(sanitize._MARKDOWN, "parse", no_rendering)
    for path, expected in (("/projects/gerendert", "<strong>Plan</strong>"),
                           ("/votes/gerendert-abstimmung", "<em>Wahl</em>"),
                           ("/pages/impressum", "<strong>Stadt</strong>")):
        response = client.get(path)
        assert response.status_code == 200 and expected in response.get_data(as_text=True)
