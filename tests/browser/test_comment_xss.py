"""Script in comments and in the names shown next to them stays text in a real browser
(Decidim CVE-2026-23891 ran script through the name beside a comment): 60 payloads as
comments and replies by 20 accounts whose usernames are payloads too, on every page of a
thread, newest first, a vote option's page, the moderators' queue with some waiting and one
reported, the reported list, and the audit log after a decision. On a server of its own (as the map
tests), so its accounts and comments meet no other test."""

import pytest
from playwright.sync_api import expect

from ..map_page import make_app
from ..xss_payloads import names, payloads
from .a11y import check_page
from .test_idea_xss import assert_harmless
from .test_map import AppServer, settings

PROJECT = "xss-kommentare"
COMMENTS = 60


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    app = make_app(settings(tmp_path_factory), tmp_path_factory.mktemp("xss-db") / "xss.db")
    with AppServer(app) as running:
        running.app = app
        running.demo_passwords = {}
        yield running


def log_in(page, server, login: str) -> None:
    page.goto(server.url + "/login")
    page.fill("[name=login]", login)
    page.fill("[name=password]", server.demo_passwords[login])
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def make_thread(server) -> tuple[int, list[int]]:
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

    with server.app.app_context():
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
        server.demo_passwords[author.username] = factories.PASSWORD
        for role in ("moderator", "admin"):
            if db.session.scalar(select(User).where(User.username == role)) is None:
                factories.user(role=role, username=role, email=f"{role}@example.org")
            server.demo_passwords[role] = factories.PASSWORD
        db.session.commit()
        project_id = project.id
        db.session.remove()
    return project_id, waiting


def test_payloads_in_comments_and_names_stay_text(page, browser, server, other_hosts):
    other_hosts.add(server.netloc)
    project_id, waiting = make_thread(server)
    base = server.url
    # 40 top-level comments (a third are replies), 20 a page: two pages and one beyond.
    for number in (1, 2, 3):
        page.goto(f"{base}/projects/{PROJECT}?comments_page={number}")
        assert_harmless(page)
    page.goto(f"{base}/projects/{PROJECT}")
    expect(page.locator("#comments-heading")).to_have_text(f"{COMMENTS} Kommentare")
    expect(page.locator("#comments .comment-author").first).to_have_text(names(1)[0])
    page.goto(f"{base}/projects/{PROJECT}?comments=newest")
    assert_harmless(page)
    page.goto(f"{base}/comments/project/{project_id}")
    assert_harmless(page)
    check_page(page, "xss-comments-visitor")

    # An account whose name is a payload writes and reads its own waiting comment.
    log_in(page, server, names(1)[0])
    page.goto(f"{base}/projects/{PROJECT}")
    page.fill("#text", payloads()[3])
    with page.expect_navigation():
        page.get_by_role("button", name="Kommentar senden").click()
    assert_harmless(page)

    moderator = browser.new_context(locale="de-DE", base_url=server.url).new_page()
    log_in(moderator, server, "moderator")
    moderator.goto(f"{base}/moderation")
    assert_harmless(moderator)
    check_page(moderator, "xss-comments-queue")
    entry = moderator.locator(".queue-item",
                              has=moderator.locator(f"#item-comments-{waiting[0]}"))
    with moderator.expect_navigation():
        entry.get_by_role("button", name="Freigeben und veröffentlichen").click()
    assert_harmless(moderator)
    moderator.context.close()

    admin = browser.new_context(locale="de-DE", base_url=server.url).new_page()
    log_in(admin, server, "admin")
    admin.goto(f"{base}/admin/audit")
    assert_harmless(admin)
    admin.goto(f"{base}/admin/users")
    check_page(admin, "xss-comments-accounts")
    assert_harmless(admin)
    admin.context.close()
