"""Residents answer a three-page survey with conditions by keyboard, with JavaScript and
without; a visitor answers a public anonymous survey. Every page passes axe-core and fits
a phone (check_page)."""

from playwright.sync_api import expect

from .a11y import check_page, save_screenshot
from .test_vote_flow import tab_to


def _world(live_server):
    """A three-page survey (a condition on the same page and one on a later page) and a
    public anonymous one; two residents who answer."""
    from sqlalchemy import select

    from mitwirkung.extensions import db
    from mitwirkung.projects.models import Project
    from mitwirkung.surveys.models import Audience, QuestionKind, Survey

    from .. import factories as user_factories
    from ..surveys import factories

    with live_server.app.app_context():
        if db.session.scalar(select(Survey).where(Survey.slug == "arbeitsweg")):
            return
        project = db.session.scalars(select(Project).where(Project.status != "draft")).first()
        survey = factories.survey(project, slug="arbeitsweg", title="Ihr Weg zur Arbeit",
                                  intro="Wie kommen Sie zur Arbeit? Drei kurze Seiten.")
        way = factories.question(survey, QuestionKind.SINGLE, "Wie kommen Sie zur Arbeit?",
                                 options=("Fahrrad", "Auto", ("Sonstiges", {"is_other": True})),
                                 required=True)
        factories.question(survey, QuestionKind.YES_NO, "Gibt es einen Fahrradstellplatz?",
                           condition_question_id=way.id,
                           condition_option_id=factories.option(way, "Fahrrad").id)
        factories.question(survey, QuestionKind.NUMBER, "Wie viele Stunden im Monat spart es?",
                           page=2, number_min=0, number_max=200, number_step=0.5,
                           unit="Stunden", required=True)
        factories.question(survey, QuestionKind.SCALE, "Wie zufrieden sind Sie?", page=2,
                           scale_min_label="gar nicht", scale_max_label="sehr")
        factories.question(survey, QuestionKind.MATRIX, "Wie wichtig ist Ihnen ...", page=2,
                           statements=("der Preis", "die Zeit", "das Wetter"),
                           scale_min_label="unwichtig", scale_max_label="sehr wichtig")
        factories.question(survey, QuestionKind.TEXT, "Warum fahren Sie Auto?", page=3,
                           condition_question_id=way.id,
                           condition_option_id=factories.option(way, "Auto").id)
        factories.question(survey, QuestionKind.MULTIPLE, "Was wünschen Sie sich?", page=3,
                           options=("Duschen", "Ladestation", "Jobticket"), max_choices=2)
        public = factories.survey(project, slug="verpackung", title="Verpackungssteuer",
                                  audience=Audience.PUBLIC, anonymous=True)
        factories.question(public, QuestionKind.YES_NO, "Finden Sie die Steuer richtig?",
                           required=True)
        user_factories.user(username="radlerin")
        user_factories.user(username="ohnejs")


