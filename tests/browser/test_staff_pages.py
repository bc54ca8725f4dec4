"""Project, staff and admin pages: German, one h1, zero axe violations."""

import pytest

from .a11y import check_page

PROJECT_PAGES = ["/projects/pfalztheater", "/projects/stadt-raum-wir", "/pages/datenschutz",
                 "/votes/pfalztheater", "/votes/pfalztheater/card", "/confirm", "/does-not-exist"]
STAFF_PAGES = ["/manage/projects", "/manage/projects/new", "/account", "/account/delete"]
ADMIN_PAGES = ["/admin/users", "/admin/audit", "/pages/impressum/edit"]


def log_in(page, live_server, role):
    page.goto("/login")
    page.fill("[name=login]", role)
    page.fill("[name=password]", live_server.demo_passwords[role])
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.mark.parametrize("path", PROJECT_PAGES)
def test_public_project_and_info_pages_are_accessible(page, path):
    page.goto(path)
    assert page.locator("h1").count() == 1
    check_page(page, "visitor-" + path.strip("/").replace("/", "-"))


def test_staff_pages_are_accessible(page, live_server):
    log_in(page, live_server, "staff")
    for path in STAFF_PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        check_page(page, "staff-" + path.strip("/").replace("/", "-"))
    page.goto("/manage/projects")
    page.get_by_role("link", name="Bearbeiten").first.click()
    check_page(page, "staff-project-edit")
    page.goto("/manage/projects/new")
    page.click("main button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    check_page(page, "staff-project-new-errors")


def test_admin_pages_are_accessible(page, live_server):
    log_in(page, live_server, "admin")
    for path in ADMIN_PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        check_page(page, "admin-" + path.strip("/").replace("/", "-"))
