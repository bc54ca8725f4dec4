"""Staff switch a project's comments on or off and choose pre- or post-moderation on the
project's staff page; nobody else can."""

import re

import pytest

from mitwirkung.comments import services
from mitwirkung.core.models import AuditEntry
from mitwirkung.extensions import db


def test_staff_see_the_defaults_on_the_project_page(as_, project):
    page = as_("staff").get(f"/manage/projects/{project.id}/edit").get_data(as_text=True)
    assert 'id="comment-settings"' in page
    assert re.search(r'<input checked[^>]*name="enabled"', page)
    assert re.search(r'<input checked[^>]*value="pre"', page)
    assert not re.search(r'<input checked[^>]*value="post"', page)


def test_staff_switch_comments_off_and_to_post_moderation(as_, project):
    response = as_("staff").post(f"/manage/projects/{project.id}/comments",
                                 data={"moderation": "post"})
    assert response.status_code == 302
    saved = services.settings_of(project.id)
    assert saved.enabled is False and saved.moderation == "post"
    entry = db.session.query(AuditEntry).filter_by(action="project.comment_settings").one()
    assert entry.details["new"] == {"enabled": False, "moderation": "post"}
    as_("staff").post(f"/manage/projects/{project.id}/comments",
                      data={"enabled": "y", "moderation": "pre"})
    assert services.settings_of(project.id).enabled is True


def test_an_unknown_mode_changes_nothing(as_, project):
    as_("staff").post(f"/manage/projects/{project.id}/comments", data={"moderation": "none"})
    assert services.settings_of(project.id).moderation == "pre"


@pytest.mark.parametrize("name, status", [("visitor", 302), ("author", 403),
                                          ("moderator", 403)])
def test_nobody_else_changes_them(as_, project, name, status):
    response = as_(name).post(f"/manage/projects/{project.id}/comments", data={})
    assert response.status_code == status
    assert services.settings_of(project.id).enabled is True


def test_an_unknown_project_is_404(as_):
    assert as_("staff").post("/manage/projects/999999/comments", data={}).status_code == 404
