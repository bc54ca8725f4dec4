"""A resident votes with the keyboard alone: ballot, review, receipt, results - each page
free of axe-core violations."""

from .a11y import check_page
from .test_staff_pages import log_in


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector` (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_resident_votes_with_the_keyboard_only(page, live_server):
    log_in(page, live_server, "citizen")
    page.goto("/votes/pfalztheater")
    check_page(page, "vote-ballot")

    # Tab lands on a group's checked radio ("no answer" at first); arrows move the choice.
    tab_to(page, "input[name=q-entwurf]")
    page.keyboard.press("ArrowRight")  # wraps from "no answer" to A
    page.keyboard.press("ArrowRight")
    assert page.is_checked("#q-entwurf-B")
    tab_to(page, "input[name=q-name]")
    page.keyboard.press("ArrowRight")
    assert page.is_checked("#q-name-A")
    tab_to(page, "form.ballot button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "/review" in page.url
    review = page.locator("main").inner_text()
    assert "Verschlungene Wege" in review and "Theatergarten" in review
    check_page(page, "vote-review")
    tab_to(page, "form[action$='/cast'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith("/votes/pfalztheater/receipt")
    assert "Verschlungene Wege" not in page.locator("main").inner_text()
    check_page(page, "vote-receipt")

    page.goto("/votes/pfalztheater")
    assert page.locator("form.ballot").count() == 0, "one ballot per account"
    page.goto("/votes/pfalztheater/results")
    row = page.locator("tr", has_text="Verschlungene Wege")
    assert row.locator("td").first.inner_text() == "1"
    check_page(page, "vote-results")
