"""Every page of the URL map, opened in the browser as an admin in German (who may see them
all) and as a visitor in English: each answers, passes axe-core and fits a 320 px wide phone
(check_page). Routes that are not pages (files, JSON, CSV, POST-only actions) are left out."""

from sqlalchemy import select

from mitwirkung.accounts.models import User
from mitwirkung.extensions import db

from ..url_map import build_world, concrete_rules
from .a11y import check_page
from .test_staff_pages import log_in

NOT_PAGES = ("/static/", "/uploads/", "/api/", "/health", "/account/export", "/language",
             "/theme.css")


def page_paths(live_server) -> list[str]:
    """One concrete path for every GET rule that renders a page, in a world of objects that
    fills their arguments (tests/url_map.py)."""
    app = live_server.app
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.username == "staff"))
        world = build_world(staff)
        paths = [path for rule, method, path in concrete_rules(app, world)
                 if method == "GET" and not path.endswith((".csv", ".json"))
                 and not any(path.startswith(prefix) for prefix in NOT_PAGES)]
    return list(dict.fromkeys(paths))


def test_every_page_is_accessible_and_fits_a_phone_in_both_languages(page, live_server):
    paths = page_paths(live_server)
    assert len(paths) > 40
    log_in(page, live_server, "admin")
    seen = 0
    for path in paths:
        response = page.goto(path)
        assert response.status < 500, path
        if response.status == 200:
            seen += 1
        check_page(page, "every-page" + path.replace("/", "-"))
    assert seen > 40

    page.context.clear_cookies()
    page.goto("/")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    for path in paths:
        response = page.goto(path)
        assert response.status < 500, path
        check_page(page, "every-page-visitor" + path.replace("/", "-"))
