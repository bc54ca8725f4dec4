"""A text commented section by section, in the browser and by keyboard: staff paste a text
on a project; a resident opens a section, comments on it and sees the comment wait for
approval; staff publish a second version that changes that section; the resident sees
their comment marked with version 1 and what changed. Every page passes axe-core and fits
a phone."""

import re

from playwright.sync_api import expect

from .a11y import check_page
from .test_idea_flow import focused, tab_until
from .test_staff_pages import log_in

PROJECT = "/projects/stadt-raum-wir"
TEXT = """Die Innenstadt soll lebendig bleiben.

# Ziele

Mehr Veranstaltungen am Abend.

# Orte

Stiftsplatz und Schillerplatz.
"""


def press_enter_on(page, name: str) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url, name


def test_staff_paste_a_text_and_a_resident_comments_a_section_by_keyboard(
        page, live_server):
    log_in(page, live_server, "staff")
    page.goto(PROJECT)
    page.get_by_role("link", name="Projekt bearbeiten").click()
    link = page.get_by_role("link", name="Text zur Kommentierung anlegen")
    link.focus()
    press_enter_on(page, "new text")
    expect(page.locator("h1")).to_have_text("Text zur Kommentierung anlegen")
    check_page(page, "text-flow-new")

    tab_until(page, lambda f: f["name"] == "title")
    page.keyboard.type("Leitbild Innenstadt")
    tab_until(page, lambda f: f["name"] == "markdown")
    for line in TEXT.splitlines():
        page.keyboard.type(line)
        page.keyboard.press("Enter")
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Text anlegen")
    press_enter_on(page, "create")
    expect(page.locator(".flash")).to_contain_text("Der Text wurde mit 3 Abschnitten "
                                                   "gespeichert.")
    check_page(page, "text-flow-manage")
    manage_url = page.url

    # A resident finds the text on the project page and comments on "Ziele".
    page.context.clear_cookies()
    log_in(page, live_server, "citizen")
    page.goto(PROJECT)
    page.get_by_role("link", name="Leitbild Innenstadt").click()
    expect(page.locator("h1")).to_have_text("Leitbild Innenstadt")
    check_page(page, "text-flow-text")
    page.get_by_role("link", name=re.compile(r"^Abschnitt kommentieren\W+Ziele$")).focus()
    press_enter_on(page, "section")
    expect(page.locator("h1")).to_have_text("Ziele")
    tab_until(page, lambda f: f["name"] == "text")
    page.keyboard.type("Bitte auch am Sonntag.")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Kommentar senden"
    press_enter_on(page, "comment")
    expect(page.locator(".flash")).to_contain_text("wartet auf die Freigabe")
    mine = page.locator(".comment", has_text="Bitte auch am Sonntag.")
    expect(mine).to_contain_text("wartet auf Freigabe")
    expect(mine).to_contain_text("zu Fassung 1")
    check_page(page, "text-flow-section")
    section_url = page.url.split("#")[0]

    # Staff publish a second version that changes "Ziele".
    page.context.clear_cookies()
    log_in(page, live_server, "staff")
    page.goto(manage_url)
    page.get_by_role("link", name="Neue Fassung").click()
    check_page(page, "text-flow-version")
    area = page.locator("textarea[name=markdown]")
    expect(area).to_have_value(re.compile("Mehr Veranstaltungen am Abend."))
    area.focus()
    page.keyboard.press("Control+Home")
    for _ in range(4):  # to "Mehr Veranstaltungen am Abend."
        page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    page.keyboard.type(" Und am Sonntag.")
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Neue Fassung speichern")
    press_enter_on(page, "version")
    expect(page.locator(".flash")).to_contain_text("Fassung 2 wurde gespeichert: "
                                                   "2 Abschnitte unverändert, 1 geändert")

    # The resident's comment is now on an earlier version; the change is shown.
    page.context.clear_cookies()
    log_in(page, live_server, "citizen")
    page.goto(section_url)
    expect(page.locator(".notice")).to_contain_text("in Fassung 2 geändert")
    expect(page.locator(".comment", has_text="Bitte auch am Sonntag.")).to_contain_text(
        "zu Fassung 1")
    page.get_by_role("link", name="Ansehen, was sich geändert hat").click()
    expect(page.locator(".diff ins")).to_contain_text("Und am Sonntag.")
    check_page(page, "text-flow-changes")
