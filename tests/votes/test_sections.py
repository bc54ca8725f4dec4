"""The votes of a project on its public page and on its staff page, added through the
project-sections registry (projects/ imports no feature)."""

from pathlib import Path

from mitwirkung.extensions import db
from mitwirkung.votes.models import VoteStatus
from tests.projects import factories as project_factories

from .factories import make_vote

PROJECTS = Path(__file__).resolve().parents[2] / "mitwirkung" / "projects"


def test_the_staff_page_of_a_project_lists_its_votes_drafts_too_with_new_vote(
    app, staff_client, count_queries
):
    project = project_factories.project()
    make_vote(project, slug="lesegarten", title="Lesegarten")
    make_vote(project, slug="entwurf", title="Noch ein Entwurf", status=VoteStatus.DRAFT)
    make_vote(project_factories.project(), slug="anderswo", title="Anderswo")
    db.session.commit()
    url = f"/manage/projects/{project.id}/edit"
    page = staff_client.get(url).get_data(as_text=True)
    assert 'href="/manage/votes/lesegarten"' in page and "Noch ein Entwurf" in page
    assert "Anderswo" not in page
    assert "Draft" in page and "Open" in page
    assert f'href="/manage/votes/new?project={project.id}"' in page
    assert count_queries(staff_client, url) <= 10


def test_the_staff_page_offers_new_vote_before_there_is_any(app, staff_client):
    project = project_factories.project()
    db.session.commit()
    page = staff_client.get(f"/manage/projects/{project.id}/edit").get_data(as_text=True)
    assert "No votes yet." in page and f"/manage/votes/new?project={project.id}" in page


def test_the_public_page_shows_published_votes_only_and_no_staff_links(app, client):
    project = project_factories.project()
    make_vote(project, slug="lesegarten", title="Lesegarten")
    make_vote(project, slug="entwurf", title="Noch ein Entwurf", status=VoteStatus.DRAFT)
    db.session.commit()
    page = client.get(f"/projects/{project.slug}").get_data(as_text=True)
    assert 'href="/votes/lesegarten"' in page and "Noch ein Entwurf" not in page
    assert "/manage/votes/new" not in page


def test_a_project_without_votes_shows_visitors_no_votes_section(app, client):
    project = project_factories.project()
    db.session.commit()
    page = client.get(f"/projects/{project.slug}").get_data(as_text=True)
    assert 'id="votes"' not in page


def test_projects_import_no_feature():
    for path in PROJECTS.glob("*.py"):
        source = path.read_text()
        assert "..votes" not in source and "mitwirkung.votes" not in source, path.name
