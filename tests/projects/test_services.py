"""Project rules and operations, called without a request."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from mitwirkung.core.models import AuditEntry
from mitwirkung.core.time import local_today
from mitwirkung.extensions import db
from mitwirkung.projects import services
from mitwirkung.projects.models import Phase, Project

from . import factories

TODAY = date(2023, 9, 1)


def project_with(*spans, status="published") -> Project:
    """An unsaved project with phases given as (start, end) day offsets from TODAY."""
    phases = [
        Phase(id=n, title=f"P{n}", start_date=TODAY + timedelta(a), end_date=TODAY + timedelta(b))
        for n, (a, b) in enumerate(spans, start=1)
    ]
    return Project(title="T", slug="t", status=status, phases=phases)


@pytest.mark.parametrize(
    ("spans", "status", "expected"),
    [
        ([(1, 10)], "published", "upcoming"),
        ([(1, 10), (20, 30)], "published", "upcoming"),
        ([(0, 10)], "published", "running"),
        ([(-10, 0)], "published", "running"),  # the last day of a phase still counts
        ([(-30, -20), (20, 30)], "published", "running"),  # a gap between phases
        ([(-30, -1)], "published", "finished"),
        ([(-30, -20), (-19, -1)], "published", "finished"),
        ([(-10, 10)], "archived", "finished"),
        ([], "published", "running"),
    ],
)
def test_stage_follows_the_phase_dates_and_archiving(spans, status, expected):
    assert services.stage(project_with(*spans, status=status), TODAY) == expected


def test_current_phase_is_the_one_covering_today():
    project = project_with((-30, -1), (0, 5), (6, 40))
    assert services.current_phase(project, TODAY).title == "P2"


def test_no_current_phase_between_phases_or_before_the_first():
    assert services.current_phase(project_with((-30, -5), (5, 40)), TODAY) is None
    assert services.current_phase(project_with((1, 40)), TODAY) is None


def test_of_overlapping_phases_the_later_started_one_is_current():
    assert services.current_phase(project_with((-30, 30), (-2, 2)), TODAY).title == "P2"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Platz vor dem Pfalztheater", "platz-vor-dem-pfalztheater"),
        ("Grünflächen & Straßenbäume!", "gruenflaechen-strassenbaeume"),
        ("Café crème 2024", "cafe-creme-2024"),
        ("!!!", "project"),
    ],
)
def test_slug_is_suggested_from_the_title(title, slug):
    assert services.slugify(title) == slug


def test_empty_slug_is_derived_and_numbered_when_taken(app_ctx, staff):
    first = services.create_project(
        staff, title="Neuer Markt", slug="", teaser="t", description="", image_alt=""
    )
    second = services.create_project(
        staff, title="Neuer Markt", slug="", teaser="t", description="", image_alt=""
    )
    assert (first.slug, second.slug) == ("neuer-markt", "neuer-markt-2")
    assert first.status == "draft"


def test_typed_slug_that_is_taken_is_refused(app_ctx, staff):
    factories.project(slug="markt")
    with pytest.raises(services.SlugTaken):
        services.create_project(
            staff, title="Markt", slug="markt", teaser="t", description="", image_alt=""
        )
    assert db.session.scalar(select(db.func.count(Project.id)).where(Project.slug == "markt")) == 1


def test_phase_ending_before_it_starts_is_refused(app_ctx, staff):
    project = factories.project()
    with pytest.raises(services.InvalidDates):
        services.add_phase(
            project,
            staff,
            title="X",
            description="",
            start_date=TODAY,
            end_date=TODAY - timedelta(days=1),
        )
    assert project.phases == []


def test_phases_are_ordered_by_start_date(app_ctx, staff):
    project = factories.project()
    for title, offset in (("late", 20), ("early", 1), ("middle", 10)):
        day = TODAY + timedelta(offset)
        services.add_phase(
            project, staff, title=title, description="", start_date=day, end_date=day
        )
    db.session.expire(project)
    assert [p.title for p in project.phases] == ["early", "middle", "late"]


def test_publish_archive_and_republish_are_audited(app_ctx, staff):
    project = factories.project(status="draft")
    services.publish_project(project, staff)
    services.archive_project(project, staff)
    services.publish_project(project, staff)
    entries = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.target_type == "projects", AuditEntry.target_id == project.id
        )
    ).all()
    assert [e.action for e in entries] == ["project.publish", "project.archive", "project.publish"]
    assert {e.actor_id for e in entries} == {staff.id}
    assert project.status == "published" and project.published_at is not None


@pytest.mark.parametrize(
    ("status", "change"),
    [
        ("published", "publish_project"),
        ("draft", "archive_project"),
        ("archived", "archive_project"),
    ],
)
def test_status_change_from_the_wrong_status_is_refused(app_ctx, staff, status, change):
    project = factories.project(status=status)
    with pytest.raises(services.StatusChangeRefused):
        getattr(services, change)(project, staff)
    assert project.status == status


def test_home_page_groups_leave_out_drafts(app_ctx):
    today = local_today()
    running = factories.project(phases=[(-1, 1)])
    upcoming = factories.project(phases=[(5, 9)])
    finished = factories.project(status="archived", phases=[(-1, 1)])
    factories.project(status="draft", phases=[(-1, 1)])
    groups = services.public_projects_by_stage(today)
    assert [c.project for c in groups["running"]] == [running]
    assert [c.project for c in groups["upcoming"]] == [upcoming]
    assert [c.project for c in groups["finished"]] == [finished]


def test_draft_page_is_only_for_staff(app_ctx, staff, admin, citizen, moderator):
    draft = factories.project(status="draft")
    today = local_today()
    assert services.project_page(draft.slug, staff, today).project == draft
    assert services.project_page(draft.slug, admin, today).project == draft
    assert services.project_page(draft.slug, citizen, today) is None
    assert services.project_page(draft.slug, moderator, today) is None


def test_deleting_a_document_removes_its_file(app, app_ctx, staff):
    from pathlib import Path

    project = factories.project()
    document = factories.document(project)
    stored = Path(app.config["UPLOAD_DIR"]) / document.file_name
    assert stored.exists()
    services.delete_document(document, staff)
    assert not stored.exists()
    assert project.documents == []
