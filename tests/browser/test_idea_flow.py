"""The life of an idea in the browser, by keyboard: a resident submits an idea (optional
fields left empty, similar ideas looked at first) and sees it wait for approval; a
moderator approves it from the queue; another resident finds it by a search word and
supports it from the list; staff answer it; the author reads the history and
both mails. Every page passes axe-core and fits a phone."""

import re
from email import policy
from email.parser import BytesParser

from playwright.sync_api import expect

from .a11y import check_page
from .test_staff_pages import log_in

BOARD = "/boards/stadt-raum-wir-ideen"
TITLE = "Bühnenabend auf dem Stiftsplatz"


def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement;
        return {name: e.name || '', id: e.id || '', text: (e.innerText || '').trim(),
                tag: e.tagName.toLowerCase()}; }""")


def tab_until(page, matches, limit=60) -> None:
    """Press Tab until the focused element matches (a dict test), within `limit` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if matches(focused(page)):
            return
    raise AssertionError(f"never reached by Tab; last focus {focused(page)}")


def mails_to(live_server, address: str) -> list:
    messages = [BytesParser(policy=policy.default).parsebytes(path.read_bytes())
                for path in sorted(live_server.outbox.glob("*.eml"))]
    return [m for m in messages if m["To"] == address]


def deliver(live_server) -> None:
    from mitwirkung.core.mail import deliver_due
    from mitwirkung.extensions import db

    with live_server.app.app_context():
        deliver_due()
        db.session.remove()


def another_resident(live_server) -> str:
    """A second confirmed resident with the demo's password for citizens; their login."""
    from sqlalchemy import select

    from mitwirkung.accounts.models import User
    from mitwirkung.extensions import db
    from tests import factories

    with live_server.app.app_context():
        # Once per browser session: the walks that need a neighbour share her.
        if db.session.scalar(select(User).where(User.username == "nachbarin")) is None:
            factories.user(username="nachbarin", email="nachbarin@example.org")
        db.session.remove()
    login = "nachbarin"
    live_server.demo_passwords[login] = factories.PASSWORD
    return login


