"""Reporting and hiding in the browser, by keyboard: a resident reports a comment under an
idea (a reason chosen, details typed); a moderator finds it in the queue as reported, with
its reason, and hides it with a reason; everyone then reads "removed by the moderation" in
its place, and the reply to it stays (Decidim #8660). Every page passes axe-core and fits
a phone."""

import re

from playwright.sync_api import expect

from .a11y import check_page
from .test_idea_flow import deliver, focused, mails_to, tab_until
from .test_staff_pages import log_in

TEXT = "Dieser Kommentar beleidigt die Nachbarschaft."
REPLY = "Eine sachliche Antwort darauf."


def reporter(live_server) -> str:
    """A confirmed resident of this test's own (the live server lives for the whole run)."""
    from mitwirkung.extensions import db
    from tests import factories

    with live_server.app.app_context():
        login = factories.user(username="melderin", email="melderin@example.org").username
        db.session.remove()
    live_server.demo_passwords[login] = factories.PASSWORD
    return login


def commented_idea(live_server) -> tuple[str, str]:
    """A public demo idea with a published comment of one resident and a reply of another;
    its address and the comment's author's address."""
    from sqlalchemy import select

    from mitwirkung.comments import services
    from mitwirkung.extensions import db
    from mitwirkung.proposals.models import Board, Idea
    from mitwirkung.proposals.services import PUBLIC
    from tests import factories

    with live_server.app.test_request_context():
        board = db.session.scalar(select(Board).where(Board.slug == "stadt-raum-wir-ideen"))
        idea = db.session.scalars(select(Idea).where(Idea.board_id == board.id, PUBLIC)
                                  .order_by(Idea.id)).first()
        writer = factories.user(username="laut", email="laut@example.org")
        comment, _ = services.post("idea", idea, writer, TEXT,
                                   submission_key="browser-flag-comment-1")
        comment.moderation_state = "approved"
        db.session.flush()
        answer, _ = services.post("idea", idea, factories.user(username="ruhig"), REPLY,
                                  submission_key="browser-flag-reply-001", parent_id=comment.id)
        answer.moderation_state = "approved"
        db.session.commit()
        url = f"/boards/{board.slug}/ideas/{idea.id}"
        db.session.remove()
    return url, "laut@example.org"


def test_a_resident_reports_a_comment_and_a_moderator_hides_it(page, browser, live_server):
    idea_url, writer = commented_idea(live_server)
    log_in(page, live_server, reporter(live_server))
    page.goto(idea_url)
    page.get_by_role("link", name=re.compile(r"^Melden\W+den Kommentar von laut$")).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Melden")
    check_page(page, "flag-flow-form")

    # Sent without a reason: the error, and the details as typed.
    tab_until(page, lambda f: f["name"] == "details")
    page.keyboard.type("Beleidigt Menschen aus der Nachbarschaft.")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("textarea[name=details]")).to_have_value(
        "Beleidigt Menschen aus der Nachbarschaft.")
    check_page(page, "flag-flow-error")

    # The reason by keyboard: into the group, on to "beleidigend", selected.
    page.locator("input[name=reason]").first.focus()
    page.keyboard.press("ArrowDown")
    assert focused(page)["name"] == "reason"
    assert page.locator("input[name=reason]:checked").get_attribute("value") == "offensive"
    tab_until(page, lambda f: f["text"] == "Meldung senden")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("Danke")
    expect(page.locator(".comment", has_text=TEXT).first).to_be_visible()  # until decided

    # The moderator finds it reported and hides it by keyboard, with a reason.
    moderator = browser.new_context(locale="de-DE", base_url=live_server.url).new_page()
    log_in(moderator, live_server, "moderator")
    moderator.goto("/moderation")
    entry = moderator.locator("#reported .queue-item", has_text=TEXT)
    expect(entry).to_contain_text("gemeldet")
    expect(entry).to_contain_text("beleidigend (1)")
    expect(entry).to_contain_text("Beleidigt Menschen aus der Nachbarschaft.")
    check_page(moderator, "flag-flow-queue")
    entry.get_by_role("link", name=re.compile("^Ausblenden")).focus()
    with moderator.expect_navigation():
        moderator.keyboard.press("Enter")
    check_page(moderator, "flag-flow-hide")
    assert focused(moderator)["name"] == "reason"  # the form opens on the reason
    moderator.keyboard.type("Beleidigt andere; bitte sachlich bleiben.")
    tab_until(moderator, lambda f: f["text"] == "Ausblenden")
    with moderator.expect_navigation():
        moderator.keyboard.press("Enter")
    expect(moderator.locator(".flash-success")).to_contain_text("Ausgeblendet")
    expect(moderator.locator("#reported")).to_contain_text("Nichts gemeldet.")
    moderator.context.close()

    # Everyone: "removed by the moderation" in its place, the reply still there.
    page.context.clear_cookies()
    page.goto(idea_url)
    comments = page.locator("#comments")
    expect(comments).to_contain_text("Von der Moderation entfernt.")
    expect(comments).to_contain_text(REPLY)
    assert TEXT not in page.content()
    check_page(page, "flag-flow-hidden")

    deliver(live_server)
    [mail] = mails_to(live_server, writer)
    assert mail["Subject"] == "Ihr Kommentar wurde von der Moderation entfernt"
    assert "Beleidigt andere; bitte sachlich bleiben." in mail.get_content()
