"""A moderator works through the one queue by keyboard alone: approves the oldest entry and
lands on the next one's heading, rejects that one with a reason from the list and words of
their own, and lands on the next again; the authors hear by mail. Every page passes axe-core
and fits a phone."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from .a11y import check_page
from .test_idea_flow import focused, mails_to, tab_until
from .test_staff_pages import log_in


def make_pending(live_server) -> dict:
    """Three pending comments of the demo citizen, older than anything else in the queue: on
    a demo idea, a reply on it, and on a project."""
    from sqlalchemy import select

    from mitwirkung.accounts.models import User
    from mitwirkung.comments.models import LinkKind
    from mitwirkung.core.moderation import ModerationState
    from mitwirkung.core.time import utcnow
    from mitwirkung.extensions import db
    from mitwirkung.projects.models import Project
    from mitwirkung.proposals.models import Idea
    from tests.comments.factories import comment

    with live_server.app.app_context():
        citizen = db.session.scalar(select(User).where(User.username == "citizen"))
        staff = db.session.scalar(select(User).where(User.username == "staff"))
        idea = db.session.scalar(select(Idea).where(
            Idea.moderation_state == ModerationState.APPROVED).order_by(Idea.id))
        project = db.session.scalar(select(Project).where(Project.status == "published")
                                    .order_by(Project.id))
        old = utcnow() - timedelta(days=30)
        parent = comment(idea, LinkKind.IDEA, staff, "Danke für die Anregung, wir prüfen sie.",
                         project_id=idea.board.project_id, state=ModerationState.APPROVED,
                         created_at=old)
        first = comment(idea, LinkKind.IDEA, citizen, "Erster wartender Kommentar.",
                        project_id=idea.board.project_id, created_at=old + timedelta(hours=1))
        second = comment(idea, LinkKind.IDEA, citizen, "Zweiter, eine Antwort.",
                         project_id=idea.board.project_id, parent=parent,
                         created_at=old + timedelta(hours=2))
        third = comment(project, LinkKind.PROJECT, citizen, "Dritter, zum Projekt.",
                        project_id=project.id, created_at=old + timedelta(hours=3))
        ids = {"first": first.id, "second": second.id, "third": third.id,
               "email": citizen.email}
        db.session.remove()
    return ids


def test_a_moderator_works_through_the_queue_by_keyboard(page, live_server):
    pending = make_pending(live_server)
    log_in(page, live_server, "moderator")
    page.goto("/moderation")
    expect(page.locator("h1")).to_have_text("Moderation")
    first = page.locator(".queue-item").first
    expect(first).to_contain_text("Erster wartender Kommentar.")
    expect(first).to_contain_text("wartet seit 29 Tagen")
    expect(first).to_contain_text("überfällig")
    reply = page.locator(".queue-item").nth(1)
    expect(reply).to_contain_text("Antwortet auf den Kommentar „Danke für die Anregung")
    check_page(page, "moderation-queue")

    # Approve the first by keyboard: Tab from the top of the page to its button.
    tab_until(page, lambda f: f["tag"] == "button"
              and f["text"].startswith("Freigeben und veröffentlichen"), limit=80)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("Freigegeben und veröffentlicht")
    assert page.url.endswith(f"/moderation#item-comments-{pending['second']}")
    assert focused(page)["id"] == f"item-comments-{pending['second']}"

    # From the focused heading: its link, then Approve, then the reasons, then own words.
    choice = f"reject-comments-{pending['second']}-choice"
    tab_until(page, lambda f: f["name"] == choice, limit=4)
    page.keyboard.press("ArrowDown")  # the first reason of the list
    assert page.eval_on_selector(f"#{choice}", "e => e.selectedOptions[0].text") == \
        "Beleidigend oder herabwürdigend"
    page.keyboard.press("Tab")
    assert focused(page)["name"] == f"reject-comments-{pending['second']}-reason"
    page.keyboard.type("Bitte sachlich bleiben.")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Ablehnen"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("Abgelehnt")
    assert focused(page)["id"] == f"item-comments-{pending['third']}"
    expect(page.locator(".queue-item", has_text="Zweiter, eine Antwort.")).to_have_count(0)
    # The author has a rejection now (more where other tests rejected theirs), which the
    # queue names beside the next entry.
    expect(page.locator(".queue-item").first).to_contain_text(
        re.compile(r"\d+ frühere(r Beitrag| Beiträge) abgelehnt"))
    check_page(page, "moderation-queue-after")

    from .test_idea_flow import deliver

    deliver(live_server)
    bodies = [mail.get_content() for mail in mails_to(live_server, pending["email"])]
    assert any(re.search(r"Beleidigend oder herabwürdigend: Bitte sachlich bleiben\.", body)
               for body in bodies)


def test_admins_edit_the_reasons_by_keyboard(page, live_server):
    log_in(page, live_server, "admin")
    page.goto("/admin/moderation/reasons")
    check_page(page, "moderation-reasons")
    tab_until(page, lambda f: f["name"] == "text", limit=80)
    page.keyboard.type("Wiederholt denselben Beitrag")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("table")).to_contain_text("Wiederholt denselben Beitrag")
    row = page.locator("tr", has_text="Wiederholt denselben Beitrag")
    row.get_by_role("button", name=re.compile("^Nach oben")).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    row.get_by_role("button", name=re.compile("^Deaktivieren")).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("tr", has_text="Wiederholt denselben Beitrag")).to_contain_text(
        "deaktiviert")
    check_page(page, "moderation-reasons-after")