def _log_in(page, username):
    from .. import factories as user_factories

    page.goto("/login")
    page.fill("[name=login]", username)
    page.fill("[name=password]", user_factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def _submit(page, label):
    """Press a button of the answering form by keyboard: "next" is the main one, which
    says "Weiter" or, when nothing can follow, "Antworten senden"."""
    values = ("next", "send") if label == "next" else (label,)
    tab_to(page, ", ".join(f"form[data-survey-form] button[value={value}]" for value in values))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_resident_answers_by_keyboard_with_javascript(page, live_server):
    _world(live_server)
    _log_in(page, "radlerin")
    page.goto("/surveys/arbeitsweg")
    check_page(page, "survey-page")
    tab_to(page, "a[data-survey-start]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "js=1" in page.url
    expect(page.locator(".survey-progress")).to_contain_text("Seite 1 von 3")
    parking = page.locator(".survey-question", has_text="Fahrradstellplatz")
    expect(parking).to_be_hidden()
    check_page(page, "survey-answer-1-js")
    tab_to(page, "input[type=radio][value]:not([name$=_other])")
    page.keyboard.press("Space")  # Fahrrad
    expect(parking).to_be_visible()  # shown in its place, next in the tab order
    tab_to(page, f"#{parking.get_attribute('id')} input[type=radio]")
    page.keyboard.press("Space")
    _submit(page, "next")

    expect(page.locator(".survey-progress")).to_contain_text("Seite 2 von 3")
    tab_to(page, "input[inputmode=decimal]")
    page.keyboard.type("acht")
    _submit(page, "next")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("Bitte geben Sie eine Zahl ein")
    assert page.input_value("input[inputmode=decimal]") == "acht"
    check_page(page, "survey-answer-2-error")
    page.fill("input[inputmode=decimal]", "8,5")
    tab_to(page, ".matrix input[type=radio]")
    page.keyboard.press("Space")
    _submit(page, "next")

    expect(page.locator(".survey-progress")).to_contain_text("Seite 3 von 3")
    assert "Warum fahren Sie Auto?" not in page.locator("main").inner_text()
    check_page(page, "survey-answer-3")
    tab_to(page, "input[type=checkbox]")
    page.keyboard.press("Space")
    _submit(page, "next")
    assert page.url.endswith("/surveys/arbeitsweg/thanks")
    expect(page.locator("h1")).to_have_text("Vielen Dank für Ihre Antworten")
    check_page(page, "survey-thanks")
    page.goto("/surveys/arbeitsweg")
    expect(page.locator(".survey-start")).to_contain_text("Sie haben bereits geantwortet")


def test_a_resident_answers_without_javascript(browser, live_server):
    _world(live_server)
    context = browser.new_context(locale="de-DE", base_url=live_server.url,
                                  java_script_enabled=False,
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        _log_in(page, "ohnejs")
        page.goto("/surveys/arbeitsweg")
        page.get_by_role("link", name="Umfrage beginnen").click()
        page.wait_for_load_state()
        assert "Fahrradstellplatz" not in page.locator("main").inner_text()
        _submit(page, "next")  # nothing chosen: the required question says so
        expect(page.locator("#error-summary")).to_contain_text("Bitte beantworten Sie diese Frage.")
        # axe needs JavaScript: this page is checked with it in the other walks.
        save_screenshot(page, "survey-nojs-error")
        page.check("label:has-text('Auto')")
        _submit(page, "next")
        expect(page.locator(".survey-progress")).to_contain_text("Seite 2 von 3")
        page.fill("input[inputmode=decimal]", "12")
        _submit(page, "back")
        expect(page.locator(".survey-progress")).to_contain_text("Seite 1 von 3")
        assert page.is_checked("label:has-text('Auto')")
        page.check("label:has-text('Fahrrad')")
        _submit(page, "next")
        # Split without JavaScript: the rest of page 1, asked after the answer it rests on.
        expect(page.locator(".survey-progress")).to_contain_text("Seite 1 von 3")
        expect(page.locator("main")).to_contain_text("Gibt es einen Fahrradstellplatz?")
        save_screenshot(page, "survey-nojs-split")
        page.check("label:has-text('Nein')")
        _submit(page, "next")
        assert page.input_value("input[inputmode=decimal]") == "12"
        _submit(page, "next")
        expect(page.locator(".survey-progress")).to_contain_text("Seite 3 von 3")
        _submit(page, "next")
        assert page.url.endswith("/surveys/arbeitsweg/thanks")
    finally:
        context.close()


def test_a_visitor_answers_a_public_anonymous_survey(page, live_server):
    _world(live_server)
    page.goto("/surveys/verpackung")
    expect(page.locator(".survey-start")).to_contain_text("keine Garantie")
    page.get_by_text("Was „anonym“ hier bedeutet").click()
    check_page(page, "survey-public-page")
    page.get_by_role("link", name="Umfrage beginnen").click()
    page.wait_for_load_state()
    expect(page.locator(".survey-progress")).to_contain_text("Seite 1 von 1")
    page.check("label:has-text('Ja')")
    with page.expect_navigation():
        page.click("button[value=send]")
    assert page.url.endswith("/surveys/verpackung/thanks")
    expect(page.locator("main")).to_contain_text("ohne Ihren Namen gespeichert")
    check_page(page, "survey-public-thanks")
    page.goto("/surveys/verpackung")
    expect(page.locator(".survey-start")).to_contain_text("Sie haben bereits geantwortet")

