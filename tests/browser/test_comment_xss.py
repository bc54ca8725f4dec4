"""Script in comments and in the names shown next to them stays text in a real browser
(Decidim CVE-2026-23891 ran script through the name beside a comment): 60 payloads as
comments and replies by 20 accounts whose usernames are payloads too, on every page of a
thread, newest first, a vote option's page, the moderators' queue with some waiting and one
reported, the reported list, and the audit log after a decision."""

from playwright.sync_api import expect

from ..xss_payloads import names, payloads
from .a11y import check_page
from .test_idea_xss import assert_harmless
from .test_staff_pages import log_in

PROJECT = "xss-kommentare"
COMMENTS = 60


def make_thread(live_server) -> tuple[int, list[int]]:
    """A published, post-moderated project with the payloads as its comments (every third a
    reply), five more waiting for release, and one comment reported. Returns the project's
    id and the waiting comments' ids."""
    from sqlalchemy import select

    from mitwirkung.accounts.models import User
    from mitwirkung.comments import services
    from mitwirkung.comments.models import Comment
    from mitwirkung.core import flags
    from mitwirkung.core.moderation import ModerationState
    from mitwirkung.extensions import db
    from mitwirkung.projects.models import Project
    from tests import factories

    with live_server.app.app_context():
        project = db.session.scalar(select(Project).where(Project.slug == PROJECT))
        if project is None:
            project = Project(slug=PROJECT, title="XSS in Kommentaren", status="published")
            db.session.add(project)
            db.session.flush()
            services.save_settings(project.id, enabled=True, moderation="post")
            people = [factories.user(username=name, first_name=name, email=f"x{n}@example.org")
                      for n, name in enumerate(names(20))]
            parent = None
            for n, text in enumerate(payloads(COMMENTS)):
                comment, _ = services.post(
                    "project", project, people[n % len(people)], text,
                    submission_key=f"xss-{n:03d}-kommentar",
                    parent_id=parent.id if parent is not None and n % 3 == 2 else None)
                if comment.parent_id is None:
                    parent = comment
            for n, text in enumerate(payloads()[-5:]):
                waiting, _ = services.post("project", project, people[n], text,
                                           submission_key=f"xss-wait-{n:03d}")
                waiting.moderation_state = ModerationState.PENDING
            first = db.session.scalar(select(Comment).where(
                Comment.linked_project_id == project.id).order_by(Comment.id))
            flags.flag(first, people[-1], "spam", payloads()[1])
            db.session.commit()
        waiting = list(db.session.scalars(select(Comment.id).where(
            Comment.linked_project_id == project.id,
            Comment.moderation_state == ModerationState.PENDING)))
        author = db.session.scalar(select(User).where(User.username == names(1)[0]))
        live_server.demo_passwords[author.username] = factories.PASSWORD
        project_id = project.id
        db.session.remove()
    return project_id, waiting


def test_payloads_in_comments_and_names_stay_text(page, browser, live_server):
    project_id, waiting = make_thread(live_server)
    # 40 top-level comments (a third are replies), 20 a page: two pages and one beyond.
    for number in (1, 2, 3):
        page.goto(f"/projects/{PROJECT}?comments_page={number}")
        assert_harmless(page)
    page.goto(f"/projects/{PROJECT}")
    expect(page.locator("#comments-heading")).to_have_text(f"{COMMENTS} Kommentare")
    expect(page.locator("#comments .comment-author").first).to_have_text(names(1)[0])
    page.goto(f"/projects/{PROJECT}?comments=newest")
    assert_harmless(page)
    page.goto(f"/comments/project/{project_id}")
    assert_harmless(page)
    check_page(page, "xss-comments-visitor")

    # An account whose name is a payload writes and reads its own waiting comment.
    log_in(page, live_server, names(1)[0])
    page.goto(f"/projects/{PROJECT}")
    page.fill("#text", payloads()[3])
    with page.expect_navigation():
        page.get_by_role("button", name="Kommentar senden").click()
    assert_harmless(page)

    moderator = browser.new_context(locale="de-DE", base_url=live_server.url).new_page()
    log_in(moderator, live_server, "moderator")
    moderator.goto("/moderation")
    assert_harmless(moderator)
    check_page(moderator, "xss-comments-queue")
    entry = moderator.locator(".queue-item",
                              has=moderator.locator(f"#item-comments-{waiting[0]}"))
    with moderator.expect_navigation():
        entry.get_by_role("button", name="Freigeben und veröffentlichen").click()
    assert_harmless(moderator)
    moderator.context.close()

    admin = browser.new_context(locale="de-DE", base_url=live_server.url).new_page()
    log_in(admin, live_server, "admin")
    admin.goto("/admin/audit")
    assert_harmless(admin)
    admin.context.close()
