"""Staff set up a board: its settings and phases, its categories, publishing; the board
shows on its project's pages (core/project_sections.py)."""

from datetime import date

import pytest
from sqlalchemy import select

from mitwirkung.core.models import AuditEntry
from mitwirkung.extensions import db
from mitwirkung.proposals.models import Board, BoardStatus

from ..projects import factories as project_factories
from . import factories
from .conftest import html


def board_form(**fields) -> dict:
    values = {"title": "Stadt.Raum.Wir.", "slug": "stadt-raum-wir", "description": "Ideen für "
              "die **Innenstadt**", "submit_until": "2026-03-23", "support_from": "2026-03-30",
              "support_until": "2026-04-13", "support_limit": "", "premoderation": "y",
              "rules": ""}
    values.update(fields)
    return {name: value for name, value in values.items() if value is not None}


def by_slug(slug: str) -> Board | None:
    return db.session.scalar(select(Board).where(Board.slug == slug))


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def project(app):
    item = project_factories.project(slug="kl", title="Innenstadt KL")
    db.session.commit()
    return item


def test_staff_create_a_draft_board_on_a_project(as_, project):
    client = as_("staff")
    page = html(client.get(f"/manage/boards/new?project={project.id}"))
    assert f'<option selected value="{project.id}">' in page
    response = client.post(f"/manage/boards/new?project={project.id}",
                           data=board_form(project_id=str(project.id)))
    assert response.status_code == 302
    board = by_slug("stadt-raum-wir")
    assert response.headers["Location"].endswith("/manage/boards/stadt-raum-wir")
    assert (board.status, board.project_id, board.premoderation) == ("draft", project.id, True)
    assert (board.submit_until, board.support_from, board.support_until) == (
        date(2026, 3, 23), date(2026, 3, 30), date(2026, 4, 13))
    assert "<strong>Innenstadt</strong>" in board.description_html
    assert actions() == ["board.create"]
    # Drafts are for staff only.
    assert as_("visitor").get("/boards/stadt-raum-wir").status_code == 404
    staff_page = html(client.get(f"/manage/projects/{project.id}/edit"))
    assert "Stadt.Raum.Wir." in staff_page and "New idea board" in staff_page


def test_pre_moderation_is_on_unless_staff_turn_it_off(as_, project):
    page = html(as_("staff").get(f"/manage/boards/new?project={project.id}"))
    assert 'checked id="premoderation" name="premoderation"' in page


@pytest.mark.parametrize("fields, message", [
    ({"slug": "Mit Leer"}, "Use only lower-case letters, digits and hyphens."),
    ({"slug": "new"}, "Another board already uses this web address."),
    ({"support_from": "2026-04-20", "support_until": "2026-04-13"},
     "Supporting must end on or after the day it starts."),
    ({"competition": "y", "rules": ""}, "A competition needs its rules"),
    ({"support_limit": "0"}, "Number must be between 1 and 10000."),
    ({"submit_until": "9999-12-31"}, "Please enter a year between 2000 and 2100."),
    ({"submit_until": "2026-02-30"}, "Not a valid date value."),
    ({"title": ""}, "This field is required."),
])
def test_refused_settings_say_why_and_keep_the_input(as_, project, fields, message):
    response = as_("staff").post(f"/manage/boards/new?project={project.id}",
                                 data=board_form(project_id=str(project.id), **fields))
    page = html(response)
    assert response.status_code == 200 and message in page, page
    assert 'value="Stadt.Raum.Wir."' in page or fields.get("title") == ""
    assert by_slug("stadt-raum-wir") is None and actions() == []


def test_a_taken_slug_is_refused(as_, project):
    factories.board(slug="belegt")
    response = as_("staff").post(f"/manage/boards/new?project={project.id}",
                                 data=board_form(project_id=str(project.id), slug="belegt"))
    assert "Another board already uses this web address." in html(response)


def test_staff_edit_settings_and_the_change_is_audited(as_, project):
    board = factories.board(project, slug="entwurf", status=BoardStatus.DRAFT,
                            premoderation=True)
    client = as_("staff")
    response = client.post("/manage/boards/entwurf", data=board_form(
        slug="umbenannt", competition="y", rules="1. Mitmachen", support_limit="3",
        map_enabled="y", premoderation=None))
    assert response.status_code == 302
    db.session.refresh(board)
    assert board.slug == "umbenannt" and board.competition and board.support_limit == 3
    assert board.map_enabled and not board.premoderation
    [entry] = db.session.scalars(select(AuditEntry)).all()
    assert entry.action == "board.update"
    assert {"slug", "competition", "rules", "support_limit", "map_enabled",
            "premoderation"} <= set(entry.details["changed"])


