"""Every route of texts as each role meets it: role x route x method -> status, on fresh
objects for every request. Forms are sent empty, so a request that is let in comes back
with errors instead of changing anything."""

import pytest

from mitwirkung.extensions import db

from ..projects import factories as project_factories
from . import factories

ROLES = ("visitor", "unconfirmed", "citizen", "moderator", "staff", "admin")
LOGIN = 302


def roles(default, **special) -> dict:
    return {role: special.get(role, default) for role in ROLES}


def staff_only(status):
    return roles(403, visitor=LOGIN, staff=status, admin=status)


TEXT = "/projects/{project}/texts/{text}"
SECTION = TEXT + "/sections/{section}"
DRAFT = "/projects/{draft}/texts/{draft_text}"
MANAGE = "/manage/texts/{text_id}"

MATRIX = [
    ("GET", TEXT, roles(200)),
    ("GET", SECTION, roles(200)),
    ("GET", SECTION + "/changes", roles(200)),
    ("GET", SECTION + "/changes?since=99999999999", roles(200)),
    ("GET", TEXT + "/sections/{other_section}", roles(404)),
    ("GET", TEXT + "/sections/999999", roles(404)),
    ("GET", "/projects/{project}/texts/no-such-text", roles(404)),
    ("GET", "/projects/no-such-project/texts/{text}", roles(404)),
    ("GET", DRAFT, roles(404, staff=200, admin=200)),
    ("GET", DRAFT + "/sections/{draft_section}", roles(404, staff=200, admin=200)),
    ("GET", DRAFT + "/sections/{draft_section}/changes", roles(404, staff=200, admin=200)),
    ("POST", TEXT, roles(405)),
    ("GET", "/comments/section/{section}", roles(200)),
    ("GET", "/comments/section/{draft_section}", roles(404, staff=200, admin=200)),
    ("POST", "/comments/section/{section}", roles(200, visitor=LOGIN, unconfirmed=403)),
    ("POST", "/comments/section/{draft_section}", roles(404, staff=200, admin=200)),
    ("GET", "/manage/projects/{project_id}/texts/new", staff_only(200)),
    ("POST", "/manage/projects/{project_id}/texts/new", staff_only(200)),
    ("GET", "/manage/projects/999999/texts/new", staff_only(404)),
    ("GET", MANAGE, staff_only(200)),
    ("POST", MANAGE, staff_only(200)),
    ("GET", "/manage/texts/999999", staff_only(404)),
    ("GET", MANAGE + "/versions/new", staff_only(200)),
    ("POST", MANAGE + "/versions/new", staff_only(200)),
    ("GET", MANAGE + "/comments.csv", staff_only(200)),
    ("GET", MANAGE + "/comments.csv?all=1", staff_only(200)),
    ("POST", MANAGE + "/comments.csv", roles(405)),
]


@pytest.fixture
def ids(app, project, document):
    draft = project_factories.project(status="draft", slug="entwurf")
    draft_text = factories.text(draft, slug="entwurf-text")
    other = factories.text(project, slug="andere")
    db.session.commit()
    return {"project": project.slug, "text": document.slug,
            "section": factories.section(document, "1-ziele").id,
            "other_section": other.sections[0].id, "draft": draft.slug,
            "draft_text": draft_text.slug, "draft_section": draft_text.sections[0].id,
            "project_id": project.id, "text_id": document.id}


@pytest.mark.parametrize(("method", "route", "expected"), MATRIX,
                         ids=[f"{m} {r}" for m, r, _ in MATRIX])
def test_each_role_gets_what_the_route_allows(as_, ids, method, route, expected):
    path = route.format(**ids)
    for role, status in expected.items():
        # An empty form: nothing is created, only the answer's status is looked at.
        response = as_(role).open(path, method=method, data={})
        assert response.status_code == status, (role, method, path)
        if status == LOGIN and role == "visitor":
            assert "/login" in response.headers["Location"]
