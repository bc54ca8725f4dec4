"""A resident votes with the keyboard alone: ballot, review, receipt, results - each page
free of axe-core violations."""

from .a11y import check_page
from .test_staff_pages import log_in


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector` (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_resident_votes_with_the_keyboard_only(page, live_server):
    log_in(page, live_server, "citizen")
    page.goto("/votes/pfalztheater")
    check_page(page, "vote-ballot")

    # Tab lands on a group's checked radio ("no answer" at first); arrows move the choice.
    tab_to(page, "input[name=q-entwurf]")
    page.keyboard.press("ArrowRight")  # wraps from "no answer" to A
    page.keyboard.press("ArrowRight")
    assert page.is_checked("#q-entwurf-B")
    tab_to(page, "input[name=q-name]")
    page.keyboard.press("ArrowRight")
    assert page.is_checked("#q-name-A")
    tab_to(page, "form.ballot button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "/review" in page.url
    review = page.locator("main").inner_text()
    assert "Verschlungene Wege" in review and "Theatergarten" in review
    check_page(page, "vote-review")
    tab_to(page, "form[action$='/cast'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith("/votes/pfalztheater/receipt")
    assert "Verschlungene Wege" not in page.locator("main").inner_text()
    check_page(page, "vote-receipt")

    page.goto("/votes/pfalztheater")
    assert page.locator("form.ballot").count() == 0, "one ballot per account"
    page.goto("/votes/pfalztheater/results")
    row = page.locator("tr", has_text="Verschlungene Wege")
    assert row.locator("td[data-label=Online]").inner_text() == "1"
    check_page(page, "vote-results")


def test_a_choice_removed_after_the_review_is_explained_on_a_fresh_ballot(page, live_server):
    from mitwirkung.accounts.models import User
    from mitwirkung.extensions import db
    from mitwirkung.projects.models import Project
    from mitwirkung.votes.models import Vote
    from mitwirkung.votes.setup import questions as vote_questions

    from ..votes.factories import make_vote

    with live_server.app.app_context():
        make_vote(db.session.scalars(db.select(Project)).first(), slug="umbenennung",
                  title="Zweite Runde: Entwurf und Name")
    log_in(page, live_server, "moderator")
    page.goto("/votes/umbenennung")
    page.check("#q-entwurf-C")
    with page.expect_navigation():
        page.click("form.ballot button[type=submit]")
    assert "Grünes Band" in page.locator("main").inner_text()

    with live_server.app.app_context():  # staff remove option C meanwhile
        vote = db.session.scalar(db.select(Vote).where(Vote.slug == "umbenennung"))
        staff = db.session.scalar(db.select(User).where(User.username == "staff"))
        vote_questions.delete_option(vote.questions[0].options[2], staff)
        db.session.commit()
    with page.expect_navigation():
        page.click("form[action$='/cast'] button")

    assert page.url.endswith("/votes/umbenennung/cast")
    assert "Nichts wurde gezählt" in page.locator("main").inner_text()
    assert page.locator("#q-entwurf-C").count() == 0 and page.locator("#q-entwurf-B").count()
    check_page(page, "vote-choice-removed")
