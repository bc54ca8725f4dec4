"""Survey results in the browser: staff read the results of a survey with responses while
it runs, break them down by one question, open a question's free texts and search them; a
visitor reads the public results after the close and sees no free text. Every page passes
axe-core and fits a phone."""

from datetime import timedelta

from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.surveys.models import Audience, QuestionKind

from .. import factories as user_factories
from ..projects import factories as project_factories
from ..surveys import factories as f
from .a11y import check_page
from .test_paper_flow import submit
from .test_staff_pages import log_in


def _survey(live_server, slug: str, closed: bool):
    """The packaging-tax survey with 30 responses: 20 residents, 8 businesses, 2 others."""
    with live_server.app.app_context():
        project = project_factories.project(title="Verpackungssteuer", slug=f"{slug}-projekt")
        window = ({"opens_at": utcnow() - timedelta(days=20),
                   "closes_at": utcnow() - timedelta(days=1)} if closed else {})
        survey = f.survey(project, slug=slug, title="Umfrage zur Verpackungssteuer",
                          audience=Audience.PUBLIC, results_public=True, **window)
        who = f.question(survey, QuestionKind.SINGLE, title="Sie antworten als",
                         options=("Einwohnerin oder Einwohner", "Gewerbe",
                                  ("Sonstiges, bitte angeben", {"is_other": True})))
        known = f.question(survey, QuestionKind.YES_NO,
                           title="Kennen Sie die geplante Verpackungssteuer?")
        cups = f.question(survey, QuestionKind.MULTIPLE, title="Welche Verpackungen nutzen Sie?",
                          options=("Becher", "Teller", "Besteck"))
        hours = f.question(survey, QuestionKind.NUMBER, title="Wie viele Stunden im Monat?",
                           unit="Stunden")
        clean = f.question(survey, QuestionKind.SCALE, title="Wie sauber ist die Innenstadt?",
                           scale_min_label="gar nicht", scale_max_label="sehr")
        matter = f.question(survey, QuestionKind.MATRIX, title="Wie wichtig sind Ihnen ...",
                            statements=("Sauberkeit", "Kosten"))
        note = f.question(survey, QuestionKind.TEXT, title="Was möchten Sie uns noch sagen?")
        groups = ["Einwohnerin oder Einwohner"] * 20 + ["Gewerbe"] * 8 + \
            ["Sonstiges, bitte angeben"] * 2
        sets = []
        for i, group in enumerate(groups):
            value = {"option": f.option(who, group).id}
            if group.startswith("Sonstiges"):
                value["other"] = "Verein"
            sets.append({
                who: value, known: {"option": known.options[i % 3 == 0].id},
                cups: {"options": [o.id for o in cups.options[: 1 + i % 3]]},
                hours: {"number": 8 + (i % 2)}, clean: {"number": 1 + i % 5},
                matter: {"rows": {str(matter.statements[0].id): 5,
                                  str(matter.statements[1].id): 1 + i % 5}},
                note: {"text": "Mehr Mülleimer am Stiftsplatz" if i % 4 == 0
                       else f"Anmerkung Nummer {i}"} if i % 2 == 0 else {}})
        f.responses(survey, *sets, user_ids=[user_factories.user().id for _ in sets])
        db.session.commit()
        return who.id


def test_staff_read_break_down_and_search_the_texts_of_a_running_survey(page, live_server):
    who = _survey(live_server, "verpackung-laufend", closed=False)
    log_in(page, live_server, "staff")
    page.goto("/surveys/verpackung-laufend/results")
    assert "30 Antworten" in page.locator("#result-status").inner_text()
    assert page.locator("#staff-only").is_visible()
    check_page(page, "survey-results-staff")

    page.select_option("[name=by]", str(who))
    submit(page, "main form[method=get] button[type=submit]")
    assert f"by={who}" in page.url
    assert "< 5" in page.locator("main").inner_text()
    assert "Sonstiges, bitte angeben: 2 Antworten – ihre Zahlen sind ausgeblendet" in \
        page.locator("#group-sizes").inner_text()
    check_page(page, "survey-results-breakdown")

    page.get_by_role("link", name="Texte zu Frage 7 lesen und durchsuchen").first.click()
    page.wait_for_load_state()
    assert "15 Texte" in page.locator("#texts-heading").inner_text()
    check_page(page, "survey-results-texts")
    page.fill("[name=q]", "mülleimer")
    submit(page, "main form[role=search] button[type=submit]")
    assert "8 Texte gefunden" in page.locator("#texts-heading").inner_text()
    assert page.locator(".answer-texts li").count() == 8
    check_page(page, "survey-results-texts-search")


def test_a_visitor_reads_public_results_after_the_close(page, live_server):
    _survey(live_server, "verpackung-beendet", closed=True)
    page.goto("/surveys/verpackung-beendet/results")
    main = page.locator("main").inner_text()
    assert "30 Antworten" in main and "die Umfrage endete am" in main
    assert "Anmerkung Nummer" not in main and "Texte zu Frage" not in main
    assert page.locator("table").count() >= 7
    check_page(page, "survey-results-visitor")
