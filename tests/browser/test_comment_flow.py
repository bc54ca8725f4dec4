"""Comments in the browser, by keyboard: a resident comments on an idea and sees it wait
for approval; a moderator releases it from the queue; another resident answers it through
the reply link; the vote's options have comment pages of their own. Every page passes
axe-core and fits a phone."""

import re

from playwright.sync_api import expect

from .a11y import check_page
from .test_idea_flow import another_resident, tab_until
from .test_staff_pages import log_in

IDEA = "Open-Air-Kino auf dem Stiftsplatz"
TEXT = "Bitte an einen Regenplan denken, zum Beispiel die Fruchthalle."


def open_idea(page) -> str:
    page.goto("/boards/stadt-raum-wir-ideen?q=Kino")
    page.get_by_role("link", name=IDEA).click()
    expect(page.locator("h1")).to_have_text(IDEA)
    return page.url


def test_a_comment_from_writing_to_a_reply_by_keyboard(page, browser, live_server):
    log_in(page, live_server, "citizen")
    idea_url = open_idea(page)
    thread = page.locator("#comments")
    expect(thread.locator("h2")).to_have_text(re.compile(r"^\d+ Kommentare?$"))
    check_page(page, "comments-idea")

    tab_until(page, lambda f: f["name"] == "text")
    page.keyboard.type(TEXT)
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("wartet auf die Freigabe")
    mine = page.locator(".comment", has_text=TEXT)
    expect(mine.locator(".badge-waiting")).to_have_text("wartet auf Freigabe")
    check_page(page, "comments-pending")

    # A moderator releases it from the queue.
    moderator = browser.new_context(locale="de-DE", base_url=live_server.url).new_page()
    log_in(moderator, live_server, "moderator")
    moderator.goto("/moderation")
    entry = moderator.locator(".queue-item", has_text=TEXT)
    expect(entry).to_contain_text(f"Kommentar zu „{IDEA}“")
    entry.get_by_role("button", name=re.compile("^Freigeben und veröffentlichen")).focus()
    with moderator.expect_navigation():
        moderator.keyboard.press("Enter")
    expect(moderator.locator(".flash-success")).to_contain_text("Freigegeben")
    moderator.context.close()

    # Another resident answers it through the reply link, by keyboard.
    neighbour = browser.new_context(locale="de-DE", base_url=live_server.url).new_page()
    log_in(neighbour, live_server, another_resident(live_server))
    neighbour.goto(idea_url)
    published = neighbour.locator(".comment", has_text=TEXT)
    expect(published.locator(".badge-waiting")).to_have_count(0)
    published.get_by_role("link", name=re.compile("^Antworten")).focus()
    with neighbour.expect_navigation():
        neighbour.keyboard.press("Enter")
    expect(neighbour.locator(".comment-answered")).to_contain_text(TEXT)
    expect(neighbour.locator("#text")).to_be_focused()
    check_page(neighbour, "comments-reply-form")
    neighbour.keyboard.type("Gute Idee, die Fruchthalle wäre ideal.")
    neighbour.keyboard.press("Tab")
    with neighbour.expect_navigation():
        neighbour.keyboard.press("Enter")
    reply = neighbour.locator(".comment-replies .comment",
                              has_text="Gute Idee, die Fruchthalle wäre ideal.")
    expect(reply).to_have_count(1)  # the demo pre-moderates: the author sees it waiting
    expect(reply.locator(".badge-waiting")).to_have_count(1)
    check_page(neighbour, "comments-reply-waiting")
    neighbour.context.close()


def test_an_empty_comment_is_named_and_nothing_is_lost(page, live_server):
    log_in(page, live_server, "citizen")
    open_idea(page)
    page.get_by_role("button", name="Kommentar senden").click()
    expect(page.locator("#error-summary")).to_contain_text("Bitte schreiben Sie Ihren Kommentar.")
    check_page(page, "comments-error")


def test_a_vote_option_has_a_comment_page(page):
    page.goto("/votes/pfalztheater")
    discussion = page.locator("section", has=page.locator("#discussion-heading"))
    link = discussion.get_by_role("link").first
    link.click()
    expect(page.locator("h1")).to_contain_text("Kommentare zu")
    expect(page.get_by_role("link", name="Anmelden, um zu kommentieren")).to_be_visible()
    check_page(page, "comments-option-visitor")
