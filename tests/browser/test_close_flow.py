"""The end of a vote in the browser: staff close it early through its confirmation page,
count the city-hall ballot box after the close, enter a station's tally sheet of the closing
day and declare the result final; a resident sees the provisional, then the final result
with the tally sheet as its own figure. Every page passes axe-core."""

from datetime import timedelta

from playwright.sync_api import expect

from mitwirkung.core.time import utc_to_local, utcnow

from ..projects import factories as project_factories
from ..votes import factories as vote_factories
from .a11y import check_page
from .test_paper_flow import submit
from .test_staff_pages import log_in
from .test_vote_flow import tab_to


def _open_vote(live_server) -> None:
    with live_server.app.app_context():
        project = project_factories.project(title="Stadtbibliothek", slug="stadtbibliothek")
        vote_factories.make_vote(project, slug="lesegarten", title="Lesegarten",
                                 opens_at=utcnow() - timedelta(days=5))


def test_staff_close_count_the_box_afterwards_and_declare_the_result_final(
    page, browser, live_server
):
    _open_vote(live_server)
    log_in(page, live_server, "staff")
    page.goto("/manage/votes/lesegarten")
    page.get_by_role("link", name="Abstimmung jetzt beenden").click()
    page.wait_for_load_state()
    check_page(page, "close-now-confirm")
    submit(page)
    assert page.locator(".flash-success").count() == 1, page.locator("main").inner_text()
    closing = utc_to_local(utcnow())

    resident = browser.new_page(base_url=live_server.url, viewport=page.viewport_size)
    resident.goto("/votes/lesegarten/results")
    assert "vorläufiges Ergebnis" in resident.locator("#result-status").inner_text()
    check_page(resident, "results-provisional")

    page.goto("/manage/votes/lesegarten/batches")
    assert page.locator("#after-close").is_visible()
    check_page(page, "paper-batches-after-close")
    page.get_by_role("link", name="Karten von Hand erfassen").click()
    assert page.input_value("[name=collected_on]") == closing.date().isoformat()
    page.fill("[name=station]", "Rathaus, Urne")
    submit(page)
    page.keyboard.type("U-001")
    tab_to(page, "[name=q-entwurf]")
    page.keyboard.type("b")
    page.keyboard.press("Enter")
    expect(page.locator("#card-count")).to_have_text("1 Karte in diesem Stapel")
    page.get_by_role("link", name="Stapel abschließen und zählen").click()
    submit(page, "main form[action$='/close'] button[type=submit]")

    # A station that counted its box by hand brings a tally sheet of the closing day.
    page.goto("/manage/votes/lesegarten/batches")
    page.get_by_role("link", name="Strichliste erfassen").click()
    page.wait_for_load_state()
    assert page.input_value("[name=collected_on]") == closing.date().isoformat()
    page.fill("[name=station]", "Stadtbibliothek, Rückgabekasten")
    for name, value in {"cards": "12", "t-entwurf-o-A": "7", "t-entwurf-o-C": "5",
                        "t-name-o-B": "11", "t-name-blank": "1"}.items():
        page.fill(f"[name='{name}']", value)
    submit(page)
    assert "zählen jetzt" in page.locator(".flash-success").inner_text()

    page.goto("/manage/votes/lesegarten")
    page.get_by_role("link", name="Ergebnis für endgültig erklären").click()
    main = page.locator("main").inner_text()
    assert "Rathaus, Urne" in main and "Stadtbibliothek, Rückgabekasten" in main
    assert "Strichliste" in main
    check_page(page, "final-result-confirm")
    submit(page)
    assert "endgültig" in page.locator(".flash-success").inner_text()
    check_page(page, "results-final")

    resident.reload()
    status = resident.locator("#result-status").inner_text()
    assert "endgültiges Ergebnis, festgestellt am" in status and "staff" in status
    facts = resident.locator("#ballot-facts").inner_text()
    assert "Stimmzettel auf Strichlisten\n12" in facts and "insgesamt\n13" in facts
    resident.close()
