"""Typing paper cards at a market stall: cards typed ahead as fast as keys go arrive exactly
as typed; a wrong answer names its question, lists the valid answers and takes the cursor
there; an unusual card number is pointed out; a batch is closed and voided through pages
that ask once more, and a number of cards other than expected is stated. Every page passes
axe-core."""

import contextlib
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy import select

from .a11y import check_page
from .test_paper_flow import submit
from .test_staff_pages import log_in
from .test_vote_flow import tab_to

BATCHES = "/manage/votes/pfalztheater/batches"
# (card number, design, name) as typed, then what each must be stored as. Numbers in a row
# and out of it ("V-0011", "V-0022": what issue 14 saw lose their first keys), codes in any
# case, titles, blanks and both spellings of invalid.
TYPED = [
    ("V-0001", "a", "b"), ("V-0002", "B", ""), ("V-0003", "c", "d"), ("V-0004", "", ""),
    ("V-0005", "x", "a"), ("V-0006", "Grünes Band", "Lauterplatz"), ("V-0007", "b", "c"),
    ("V-0008", "ungültig", "x"), ("V-0009", "A", "A"), ("V-0010", "b", "b"),
    ("V-0011", "c", "a"), ("V-0013", "a", ""), ("V-0012", "b", "d"), ("V-0014", "a", "c"),
    ("V-0015", "", "b"), ("V-0016", "c", "c"), ("V-0017", "a", "invalid"),
    ("V-0018", "b", "a"), ("V-0019", "c", "b"), ("V-0020", "a", "d"), ("V-0021", "b", ""),
    ("V-0022", "c", "a"), ("V-0023", "Offene Bühne", "Theatergarten"), ("V-0024", "x", "x"),
]
STORED = {
    "a": "A", "b": "B", "c": "C", "d": "D", "": "", "x": "x", "ungültig": "x", "invalid": "x",
    "grünes band": "C", "lauterplatz": "D", "offene bühne": "A", "theatergarten": "A",
}


def start_batch(page, station: str, expected: int | None = None) -> None:
    page.goto(BATCHES)
    page.get_by_role("link", name="Karten von Hand erfassen").click()
    page.fill("[name=station]", station)
    if expected is not None:
        page.fill("[name=expected_cards]", str(expected))
    submit(page)
    # The first card's number has the cursor (autofocus may come a moment after the load).
    expect(page.locator("[name=serial]")).to_be_focused()


def stored_cards(live_server, station: str) -> dict[str, tuple[str, ...]]:
    """Card number -> answers as one would type them ("x" for invalid), from the database."""
    from mitwirkung.extensions import db
    from mitwirkung.votes.models import PaperBatch, Vote
    from mitwirkung.votes.paper import batches, cards

    with live_server.app.app_context():
        batch = db.session.scalar(select(PaperBatch).where(PaperBatch.station == station))
        vote = db.session.get(Vote, batch.vote_id)
        return {ballot.serial: tuple(cards.typed_cells(vote, cards.ballot_answers(vote, ballot))
                                     .values())
                for ballot in batches.cards_of(batch)}


def test_cards_typed_ahead_without_waiting_arrive_exactly_as_typed(page, live_server):
    log_in(page, live_server, "staff")
    start_batch(page, "Wochenmarkt, Stand 2")
    check_page(page, "card-entry-empty")

    # As fast as Playwright can: no delay between keys, Enter after each card, and never a
    # wait for the card before to be saved.
    for serial, design, name in TYPED:
        page.keyboard.type(serial)
        page.keyboard.press("Tab")
        page.keyboard.type(design)
        page.keyboard.press("Tab")
        page.keyboard.type(name)
        page.keyboard.press("Enter")

    # The page counts what the server saved; then the database must hold it exactly.
    with contextlib.suppress(AssertionError):  # the comparison below says what went wrong
        expect(page.locator("#card-count")).to_have_text(
            f"{len(TYPED)} Karten in diesem Stapel", timeout=60_000)
    stored = stored_cards(live_server, "Wochenmarkt, Stand 2")
    expected = {serial: (STORED[design.lower()], STORED[name.lower()])
                for serial, design, name in TYPED}
    assert stored == expected
    expect(page.locator("#card-count")).to_have_text(f"{len(TYPED)} Karten in diesem Stapel")
    assert page.locator(".refused-card").count() == 0
    expect(page.locator("#entry-status")).to_contain_text("Karte V-0024 gespeichert.")
    # The next card is proposed, selected, the cursor in its number; the page never reloaded.
    expect(page.locator("[name=serial]")).to_have_value("V-0025")
    assert page.evaluate("document.activeElement.name") == "serial"
    assert page.evaluate("[document.activeElement.selectionStart,"
                         " document.activeElement.selectionEnd]") == [0, 6]
    assert page.locator("#entered-cards tbody tr").count() == 10  # the latest cards
    check_page(page, "card-entry-typed-ahead")
    # Enter once more (a double tap) with nothing typed saves no card of the proposal.
    page.keyboard.press("Enter")
    expect(page.locator("#entry-status")).to_contain_text("nichts gespeichert")
    assert len(stored_cards(live_server, "Wochenmarkt, Stand 2")) == len(TYPED)


