"""An admin reads the audit log and narrows it down by keyboard alone: a kind of action
chosen by typing, a search typed and sent with Enter, the pages keeping the filters, a
period that ends before it starts named in the error summary; every page passing axe-core
and fitting a phone."""

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from .a11y import check_page
from .test_staff_pages import log_in


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def tab_to(page, wanted: str) -> None:
    """Press Tab until the field `wanted` has the focus (a date field takes a Tab for each
    of its parts), failing if another field comes first."""
    start = focused_id(page)
    for _ in range(5):
        page.keyboard.press("Tab")
        now = focused_id(page)
        if now == wanted:
            return
        assert now == start, f"Tab went to {now!r}, not {wanted!r}"
    raise AssertionError(f"{wanted!r} never got the focus")


def test_an_admin_filters_the_audit_log_by_keyboard(page, live_server):
    log_in(page, live_server, "admin")
    page.goto("/admin/users")
    page.get_by_role("link", name="Protokoll").click()
    expect(page.locator("h1")).to_have_text("Protokoll")
    rows = page.locator(".audit-table tbody tr")
    assert rows.count() >= 5
    # The demo data wrote it; the log says it in sentences with titles.
    expect(page.locator(".audit-table")).to_contain_text("Seite „Impressum“ bearbeitet")
    check_page(page, "audit-log")

    page.locator("#actor").focus()
    tab_to(page, "action")
    page.keyboard.type("Seite bearb")  # a select chooses the option typed
    assert page.locator("#action").input_value() == "page.edit"
    for field in ("target", "from", "to", "q"):
        tab_to(page, field)
    page.keyboard.type("impressum")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"action": ["page.edit"], "q": ["impressum"]}
    texts = page.locator(".audit-table tbody tr").all_inner_texts()
    assert texts and all("Seite „Impressum“ bearbeitet" in text for text in texts)
    assert page.locator("#action").input_value() == "page.edit"  # the form shows them
    assert page.locator("#q").input_value() == "impressum"
    download = page.get_by_role("link", name="Als CSV herunterladen")
    assert parse_qs(urlsplit(download.get_attribute("href")).query) == query
    check_page(page, "audit-log-filtered")

    # A period that ends before it starts: named at the top, the log shown without it.
    page.fill("#from", "2024-05-02")
    page.fill("#to", "2024-05-01")
    page.locator("#q").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Das Ende des Zeitraums liegt vor seinem Beginn.")
    check_page(page, "audit-log-error")
    summary.get_by_role("link").first.focus()
    page.keyboard.press("Enter")
    assert focused_id(page) == "to" or urlsplit(page.url).fragment == "to"

    # Reset leads back to the whole log.
    page.get_by_role("link", name="Filter zurücksetzen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).query == ""
    assert page.locator(".audit-table tbody tr").count() >= 5
