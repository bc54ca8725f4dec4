"""Script in every field of an idea's life stays text in a real browser: title, text,
place, category name, the moderators' reason, the official answer, the admissibility
reason and the withdrawal note, on every page that shows them. A payload that ran would
set window.__xss or leave an element behind."""

from datetime import timedelta

from playwright.sync_api import expect

from .a11y import check_page
from .test_idea_flow import tab_until
from .test_staff_pages import log_in

PAYLOAD = '"><img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'
SHORT = "<img src=x onerror=window.__xss=1>"  # a category name has at most 60 characters
SLUG = "xss-probe"


def assert_harmless(page) -> None:
    ran = page.evaluate("""() => ({
        flag: window.__xss === 1,
        images: document.querySelectorAll('img[src="x"]').length,
        scripts: [...document.scripts].filter(s => s.textContent.includes('__xss')).length})""")
    assert ran == {"flag": False, "images": 0, "scripts": 0}, (page.url, ran)


def make_board(live_server) -> None:
    """A competition with pre-moderation, open for ideas, its admissibility check still
    open, and a category whose name is a payload."""
    from sqlalchemy import select

    from mitwirkung.core.time import local_today
    from mitwirkung.extensions import db
    from mitwirkung.projects.models import Project
    from mitwirkung.proposals.models import Board, BoardStatus, Category

    with live_server.app.app_context():
        if db.session.scalar(select(Board).where(Board.slug == SLUG)) is None:
            project = db.session.scalar(select(Project).where(Project.slug == "stadt-raum-wir"))
            today = local_today()
            board = Board(project_id=project.id, slug=SLUG, title="XSS-Probe",
                          status=BoardStatus.PUBLISHED, premoderation=True, competition=True,
                          rules="Regeln", submit_until=today + timedelta(days=5),
                          support_from=today + timedelta(days=10),
                          support_until=today + timedelta(days=20))
            board.categories = [Category(name=SHORT, colour="#7b2d8e")]
            db.session.add(board)
            db.session.commit()
        db.session.remove()


def submit(page) -> str:
    page.goto(f"/boards/{SLUG}/submit")
    assert_harmless(page)
    page.fill("#title", PAYLOAD)
    page.fill("#text", PAYLOAD + "\n\nhttps://example.org/" + PAYLOAD)
    page.select_option("#category_id", index=1)
    page.fill("#place", PAYLOAD)
    page.check("#accept_rules")
    with page.expect_navigation():
        page.get_by_role("button", name="Weiter").click()
    assert_harmless(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Idee einreichen").click()
    expect(page.locator("h1")).to_have_text(PAYLOAD)
    assert_harmless(page)
    return page.url


def test_payloads_in_every_field_stay_text(page, browser, live_server):
    make_board(live_server)
    log_in(page, live_server, "citizen")
    rejected_url = submit(page)
    approved_url = submit(page)
    check_page(page, "xss-idea-pending")

    moderator = browser.new_context(locale="de-DE", base_url=live_server.url).new_page()
    log_in(moderator, live_server, "moderator")
    moderator.goto("/moderation")
    assert_harmless(moderator)
    check_page(moderator, "xss-queue")
    rejected_id = rejected_url.rsplit("/", 1)[1]
    moderator.goto(f"/moderation/ideas/{rejected_id}/reject")
    assert_harmless(moderator)
    moderator.fill(f"#reject-ideas-{rejected_id}-reason", PAYLOAD)
    with moderator.expect_navigation():
        moderator.get_by_role("button", name="Ablehnen").click()
    assert_harmless(moderator)
    moderator.goto(approved_url)
    moderator.locator(".staff-box").get_by_role(
        "button", name="Freigeben und veröffentlichen").focus()
    with moderator.expect_navigation():
        moderator.keyboard.press("Enter")
    assert_harmless(moderator)
    moderator.context.close()

    staff = browser.new_context(locale="de-DE", base_url=live_server.url).new_page()
    log_in(staff, live_server, "staff")
    staff.goto(approved_url)
    staff.select_option("#answer-status", "in_review")
    staff.fill("#answer-answer", PAYLOAD)
    with staff.expect_navigation():
        staff.get_by_role("button", name="Antwort veröffentlichen").click()
    assert_harmless(staff)
    staff.check("#feasibility-feasibility-1")
    staff.fill("#feasibility-reason", PAYLOAD)
    with staff.expect_navigation():
        staff.get_by_role("button", name="Zulässigkeit speichern").click()
    expect(staff.locator("#idea-feasibility")).to_have_text("nicht zulässig")
    assert_harmless(staff)
    check_page(staff, "xss-idea-staff")
    for path in (f"/manage/boards/{SLUG}", "/projects/stadt-raum-wir"):
        staff.goto(path)
        assert_harmless(staff)
    staff.context.close()

    # The author reads the reason of the rejection, and withdraws the other with a note.
    page.goto(rejected_url)
    expect(page.locator("#rejected-notice")).to_contain_text(PAYLOAD)
    assert_harmless(page)
    page.goto(approved_url + "/withdraw")
    page.locator("#reason").focus()  # the first choice
    page.keyboard.press("Space")
    tab_until(page, lambda f: f["name"] == "note")
    page.keyboard.type(PAYLOAD)
    with page.expect_navigation():
        page.get_by_role("button", name="Idee zurückziehen").click()
    expect(page.locator("#withdrawn-notice")).to_contain_text(PAYLOAD)
    assert_harmless(page)
    check_page(page, "xss-idea-withdrawn")

    admin = browser.new_context(locale="de-DE", base_url=live_server.url).new_page()
    log_in(admin, live_server, "admin")
    admin.goto("/admin/audit")
    assert_harmless(admin)
    admin.context.close()