def test_a_wrong_answer_names_its_question_lists_the_answers_and_takes_the_cursor(
    page, live_server
):
    log_in(page, live_server, "staff")
    start_batch(page, "Rathaus, Foyer")
    page.keyboard.type("F-0001")
    page.keyboard.press("Tab")
    page.keyboard.type("D")  # the design question has A, B and C
    page.keyboard.press("Enter")
    page.keyboard.type("F-00")  # the next card, typed ahead before the refusal is seen

    notice = page.locator(".refused-card")
    expect(notice).to_contain_text("Karte F-0001 wurde nicht gespeichert.")
    expect(notice).to_contain_text(
        "„D“ ist keine Antwort auf „Welcher Entwurf soll gebaut werden?“. Gültige Antworten: "
        "A = Offene Bühne, B = Verschlungene Wege, C = Grünes Band; nichts eintragen = leer; "
        "X oder „ungültig“ = ungültig.")
    # The refusal took nothing from the card being typed.
    page.keyboard.type("02")
    assert page.input_value("[name=serial]") == "F-0002"
    assert page.evaluate("document.activeElement.name") == "serial"
    check_page(page, "card-entry-refused")

    # The keyboard reaches the notice's button; it puts the card back, cursor in the field.
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.matches('[data-correct]')"):
            break
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == "q-entwurf"
    assert page.input_value("[name=serial]") == "F-0001"
    error = page.locator("#q-entwurf-error")
    expect(error).to_contain_text("Welcher Entwurf soll gebaut werden?")
    expect(error).to_contain_text("A = Offene Bühne, B = Verschlungene Wege, C = Grünes Band")
    assert "q-entwurf-error" in page.get_attribute("[name=q-entwurf]", "aria-describedby")
    summary_link = page.locator("#error-summary a[href='#q-entwurf']")
    expect(summary_link).to_contain_text("Welcher Entwurf soll gebaut werden?")
    check_page(page, "card-entry-correcting")

    page.keyboard.type("b")  # replaces the selected wrong answer
    page.keyboard.press("Enter")
    # Back to the card that was being typed, cursor where it was.
    assert page.input_value("[name=serial]") == "F-0002"
    assert page.evaluate("document.activeElement.name") == "serial"
    expect(page.locator("#error-summary")).to_have_count(0)
    page.keyboard.press("Tab")
    page.keyboard.type("c")
    page.keyboard.press("Enter")
    expect(page.locator("#card-count")).to_have_text("2 Karten in diesem Stapel")
    assert stored_cards(live_server, "Rathaus, Foyer") == {"F-0001": ("B", ""),
                                                           "F-0002": ("C", "")}


