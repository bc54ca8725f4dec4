"""Staff enter three paper cards by hand and import the Wochenmarkt file; the result merges
both channels. Every page passes axe-core."""

from pathlib import Path

from playwright.sync_api import expect

from .a11y import check_page
from .test_staff_pages import log_in
from .test_vote_flow import tab_to

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "ballots-wochenmarkt.csv"
CARDS = [("S-001", "a", "b"), ("S-002", "Grünes Band", ""), ("S-003", "x", "d")]


def submit(page, selector="main form button[type=submit]"):
    with page.expect_navigation():
        page.locator(selector).first.click()


def test_staff_enter_cards_by_hand_and_import_a_file(page, live_server):
    log_in(page, live_server, "staff")
    page.goto("/manage/votes/pfalztheater/batches")
    check_page(page, "paper-batches-empty")

    page.get_by_role("link", name="Karten von Hand erfassen").click()
    page.fill("[name=station]", "Infostand Stiftsplatz")
    page.fill("[name=collected_on]", "2026-11-20")
    submit(page)
    check_page(page, "paper-card-entry")

    for serial, design, name in CARDS:
        # The card number has the focus; Tab to each cell and Enter saves: no mouse needed.
        assert page.evaluate("document.activeElement.name") == "serial"
        page.keyboard.type(serial)
        tab_to(page, "[name=q-entwurf]")
        page.keyboard.type(design)
        tab_to(page, "[name=q-name]")
        page.keyboard.type(name)
        page.keyboard.press("Enter")  # saved without leaving the page
        expect(page.locator("#entry-status")).to_contain_text(f"Karte {serial} gespeichert.")
    expect(page.locator("#card-count")).to_have_text("3 Karten in diesem Stapel")
    check_page(page, "paper-cards-entered")
    page.get_by_role("link", name="Stapel abschließen und zählen").click()
    page.wait_for_load_state()
    check_page(page, "paper-batch-close")
    submit(page, "main form[action$='/close'] button")

    page.goto("/manage/votes/pfalztheater/batches/import")
    page.set_input_files("[name=file]", str(SAMPLE))
    page.fill("[name=station]", "Wochenmarkt")
    page.fill("[name=collected_on]", "2026-11-21")
    submit(page)
    assert "120" in page.locator("main").inner_text()
    check_page(page, "paper-import-preview")
    submit(page)
    check_page(page, "paper-batches")

    page.goto("/votes/pfalztheater/results")
    facts = page.locator("dl.facts").inner_text()
    assert "123" in facts, facts  # 3 by hand + 120 from the file
    design_rows = page.locator("section.result").first.locator("tbody tr")
    paper_column = [int(row.locator("td[data-label=Papier]").inner_text().replace(".", ""))
                    for row in design_rows.all()]
    assert sum(paper_column) == 123  # every paper card is an option, blank or invalid
    invalid_row = page.locator("section.result").first.locator("tr", has_text="Ungültig")
    assert int(invalid_row.locator("td[data-label=Papier]").inner_text()) >= 1
    check_page(page, "paper-merged-results")
