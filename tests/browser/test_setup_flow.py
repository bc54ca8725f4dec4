"""Staff set up a project and a vote in the browser, leaving every optional field empty,
the image fields included: a browser sends an untouched file input as an empty part."""

from .a11y import check_page
from .test_paper_flow import submit
from .test_staff_pages import log_in


def test_staff_save_a_project_and_an_option_without_an_image(page, live_server):
    log_in(page, live_server, "staff")
    page.goto("/manage/projects/new")
    page.fill("[name=title]", "Spielplatz am Volkspark")
    page.fill("[name=teaser]", "Wie soll der neue Spielplatz aussehen?")
    submit(page)
    assert page.locator(".flash-success").is_visible(), page.locator("main").inner_text()
    assert page.locator(".error-summary").count() == 0
    check_page(page, "setup-project-created")
    page.fill("[name=teaser]", "Wie soll der Spielplatz aussehen? Sagen Sie es uns.")
    submit(page, "form[enctype='multipart/form-data'] button[type=submit]")
    assert "gespeichert" in page.locator(".flash-success").inner_text()

    page.goto("/manage/votes/new")
    page.select_option("[name=project_id]", label="Spielplatz am Volkspark")
    page.fill("[name=title]", "Spielgeräte")
    page.fill("[name=slug]", "spielgeraete")
    page.fill("[name=opens_at]", "2026-12-01T09:00")
    page.fill("[name=closes_at]", "2027-01-31T18:00")
    submit(page)
    check_page(page, "setup-vote-created")
    page.get_by_role("link", name="Frage hinzufügen").click()
    page.fill("[name=code]", "geraet")
    page.fill("[name=title]", "Welches Spielgerät wünschen Sie sich?")
    submit(page)
    page.get_by_role("link", name="Antwort hinzufügen").first.click()
    check_page(page, "setup-option-form")
    page.fill("[name=code]", "A")
    page.fill("[name=title]", "Kletterturm")
    submit(page, "form[enctype='multipart/form-data'] button[type=submit]")
    assert page.locator(".error-summary").count() == 0, page.locator("main").inner_text()
    assert "Kletterturm" in page.locator("main").inner_text()
    check_page(page, "setup-option-added")