def test_without_javascript_a_wrong_answer_takes_the_cursor_too(browser, live_server):
    context = browser.new_context(locale="de-DE", base_url=live_server.url,
                                  java_script_enabled=False, viewport={"width": 1280,
                                                                       "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        log_in(page, live_server, "staff")
        start_batch(page, "Bürgercenter")
        assert page.locator("script[src$='card-entry.js']").count() == 1
        page.keyboard.type("N-01")
        tab_to(page, "[name=q-name]")
        page.keyboard.type("E")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.locator("[name=q-name]")).to_be_focused()  # autofocus comes after load
        assert "„E“ ist keine Antwort auf „Wie soll der Platz heißen?“" in (
            page.locator("#error-summary").inner_text())
        assert page.input_value("[name=serial]") == "N-01"  # what was typed is kept
        page.fill("[name=q-name]", "a")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        # The next number is proposed; the cursor waits in the first answer.
        assert page.input_value("[name=serial]") == "N-02"
        expect(page.locator("[name=q-entwurf]")).to_be_focused()
    finally:
        context.close()


def test_closing_and_voiding_ask_on_pages_of_their_own(page, live_server):
    log_in(page, live_server, "staff")
    start_batch(page, "Stadtfest", expected=3)
    expect(page.locator("#card-count")).to_have_text("0 von 3 Karten erfasst")
    for serial in ("Z-1", "Z-2"):
        page.keyboard.type(serial)
        page.keyboard.press("Tab")
        page.keyboard.type("a")
        page.keyboard.press("Enter")
    expect(page.locator("#card-count")).to_have_text("2 von 3 Karten erfasst")
    check_page(page, "card-entry-expected")

    page.get_by_role("link", name="Stapel abschließen und zählen").click()
    page.wait_for_load_state()
    assert "/close" in page.url
    expect(page.locator("#count-warning")).to_contain_text(
        "1 Karte weniger als erwartet: 2 erfasst, 3 erwartet.")
    check_page(page, "batch-close-difference")
    page.get_by_role("link", name="Zurück zu den Karten").click()
    page.wait_for_load_state()
    # The script puts the cursor into the proposed number, selected: Tab keeps it.
    expect(page.locator("[name=serial]")).to_have_value("Z-3")
    expect(page.locator("[name=serial]")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.type("c")
    page.keyboard.press("Enter")
    expect(page.locator("#card-count")).to_have_text("3 von 3 Karten erfasst")

    page.get_by_role("link", name="Stapel abschließen und zählen").click()
    page.wait_for_load_state()
    expect(page.locator("#count-warning")).to_have_count(0)
    check_page(page, "batch-close")
    submit(page, "main form[action$='/close'] button")
    assert page.url.endswith(BATCHES)
    expect(page.locator(".flash-success")).to_contain_text("3 Karten zählen jetzt")
    assert stored_cards(live_server, "Stadtfest") == {
        "Z-1": ("A", ""), "Z-2": ("A", ""), "Z-3": ("C", "")}

    row = page.locator("tr", has_text="Stadtfest")
    row.get_by_role("link", name="Stapel für ungültig erklären").click()
    page.wait_for_load_state()
    assert "/void" in page.url
    check_page(page, "batch-void")
    void_button = page.locator("main button[type=submit]")
    assert "danger" in void_button.get_attribute("class")
    submit(page, "main button[type=submit]")  # without a reason
    expect(page.locator("[name=reason]")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("Bitte einen Grund angeben.")
    check_page(page, "batch-void-refused")
    page.keyboard.type("Doppelt abgegeben")
    submit(page, "main button[type=submit]")
    assert page.url.endswith(BATCHES)
    expect(page.locator("tr", has_text="Stadtfest")).to_contain_text("Doppelt abgegeben")
    check_page(page, "batch-voided")


def test_a_number_unlike_the_batchs_others_is_pointed_out_but_saved(page, live_server):
    log_in(page, live_server, "staff")
    start_batch(page, "Markt Süd")
    for serial in ("M-0001", "M-0002"):
        page.keyboard.type(serial)
        page.keyboard.press("Tab")
        page.keyboard.type("a")
        page.keyboard.press("Enter")
    expect(page.locator("[name=serial]")).to_have_value("M-0003")
    note = page.locator("#serial-note")
    page.keyboard.type("N-003")  # typed over the proposal: another beginning, three digits
    page.keyboard.press("Tab")  # the number is complete: now it is checked
    expect(note).to_contain_text("Diese Nummer sieht anders aus als die übrigen dieses "
                                 "Stapels (etwa M-0002)")
    assert note.get_attribute("aria-live") == "polite"
    assert "serial-note" in page.get_attribute("[name=serial]", "aria-describedby")
    check_page(page, "card-entry-pattern-warning")
    page.keyboard.type("b")
    page.keyboard.press("Enter")  # a warning, not a refusal
    expect(note).to_contain_text("Karte N-003 wurde gespeichert, aber ihre Nummer sieht anders "
                                 "aus als die übrigen dieses Stapels (etwa M-0002)")
    assert sorted(stored_cards(live_server, "Markt Süd")) == ["M-0001", "M-0002", "N-003"]


def test_the_import_preview_states_a_difference_to_the_expected_number(
    page, live_server, tmp_path
):
    sample = Path(__file__).resolve().parents[1] / "data" / "ballots-wochenmarkt.csv"
    lines = sample.read_text(encoding="utf-8-sig").replace("W-", "P-").splitlines()
    short = tmp_path / "markt-ohne-eine.csv"
    short.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # one card left out
    log_in(page, live_server, "staff")
    page.goto(f"{BATCHES}/import")
    page.set_input_files("[name=file]", str(short))
    page.fill("[name=station]", "Wochenmarkt Nord")
    page.fill("[name=expected_cards]", "120")
    submit(page)
    expect(page.locator("#count-warning")).to_contain_text(
        "1 Karte weniger als erwartet: 119 erfasst, 120 erwartet.")
    check_page(page, "import-preview-difference")
    submit(page, "main form[action$='/confirm'] button")
    expect(page.locator(".flash-success")).to_contain_text("119")
    assert len(stored_cards(live_server, "Wochenmarkt Nord")) == 119
    # Out of the result again: the other flows count the demo vote's paper ballots.
    page.locator("tr", has_text="Wochenmarkt Nord").get_by_role(
        "link", name="Stapel für ungültig erklären").click()
    page.fill("[name=reason]", "Nur für den Test")
    submit(page, "main button[type=submit]")
    expect(page.locator("tr", has_text="Wochenmarkt Nord")).to_contain_text("Nur für den Test")