def test_publishing_makes_the_board_public_and_fixes_its_slug(as_, project):
    board = factories.board(project, slug="bald", status=BoardStatus.DRAFT)
    client = as_("staff")
    assert client.post("/manage/boards/bald/publish").status_code == 302
    db.session.refresh(board)
    assert board.status == "published" and actions() == ["board.publish"]
    assert as_("visitor").get("/boards/bald").status_code == 200
    page = html(client.get("/manage/boards/bald"))
    assert 'name="slug"' not in page
    client.post("/manage/boards/bald", data=board_form(slug="anders"))
    db.session.refresh(board)
    assert board.slug == "bald"
    client.post("/manage/boards/bald/publish")
    assert actions() == ["board.publish", "board.update"]


def test_categories_are_added_renamed_and_deleted_while_unused(as_, project):
    board = factories.board(project, slug="kat", categories=())
    client = as_("staff")
    refused = client.post("/manage/boards/kat/categories/new",
                          data={"name": "Kultur", "colour": "blue"})
    assert "six hexadecimal digits" in html(refused)
    client.post("/manage/boards/kat/categories/new", data={"name": "Kultur", "colour": "#7B2D8E"})
    client.post("/manage/boards/kat/categories/new", data={"name": "Sport", "colour": ""})
    db.session.refresh(board)
    culture, sport = board.categories
    assert (culture.name, culture.colour, sport.colour) == ("Kultur", "#7b2d8e", None)
    duplicate = client.post("/manage/boards/kat/categories/new", data={"name": "kultur"})
    assert "already has a category of this name" in html(duplicate)
    client.post(f"/manage/boards/kat/categories/{sport.id}/edit",
                data={"name": "Sport und Spiel", "colour": "#0b5a8a"})
    factories.idea(board, category=culture)
    page = html(client.get("/manage/boards/kat"))
    assert "Sport und Spiel" in page and "in use" in page
    client.post(f"/manage/boards/kat/categories/{culture.id}/delete")
    client.post(f"/manage/boards/kat/categories/{sport.id}/delete")
    db.session.refresh(board)
    assert [c.name for c in board.categories] == ["Kultur"]
    assert actions() == ["board.category_add", "board.category_add", "board.category_update",
                         "board.category_delete"]


def test_a_category_of_another_board_is_not_found(as_, project):
    factories.board(project, slug="eins")
    other = factories.board(project, slug="zwei")
    category = other.categories[0]
    client = as_("staff")
    assert client.get(f"/manage/boards/eins/categories/{category.id}/edit").status_code == 404
    assert client.post(f"/manage/boards/eins/categories/{category.id}/delete").status_code == 404


def test_the_colour_is_never_the_only_sign(as_, board):
    board.categories[0].colour = "#7b2d8e"
    idea = factories.idea(board, category=board.categories[0])
    page = html(as_("visitor").get(f"/boards/innenstadt/ideas/{idea.id}"))
    swatch = page.split('fill="#7b2d8e"', 1)[1]
    assert 'aria-hidden="true"' in page.split('fill="#7b2d8e"')[0].rsplit("<svg", 1)[1]
    assert swatch.split("</span>", 1)[0].endswith(board.categories[0].name)


def test_the_project_page_lists_its_published_boards(as_, project):
    factories.board(project, slug="offen", title="Offene Ideen")
    factories.board(project, slug="geheim", title="Geheime Ideen", status=BoardStatus.DRAFT)
    public = html(as_("visitor").get(f"/projects/{project.slug}"))
    assert "Offene Ideen" in public and "Geheime Ideen" not in public
    assert "Submit an idea" in public
    staff = html(as_("staff").get(f"/projects/{project.slug}"))
    assert "Geheime Ideen" in staff and "New idea board" in staff


@pytest.mark.parametrize("role", ["visitor", "other", "moderator"])
def test_setup_is_for_staff(as_, project, role):
    board = factories.board(project, slug="nur-staff")
    expected = 302 if role == "visitor" else 403
    for method, url in [("GET", "/manage/boards/new"), ("POST", "/manage/boards/new"),
                        ("GET", "/manage/boards/nur-staff"), ("POST", "/manage/boards/nur-staff"),
                        ("POST", "/manage/boards/nur-staff/publish"),
                        ("GET", "/manage/boards/nur-staff/categories/new"),
                        ("POST", f"/manage/boards/nur-staff/categories/{board.categories[0].id}"
                                 "/delete")]:
        assert as_(role).open(url, method=method).status_code == expected, url
    assert actions() == []
