"""Staff work from the list of votes in the browser: copy a vote as a new draft, close
another one early through its confirmation page, and delete an option (and look at
deleting a question) through pages that ask once more; all without JavaScript's help,
every page passing axe-core, at the width the run asks for (SCREENSHOT_WIDTH)."""

from datetime import timedelta

from mitwirkung.core.time import utcnow

from ..projects import factories as project_factories
from ..votes import factories as vote_factories
from .a11y import check_page
from .test_paper_flow import submit
from .test_staff_pages import log_in


def _votes(live_server) -> None:
    with live_server.app.app_context():
        project = project_factories.project(title="Alter Werkhof", slug="alter-werkhof")
        vote_factories.make_vote(project, slug="werkhof", title="Werkhof: Nutzung",
                                 opens_at=utcnow() - timedelta(days=3))
        vote_factories.make_vote(project, slug="werkhof-name", title="Werkhof: Name",
                                 opens_at=utcnow() - timedelta(days=2))


def test_staff_copy_a_vote_close_another_early_and_delete_an_option(page, live_server):
    _votes(live_server)
    log_in(page, live_server, "staff")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Abstimmungen verwalten").click()
    assert page.locator("h1").inner_text() == "Abstimmungen verwalten"
    row = page.locator("tr", has=page.get_by_role("link", name="Werkhof: Nutzung", exact=True))
    assert "Geöffnet" in row.inner_text() and "Alter Werkhof" in row.inner_text()
    check_page(page, "votes-list")

    # Copy from the list: staff land on the new draft.
    with page.expect_navigation():
        row.get_by_role("button", name="Kopieren").click()
    assert page.url.endswith("/manage/votes/werkhof-kopie")
    assert "Kopie" in page.locator(".flash-success").inner_text()
    assert page.locator("h1").inner_text().endswith("Werkhof: Nutzung (Kopie)")
    check_page(page, "vote-copied")

    # Delete an option of the copy: a page names it and asks once more.
    page.locator("tr", has_text="Grünes Band").get_by_role("link", name="Löschen").click()
    assert page.locator("h1").inner_text() == "Antwort „Grünes Band“ löschen?"
    check_page(page, "option-delete-confirm")
    submit(page, "main form button.danger")
    assert "gelöscht" in page.locator(".flash-success").inner_text()
    assert "Grünes Band" not in page.locator("main").inner_text()
    check_page(page, "option-deleted")

    # Deleting a question asks too; Cancel leads back and deletes nothing.
    question = page.locator("section.question-setup",
                            has=page.get_by_role("heading", name="Wie soll der Platz heißen?"))
    question.get_by_role("link", name="Frage löschen").click()
    assert "Lauterplatz" in page.locator("main").inner_text()
    check_page(page, "question-delete-confirm")
    page.get_by_role("link", name="Abbrechen").click()
    assert "Wie soll der Platz heißen?" in page.locator("main").inner_text()

    # Close the other vote early, through its own confirmation page.
    page.goto("/manage/votes")
    page.get_by_role("link", name="Werkhof: Name", exact=True).click()
    page.get_by_role("link", name="Abstimmung jetzt beenden").click()
    assert page.locator("h1").inner_text() == "Abstimmung jetzt beenden?"
    assert "Die Online-Abstimmung endet sofort." in page.locator("main").inner_text()
    check_page(page, "close-now-confirm")
    submit(page, "main form button.danger")
    assert "Die Abstimmung ist beendet" in page.locator(".flash-success").inner_text()
    assert page.get_by_role("link", name="Abstimmung jetzt beenden").count() == 0
    check_page(page, "closed-early")
    page.goto("/manage/votes")
    row = page.locator("tr", has=page.get_by_role("link", name="Werkhof: Name", exact=True))
    assert "Beendet" in row.inner_text()
    check_page(page, "votes-list-after")