def test_an_idea_from_submission_to_answer_by_keyboard(page, browser, live_server):
    log_in(page, live_server, "citizen")
    page.goto("/projects/stadt-raum-wir")
    check_page(page, "idea-flow-project")
    link = page.get_by_role("link", name=re.compile("^Idee einreichen"))
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Idee einreichen")
    check_page(page, "idea-flow-step-1")

    # Step 1 by keyboard: title, text, a category typed into its list, the place left empty.
    tab_until(page, lambda f: f["name"] == "title")
    page.keyboard.type(TITLE)
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "text"
    page.keyboard.type("Eine kleine Bühne für Musik und Theater, jeden Samstagabend im Sommer.")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "category_id"
    page.keyboard.type("Musik")
    assert page.locator("#category_id option:checked").inner_text() == "Musik und Kultur"
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "place"
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Weiter"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Step 2: similar public ideas first, with links to support one of them instead.
    expect(page.locator("h1")).to_contain_text("Idee prüfen und einreichen")
    similar = page.locator(".similar-ideas li")
    assert 1 <= similar.count() <= 5
    assert "Silent Disco" not in page.locator(".similar-ideas").inner_text()  # pending
    check_page(page, "idea-flow-step-2")
    tab_until(page, lambda f: f["text"] == "Idee einreichen")  # no picture: fields left empty
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The author sees it, marked as waiting.
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("#pending-notice")).to_contain_text("wartet auf Freigabe")
    expect(page.locator(".flash-success")).to_contain_text("Danke!")
    idea_url = page.url
    check_page(page, "idea-flow-pending")

    # A moderator approves it from the queue.
    moderator = browser.new_context(locale="de-DE", base_url=live_server.url).new_page()
    log_in(moderator, live_server, "moderator")
    moderator.goto("/moderation")
    entry = moderator.locator(".queue-item", has_text=TITLE)
    expect(entry).to_contain_text("Ideensammlung „Stadt.Raum.Wir. – Ideen für die Innenstadt“")
    expect(entry).to_contain_text(re.compile(r"Verfasst von\s*citizen"))
    check_page(moderator, "idea-flow-queue")
    entry.get_by_role("button", name=re.compile("^Freigeben und veröffentlichen")).focus()
    with moderator.expect_navigation():
        moderator.keyboard.press("Enter")
    expect(moderator.locator(".flash-success")).to_contain_text("Freigegeben und veröffentlicht")
    assert moderator.locator(".queue-item", has_text=TITLE).count() == 0
    check_page(moderator, "idea-flow-queue-after")
    moderator.context.close()

    # Another resident finds it in the board's list by a word of its place and supports it
    # from there, by keyboard; the count is text beside the idea.
    neighbour = browser.new_context(locale="de-DE", base_url=live_server.url).new_page()
    log_in(neighbour, live_server, another_resident(live_server))
    neighbour.goto(BOARD)
    neighbour.get_by_label("Suchbegriffe").fill("Stiftsplätze")
    with neighbour.expect_navigation():
        neighbour.keyboard.press("Enter")
    listed = neighbour.locator(".idea-summary", has_text=TITLE)
    expect(listed.locator(".idea-supports")).to_have_text("0 Unterstützungen")
    check_page(neighbour, "idea-flow-list-search")
    # The button's name says which idea (a screen reader's list of buttons).
    listed.get_by_role("button", name=re.compile(f"^Unterstützen\\W+{TITLE}$")).focus()
    with neighbour.expect_navigation():
        neighbour.keyboard.press("Enter")
    listed = neighbour.locator(".idea-summary", has_text=TITLE)
    expect(listed.locator(".idea-supports")).to_have_text("1 Unterstützung")
    expect(listed.locator(".support-mine")).to_have_text("Sie unterstützen diese Idee.")
    expect(neighbour.get_by_label("Suchbegriffe")).to_have_value("Stiftsplätze")  # kept
    check_page(neighbour, "idea-flow-supported")
    neighbour.context.close()

    # Staff answer it: a status chosen by typing, the answer typed, sent with the button.
    staff = browser.new_context(locale="de-DE", base_url=live_server.url).new_page()
    log_in(staff, live_server, "staff")
    staff.goto(idea_url)
    expect(staff.locator("#idea-status")).to_have_text("eingereicht, noch nicht beantwortet")
    check_page(staff, "idea-flow-staff")
    staff.locator("#answer-status").focus()
    staff.keyboard.type("angen")
    assert staff.locator("#answer-status").input_value() == "accepted"
    staff.keyboard.press("Tab")
    staff.keyboard.type("Gute Idee! Wir planen den ersten Abend für Juli.")
    staff.keyboard.press("Tab")
    with staff.expect_navigation():
        staff.keyboard.press("Enter")
    expect(staff.locator("#idea-status")).to_have_text("angenommen")
    check_page(staff, "idea-flow-answered")
    staff.context.close()

    # The author reads the public history, signed by role, and both mails.
    page.goto(idea_url)
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Von der Moderation freigegeben und veröffentlicht")
    expect(timeline).to_contain_text(
        "Status geändert von „eingereicht, noch nicht beantwortet“ in „angenommen“")
    expect(timeline).to_contain_text("von: Verwaltung")
    expect(timeline).to_contain_text("Gute Idee! Wir planen den ersten Abend für Juli.")
    assert "staff" not in timeline.inner_text()
    expect(page.locator("#pending-notice")).to_have_count(0)
    check_page(page, "idea-flow-history")
    page.context.clear_cookies()
    page.goto(idea_url)
    expect(page.locator("h1")).to_have_text(TITLE)  # public now

    deliver(live_server)
    mails = mails_to(live_server, "citizen@mitwirkung.example")
    subjects = [mail["Subject"] for mail in mails]
    assert "Ihre Idee ist veröffentlicht" in subjects and "Neuigkeiten zu Ihrer Idee" in subjects
    answer = next(m for m in mails if m["Subject"] == "Neuigkeiten zu Ihrer Idee")
    assert "Gute Idee! Wir planen den ersten Abend für Juli." in answer.get_content()
    assert live_server.url + idea_url.removeprefix(live_server.url) in answer.get_content()
