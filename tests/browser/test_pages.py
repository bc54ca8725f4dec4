"""Public pages load in German, have a heading and no axe-core violations."""

import pytest

from .a11y import check_page

PUBLIC_PAGES = ["/", "/login", "/register", "/reset", "/pages/impressum"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_is_german_titled_and_accessible(page, path):
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: HTTP {response.status}"
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").count() >= 1, f"{path} has no h1"
    assert page.locator("h1").first.inner_text().strip(), f"{path} has an empty h1"
    check_page(page, "public-" + (path.strip("/") or "home"))
