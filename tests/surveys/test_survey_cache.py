"""The answering pages keep a survey per process while its version holds: every change by
staff, and a change of its project's status, is seen by the next page."""

from mitwirkung.extensions import db
from mitwirkung.surveys.answering import survey_cache
from mitwirkung.surveys.models import QuestionKind

from . import factories
from .answering import start
from .conftest import html


def test_a_kept_survey_is_read_again_after_any_change(app, as_):
    survey = factories.survey(slug="behalten")
    question = factories.question(survey, QuestionKind.SINGLE, "Wie kommen Sie?",
                                  options=("Rad", "Bus"))
    client = as_("citizen")
    assert "Wie kommen Sie?" in html(start(client, "behalten"))
    kept = survey_cache.survey("behalten")
    assert survey_cache.survey("behalten") is kept  # unchanged: the same object

    question.options[1].label = "Straßenbahn"  # a typo fix by staff
    db.session.commit()
    assert "Straßenbahn" in html(start(client, "behalten"))

    factories.question(survey, QuestionKind.TEXT, "Warum?")  # a new question
    assert "Warum?" in html(start(client, "behalten"))

    survey.title = "Ihr Weg"  # the survey itself
    db.session.commit()
    assert "Ihr Weg" in html(start(client, "behalten"))

    survey.project.status = "draft"  # its project taken back
    db.session.commit()
    assert start(client, "behalten").status_code == 404


def test_a_kept_survey_saves_the_reading_of_its_questions(app, as_, count_queries):
    survey = factories.survey(slug="zaehlen")
    factories.question(survey, QuestionKind.MATRIX, "Wie wichtig?", statements=("A", "B"))
    client = as_("citizen")
    url = "/surveys/zaehlen/answer"
    fresh = count_queries(client, url)
    kept = count_queries(client, url)
    assert kept <= fresh - 3


def test_the_header_settings_come_kept_until_anything_is_written(app, as_, count_queries):
    from mitwirkung.pages import settings
    from mitwirkung.pages.models import SiteSettings

    survey = factories.survey(slug="kopf")
    factories.question(survey, QuestionKind.TEXT, "Warum?")
    row = SiteSettings(id=1, city_name="Kaiserslautern", logo_alt="", version=1)
    db.session.add(row)
    db.session.commit()
    client = as_("citizen")
    url = "/surveys/kopf/answer"
    assert "Kaiserslautern" in html(client.get(url))
    kept = count_queries(client, url)
    settings.forget_shown()
    assert count_queries(client, url) == kept + 1  # the settings row read again

    row.city_name = "Pirmasens"  # an admin's save: the next page shows it
    db.session.commit()
    text = html(client.get(url))
    assert "Pirmasens" in text and "Kaiserslautern" not in text
