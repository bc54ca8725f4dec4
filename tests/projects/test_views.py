"""Project pages as staff and visitors use them."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from mitwirkung.core.models import AuditEntry
from mitwirkung.core.time import local_today
from mitwirkung.extensions import db
from mitwirkung.projects.models import Project

from . import factories


def english(client):
    """Messages are asserted in English, whatever the German catalogue says."""
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client


@pytest.fixture
def staff_client(clients):
    db.session.commit()  # the users must survive the first request's session clean-up
    return english(clients["staff"])


@pytest.fixture
def client(clients):
    db.session.commit()
    return english(clients["visitor"])


@pytest.fixture
def uploaded_files(app):
    folder = Path(app.config["UPLOAD_DIR"])
    return lambda: set(folder.glob("*")) if folder.exists() else set()


def project_form(**fields) -> dict:
    values = {"title": "Neuer Spielplatz", "slug": "", "teaser": "Kurz gesagt", "description": ""}
    values.update(fields)
    return values


def by_slug(slug: str) -> Project | None:
    return db.session.scalar(select(Project).where(Project.slug == slug))


def audit_actions(project: Project) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.target_type == "projects", AuditEntry.target_id == project.id)
            .order_by(AuditEntry.id)
        )
    )


def test_staff_creates_a_draft_with_a_slug_suggested_from_the_title(staff_client):
    response = staff_client.post("/manage/projects/new", data=project_form())
    project = by_slug("neuer-spielplatz")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/projects/{project.id}/edit")
    assert project.status == "draft"
    assert audit_actions(project) == ["project.create"]


def test_taken_slug_is_reported_and_the_typed_values_are_kept(staff_client):
    factories.project(slug="spielplatz")
    db.session.commit()
    response = staff_client.post(
        "/manage/projects/new", data=project_form(slug="spielplatz", teaser="Mein Teaser")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Another project already uses this web address." in html
    assert 'id="error-summary"' in html
    assert 'value="Neuer Spielplatz"' in html and "Mein Teaser" in html
    assert by_slug("neuer-spielplatz") is None


def test_slug_with_capitals_or_spaces_is_refused(staff_client):
    response = staff_client.post("/manage/projects/new", data=project_form(slug="Mein Platz"))
    assert response.status_code == 200
    assert "Use only lower-case letters, digits and hyphens." in response.get_data(as_text=True)


def test_staff_edits_title_and_slug(staff_client):
    project = factories.project(slug="alt", title="Alt")
    db.session.commit()
    response = staff_client.post(
        f"/manage/projects/{project.id}/edit", data=project_form(title="Neu", slug="neu")
    )
    assert response.status_code == 302
    assert by_slug("neu").title == "Neu" and by_slug("alt") is None


def test_real_image_is_stored_and_shown_with_its_alt_text(staff_client, uploaded_files):
    before = uploaded_files()
    data = project_form(image_alt="Kinder auf der Schaukel")
    data["image_file"] = (io.BytesIO(factories.image_bytes("PNG")), "Mein Foto.png")
    staff_client.post("/manage/projects/new", data=data, content_type="multipart/form-data")
    project = by_slug("neuer-spielplatz")
    assert project.image and project.image.endswith(".png") and "Foto" not in project.image
    assert {p.name for p in uploaded_files() - before} == {project.image}
    page = staff_client.get(f"/projects/{project.slug}").get_data(as_text=True)
    assert f'src="/uploads/{project.image}" alt="Kinder auf der Schaukel"' in page


def test_an_untouched_image_field_saves_the_project_without_an_image(
    staff_client, uploaded_files
):
    # What a browser sends for an empty file input: a part with no file name and no bytes.
    before = uploaded_files()
    data = project_form(image_file=(io.BytesIO(b""), ""))
    response = staff_client.post("/manage/projects/new", data=data,
                                 content_type="multipart/form-data")
    assert response.status_code == 302
    project = by_slug("neuer-spielplatz")
    assert project.image is None and uploaded_files() == before
    again = project_form(title="Spielplatz", image_file=(io.BytesIO(b""), ""))
    edit = staff_client.post(f"/manage/projects/{project.id}/edit", data=again,
                             content_type="multipart/form-data")
    assert edit.status_code == 302 and project.title == "Spielplatz" and project.image is None


def test_fake_image_is_a_form_error_and_nothing_is_saved(staff_client, uploaded_files):
    before = uploaded_files()
    data = project_form(image_alt="Foto")
    data["image_file"] = (io.BytesIO(b"<svg onload=alert(1)></svg>"), "photo.png")
    response = staff_client.post(
        "/manage/projects/new", data=data, content_type="multipart/form-data"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This is not a valid JPEG, PNG or WebP image." in html
    assert 'value="Neuer Spielplatz"' in html
    assert by_slug("neuer-spielplatz") is None
    assert uploaded_files() == before


def test_image_without_alt_text_is_refused(staff_client, uploaded_files):
    before = uploaded_files()
    data = project_form()
    data["image_file"] = (io.BytesIO(factories.image_bytes("PNG")), "photo.png")
    response = staff_client.post(
        "/manage/projects/new", data=data, content_type="multipart/form-data"
    )
    assert "Please describe the image." in response.get_data(as_text=True)
    assert by_slug("neuer-spielplatz") is None
    assert uploaded_files() == before


def test_publish_archive_and_republish_via_post_are_audited(staff_client):
    project = factories.project(status="draft")
    db.session.commit()
    for action, status in (
        ("publish", "published"),
        ("archive", "archived"),
        ("publish", "published"),
    ):
        response = staff_client.post(f"/manage/projects/{project.id}/{action}")
        assert response.status_code == 302
        assert db.session.get(Project, project.id).status == status
    assert audit_actions(project) == ["project.publish", "project.archive", "project.publish"]


def test_archiving_a_draft_is_refused_with_a_message(staff_client):
    project = factories.project(status="draft")
    db.session.commit()
    response = staff_client.post(f"/manage/projects/{project.id}/archive", follow_redirects=True)
    assert "Only a published project can be archived." in response.get_data(as_text=True)
    assert db.session.get(Project, project.id).status == "draft"
    assert audit_actions(project) == []


def test_phase_ending_before_it_starts_is_refused_and_the_dates_are_kept(staff_client):
    project = factories.project()
    db.session.commit()
    response = staff_client.post(
        f"/manage/projects/{project.id}/phases/new",
        data={"title": "Abstimmung", "start_date": "2023-10-31", "end_date": "2023-08-21"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The end date must not be before the start date." in html
    assert 'value="2023-10-31"' in html and 'value="2023-08-21"' in html
    assert db.session.get(Project, project.id).phases == []


def test_unreadable_date_is_refused_and_the_typed_text_kept(staff_client):
    project = factories.project()
    db.session.commit()
    response = staff_client.post(
        f"/manage/projects/{project.id}/phases/new",
        data={"title": "Abstimmung", "start_date": "31.10.", "end_date": "2023-11-01"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="31.10."' in html and 'aria-invalid="true"' in html


def test_staff_adds_edits_and_deletes_a_phase(staff_client):
    project = factories.project()
    db.session.commit()
    staff_client.post(
        f"/manage/projects/{project.id}/phases/new",
        data={"title": "Werkstatt", "start_date": "2023-03-01", "end_date": "2023-06-30"},
    )
    phase = db.session.get(Project, project.id).phases[0]
    staff_client.post(
        f"/manage/projects/{project.id}/phases/{phase.id}/edit",
        data={"title": "Ideenwerkstatt", "start_date": "2023-03-01", "end_date": "2023-07-01"},
    )
    assert db.session.get(Project, project.id).phases[0].title == "Ideenwerkstatt"
    staff_client.post(f"/manage/projects/{project.id}/phases/{phase.id}/delete")
    assert db.session.get(Project, project.id).phases == []


def test_project_page_marks_the_current_phase_in_text(client, staff_client):
    project = factories.project(phases=[(-40, -31), (-30, 30), (31, 60)])
    db.session.commit()
    html = client.get(f"/projects/{project.slug}").get_data(as_text=True)
    assert html.count('class="current"') == 1
    assert "current phase" in html
    assert html.index("Phase 1") < html.index("Phase 2") < html.index("Phase 3")


def test_uploaded_document_is_listed_with_title_and_size(staff_client, client):
    project = factories.project()
    db.session.commit()
    pdf = b"%PDF-1.4\n" + b"x" * 3000
    response = staff_client.post(
        f"/manage/projects/{project.id}/documents/new",
        data={"title": "Protokoll der Arbeitsgruppe", "file": (io.BytesIO(pdf), "protokoll.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    document = db.session.get(Project, project.id).documents[0]
    html = client.get(f"/projects/{project.slug}").get_data(as_text=True)
    assert (f'href="/uploads/{document.file_name}"><span lang="de">Protokoll der Arbeitsgruppe'
            '</span></a>') in html
    assert "3 KB" in html
    assert client.get(f"/uploads/{document.file_name}").data == pdf


def test_document_that_is_no_pdf_is_a_form_error(staff_client, uploaded_files):
    project = factories.project()
    db.session.commit()
    before = uploaded_files()
    response = staff_client.post(
        f"/manage/projects/{project.id}/documents/new",
        data={"title": "Protokoll", "file": (io.BytesIO(b"<html>hi</html>"), "protokoll.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "This is not a valid PDF file." in response.get_data(as_text=True)
    assert db.session.get(Project, project.id).documents == []
    assert uploaded_files() == before


def test_script_and_javascript_links_in_the_description_are_neutralised(staff_client, client):
    description = (
        "Hallo **Welt**\n\n<script>alert('x')</script>\n\n"
        "[klick](javascript:alert(1))\n\n<img src=x onerror=alert(1)>"
    )
    staff_client.post("/manage/projects/new", data=project_form(description=description))
    project = by_slug("neuer-spielplatz")
    staff_client.post(f"/manage/projects/{project.id}/publish")
    html = client.get("/projects/neuer-spielplatz").get_data(as_text=True)
    assert "<strong>Welt</strong>" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert 'href="javascript' not in html
    assert "<img src=x" not in html

def test_draft_is_neither_on_the_home_page_nor_reachable_for_visitors(client, staff_client):
    factories.project(title="Öffentliches Projekt", phases=[(-1, 1)])
    draft = factories.project(title="Geheimer Entwurf", status="draft", phases=[(-1, 1)])
    with client.application.app_context():
        document = factories.document(draft, title="Geheimes Protokoll")
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert "Öffentliches Projekt" in home
    assert "Geheimer Entwurf" not in home and document.file_name not in home
    assert client.get(f"/projects/{draft.slug}").status_code == 404
    assert "Geheimer Entwurf" in staff_client.get(f"/projects/{draft.slug}").get_data(as_text=True)


def test_home_page_groups_running_upcoming_and_finished(client):
    factories.project(title="Läuft gerade", phases=[(-5, 5)])
    factories.project(title="Kommt bald", phases=[(10, 20)])
    factories.project(title="Ist vorbei", phases=[(-20, -10)])
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    running, upcoming, finished = (
        html.index(f'id="stage-{s}"') for s in ("running", "upcoming", "finished")
    )
    assert running < html.index("Läuft gerade") < upcoming < html.index("Kommt bald") < finished
    assert finished < html.index("Ist vorbei")


def test_pages_run_a_fixed_number_of_queries(app, client, count_queries):
    def queries(url: str) -> int:
        return count_queries(client, url)

    first = factories.project(phases=[(-1, 1), (2, 3)])
    db.session.commit()
    home_with_one, page_with_two = queries("/"), queries(f"/projects/{first.slug}")
    for _ in range(5):
        factories.project(phases=[(-1, 1), (2, 3), (4, 5)])
    with app.app_context():
        factories.document(first)
        factories.document(first)
    db.session.commit()
    assert 1 < queries("/") == home_with_one <= 10
    assert queries(f"/projects/{first.slug}") == page_with_two <= 10


def test_manage_list_shows_every_project_with_its_status(staff_client):
    factories.project(title="Entwurf A", status="draft")
    factories.project(title="Archiv B", status="archived")
    db.session.commit()
    html = staff_client.get("/manage/projects").get_data(as_text=True)
    assert "Entwurf A" in html and "Archiv B" in html
    assert "Draft" in html and "Archived" in html


def test_staff_removes_the_image(staff_client, uploaded_files):
    data = project_form(image_alt="Foto")
    data["image_file"] = (io.BytesIO(factories.image_bytes("JPEG")), "a.jpg")
    staff_client.post("/manage/projects/new", data=data, content_type="multipart/form-data")
    project = by_slug("neuer-spielplatz")
    stored = project.image
    staff_client.post(
        f"/manage/projects/{project.id}/edit",
        data=project_form(slug="neuer-spielplatz", remove_image="y"),
    )
    assert by_slug("neuer-spielplatz").image is None
    assert stored not in {p.name for p in uploaded_files()}


def test_card_shows_the_current_phase_up_to_its_last_day(client):
    today = local_today()
    factories.project(title="Heute", phases=[(today - timedelta(days=1), today)])
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert 'Current phase</span> <span lang="de">Phase 1</span>' in html
