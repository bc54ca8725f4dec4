"""A box counted by hand: staff type its tally sheet (a sum that does not add up is named and
nothing typed is lost), another staff member types it again blind, a slip shows as a
difference, the corrected check entry makes it count, and residents see it as its own
figure, also on a phone. Every page passes axe-core."""

from .a11y import check_page
from .test_double_entry_flow import make_double_entry_vote
from .test_paper_flow import submit
from .test_staff_pages import log_in

BASE = "/manage/votes/handzaehlung"
# entwurf A, B, C, blank; name A-D, blank (invalid left empty, as the box had none).
SHEET = {"cards": "40", "t-entwurf-o-A": "10", "t-entwurf-o-B": "22", "t-entwurf-o-C": "7",
         "t-entwurf-blank": "1", "t-name-o-A": "20", "t-name-o-B": "5", "t-name-o-C": "5",
         "t-name-o-D": "6", "t-name-blank": "4"}


def fill(page, figures: dict) -> None:
    for name, value in figures.items():
        page.fill(f"[name='{name}']", value)


def test_a_tally_sheet_is_entered_twice_and_counts_once_both_agree(page, browser, live_server):
    make_double_entry_vote(live_server, slug="handzaehlung", title="Von Hand gezählt")
    log_in(page, live_server, "staff")
    page.goto(f"{BASE}/batches")
    page.get_by_role("link", name="Strichliste erfassen").click()
    page.wait_for_load_state()
    check_page(page, "tally-new")
    page.fill("[name=station]", "Stadtbibliothek")
    page.fill("[name=collected_on]", "2026-11-21")
    fill(page, SHEET | {"t-entwurf-o-C": "6"})  # a slip: 39 of 40
    submit(page)
    summary = page.locator(".error-summary")
    assert "ergibt zusammen 39" in summary.inner_text() and "1 fehlt" in summary.inner_text()
    assert page.input_value("[name='t-entwurf-o-C']") == "6"
    assert page.input_value("[name=station]") == "Stadtbibliothek"
    check_page(page, "tally-new-error")
    page.fill("[name='t-entwurf-o-C']", "7")
    submit(page)
    assert "Strichliste" in page.locator("main table").inner_text()
    assert "wartet auf Kontrolle" in page.locator("main table").inner_text()
    check_page(page, "tally-batches")

    page.context.clear_cookies()
    log_in(page, live_server, "admin")
    page.goto(f"{BASE}/batches")
    page.locator("main a", has_text="Kontrollerfassung").first.click()
    page.wait_for_load_state()
    assert page.locator("#sheet-cards").count() == 0  # typed blind: no figures to copy
    check_page(page, "tally-sheet-before-check")
    page.get_by_role("link", name="Kontrollerfassung eingeben").click()
    page.wait_for_load_state()
    check_page(page, "tally-check")
    fill(page, SHEET | {"t-name-o-A": "19", "t-name-o-B": "6"})  # counted one card apart
    submit(page)
    assert page.locator("#differences tbody tr").count() == 2
    check_page(page, "tally-differences")
    page.get_by_role("link", name="Kontrollerfassung neu eingeben").click()
    page.wait_for_load_state()
    fill(page, SHEET)
    submit(page)
    assert "zählen jetzt" in page.locator(".flash-success").inner_text()

    resident = browser.new_page(base_url=live_server.url, viewport={"width": 375, "height": 800})
    resident.goto("/votes/handzaehlung/results")
    assert "40" in resident.locator("#ballot-facts").inner_text()
    assert resident.evaluate("document.documentElement.scrollWidth") <= 375
    check_page(resident, "tally-results-phone")
    resident.close()
