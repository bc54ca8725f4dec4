"""A staff member builds a survey in the browser by keyboard: from the project's staff page
to a new survey, a choice question on page 1, a number question on page 2 shown only to
businesses, optional fields left empty, then publishes it. Every page passes axe-core and
fits a phone; screenshots at the width the run asks for (SCREENSHOT_WIDTH)."""

from mitwirkung.extensions import db
from mitwirkung.surveys import services

from ..projects import factories as project_factories
from ..surveys.builder import answered
from .a11y import check_page
from .test_staff_pages import log_in


def _type(page, selector: str, text: str) -> None:
    page.locator(selector).focus()
    page.keyboard.type(text)


def _press_enter_on(page, locator) -> None:
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_staff_build_a_two_page_survey_with_a_condition_by_keyboard(page, live_server):
    with live_server.app.app_context():
        project = project_factories.project(title="Verpackungssteuer", slug="verpackung")
        project_id = project.id
        db.session.commit()
    log_in(page, live_server, "staff")
    page.goto(f"/manage/projects/{project_id}/edit")
    _press_enter_on(page, page.locator("#project-surveys ~ p a", has_text="Neue Umfrage"))
    assert page.locator("h1").inner_text() == "Neue Umfrage"
    assert page.locator("#project_id").input_value() == str(project_id)
    check_page(page, "survey-new")

    # Bad input first: the form keeps what was typed and says what is wrong.
    _type(page, "#title", "Befragung zu Einwegverpackungen")
    _type(page, "#slug", "einwegverpackungen")
    page.fill("#opens_at", "2026-03-01T09:00")
    page.fill("#closes_at", "2026-02-01T09:00")
    page.locator("#changeable").focus()
    page.keyboard.press("Space")
    _press_enter_on(page, page.locator("#title"))
    assert "Das Ende muss nach dem Beginn liegen" in page.locator(".error-summary").inner_text()
    assert "nicht wiederfinden" in page.locator("#changeable-error").inner_text()
    assert page.locator("#title").input_value() == "Befragung zu Einwegverpackungen"
    check_page(page, "survey-new-errors")
    page.fill("#closes_at", "2026-03-31T18:00")
    page.locator("#changeable").focus()
    page.keyboard.press("Space")
    _press_enter_on(page, page.locator("#title"))
    assert page.url.endswith("/manage/surveys/einwegverpackungen")
    check_page(page, "survey-manage-empty")

    # Page 1: who answers (single choice), required, options typed one per line.
    _press_enter_on(page, page.get_by_role("link", name="Frage hinzufügen"))
    check_page(page, "survey-question-kinds")
    _press_enter_on(page, page.get_by_role("link", name="Einfachauswahl"))
    assert page.evaluate("document.activeElement.id") == "title"
    page.keyboard.type("Wer sind Sie?")
    page.keyboard.press("Tab")  # help text, left empty
    page.keyboard.press("Tab")
    page.keyboard.type("Einwohnerin oder Einwohner\nGewerbe")
    page.locator("#required").focus()
    page.keyboard.press("Space")
    check_page(page, "survey-question-single")
    _press_enter_on(page, page.locator("#title"))
    assert "hinzugefügt" in page.locator(".flash-success").inner_text()

    # Page 2: hours (number), only for businesses; unit given, limits left empty.
    _press_enter_on(page, page.get_by_role("link", name="Frage hinzufügen"))
    _press_enter_on(page, page.get_by_role("link", name="Zahl"))
    page.keyboard.type("Wie viele Stunden im Monat kostet Sie die Steuer?")
    _type(page, "#unit", "Stunden")
    page.locator("#page").fill("")
    _type(page, "#page", "2")
    page.locator("#condition").focus()
    page.keyboard.type("Gewerbe")
    assert page.locator("#condition option:checked").inner_text() == "Gewerbe"
    check_page(page, "survey-question-number")
    _press_enter_on(page, page.locator("#title"))

    main = page.locator("main")
    assert "Seite 2 von 2" in main.inner_text()
    assert "die Antwort auf „Wer sind Sie?“ „Gewerbe“ enthält" in main.inner_text()
    check_page(page, "survey-manage-two-pages")

    # Deleting the first question is refused while the second depends on it.
    page.locator("li.question-setup").first.get_by_role(
        "link", name="Löschen").click()
    assert "Ändern Sie zuerst ihre Bedingung" in page.locator("#refused").inner_text()
    check_page(page, "survey-question-delete-refused")
    page.get_by_role("link", name="Zurück zur Umfrage").click()

    # Publish, by keyboard.
    _press_enter_on(page, page.get_by_role("button", name="Veröffentlichen"))
    assert "veröffentlicht" in page.locator(".flash-success").inner_text()
    check_page(page, "survey-published")
    with live_server.app.app_context():
        survey = services.get_survey("einwegverpackungen")
        assert survey.status == "published"
        first, second = survey.questions
        assert (first.page, first.required, [o.label for o in first.options]) == (
            1, True, ["Einwohnerin oder Einwohner", "Gewerbe"])
        assert (second.page, second.unit, second.number_min, second.required) == (
            2, "Stunden", None, False)
        assert second.condition_option_id == first.options[1].id
        db.session.remove()

    # The list of surveys and the project's pages show it.
    page.goto("/manage/surveys")
    row = page.locator("tr", has=page.get_by_role("link", name="Befragung zu Einwegverpackungen"))
    assert "Verpackungssteuer" in row.inner_text()
    check_page(page, "survey-list")
    page.goto(f"/manage/projects/{project_id}/edit")
    check_page(page, "survey-project-staff-section")
    page.goto("/projects/verpackung")
    assert page.locator("#surveys a[href='/surveys/einwegverpackungen']").count() == 1
    check_page(page, "survey-project-public-section")

    # Once somebody has answered, the structure is locked; the wording can be corrected.
    with live_server.app.app_context():
        survey = services.get_survey("einwegverpackungen")
        answered(survey)
        db.session.remove()
    page.goto("/manage/surveys/einwegverpackungen")
    assert page.locator("#locked-notice").count() == 1
    assert page.get_by_role("link", name="Frage hinzufügen").count() == 0
    check_page(page, "survey-manage-locked")
    page.get_by_role("link", name="Wortlaut korrigieren").first.click()
    assert page.locator("#page").count() == 0 and page.locator("#options").count() == 1
    check_page(page, "survey-question-wording")
    page.locator("#options").fill("Einwohnerin oder Einwohner\nGewerbebetrieb")
    _press_enter_on(page, page.locator("#title"))
    assert "Gewerbebetrieb" in page.locator("main").inner_text()
    response = page.goto("/manage/surveys/einwegverpackungen/questions/new")
    assert response.status == 403
    check_page(page, "survey-locked-page")
