"""The builder's rules without a request: settings, the lock, conditions, and how the
audit log reads what staff did."""

from datetime import timedelta

import pytest

from mitwirkung.core import audit
from mitwirkung.core.models import AuditEntry
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.surveys.models import QuestionKind
from mitwirkung.surveys.setup import questions
from mitwirkung.surveys.setup import services as setup

from . import factories
from .builder import answered, draft_survey


def _settings(**fields) -> setup.SurveySettings:
    now = utcnow()
    return setup.SurveySettings(**({"title": "Umfrage", "slug": "umfrage",
                                    "opens_at": now, "closes_at": now + timedelta(days=7)}
                                   | fields))


def test_anonymous_responses_cannot_be_changeable(app_ctx, staff):
    from ..projects import factories as project_factories

    with pytest.raises(setup.AnonymousFinal) as refused:
        setup.create_survey(project_factories.project(), staff,
                            _settings(anonymous=True, changeable=True))
    assert refused.value.field == "changeable"


def test_locked_settings_are_refused_by_the_service(app_ctx, staff):
    survey = answered(draft_survey(slug="umfrage", anonymous=False))
    for name, value in (("audience", "public"), ("anonymous", True), ("quiz", True)):
        fields = {"anonymous": False, "audience": survey.audience} | {name: value}
        with pytest.raises(setup.SettingLocked) as refused:
            setup.update_survey(survey, staff, _settings(
                opens_at=survey.opens_at, closes_at=survey.closes_at, **fields))
        assert refused.value.field == name


def test_the_slug_of_a_published_survey_is_fixed(app_ctx, staff):
    survey = factories.survey(slug="umfrage")
    with pytest.raises(setup.SlugFixed):
        setup.update_survey(survey, staff, _settings(slug="anders"))


def test_structural_changes_of_a_locked_survey_are_refused(app_ctx, staff):
    survey = answered(draft_survey(slug="umfrage"))
    who, count = survey.questions
    data = questions.question_data(count)
    with pytest.raises(setup.StructureLocked):
        questions.add_question(survey, staff, questions.QuestionData(kind="text", title="Neu"))
    with pytest.raises(setup.StructureLocked):
        questions.update_question(count, staff, data)
    with pytest.raises(setup.StructureLocked):
        questions.delete_question(count, staff)
    with pytest.raises(setup.StructureLocked):
        questions.move_question(count, staff, "up")
    with pytest.raises(setup.QuestionError):
        questions.fix_wording(who, staff, questions.wording_of(who)._replace(options=["Nur eine"]))


def test_publishing_needs_a_question_and_two_options_each(app_ctx, staff):
    survey = factories.survey(slug="umfrage", status="draft")
    with pytest.raises(setup.NotReady) as refused:
        setup.publish_survey(survey, staff)
    assert "mindestens eine Frage" in str(refused.value)
    factories.question(survey, QuestionKind.SINGLE, "Eine?", options=("Nur eine",))
    with pytest.raises(setup.NotReady) as refused:
        setup.publish_survey(survey, staff)
    assert "mindestens zwei Antworten" in str(refused.value)


def test_a_condition_on_a_question_without_options_is_refused(app_ctx, staff):
    survey = factories.survey(slug="umfrage", status="draft")
    factories.question(survey, QuestionKind.TEXT, "Warum?")
    with pytest.raises(setup.ConditionBroken):
        questions.add_question(survey, staff, questions.QuestionData(
            kind="text", title="Und?", page=2, condition_option_id=999_999))


def test_the_audit_log_reads_as_sentences(app_ctx, staff):
    survey = answered(draft_survey(slug="umfrage", title="Verpackungssteuer"))
    who = survey.questions[0]
    questions.fix_wording(who, staff, questions.wording_of(who)._replace(
        options=["Einwohnerin", "Gewerbe"]))
    entry = audit.record(staff, "survey.publish", survey, slug=survey.slug)
    lines = audit.describe([entry])
    assert lines[0].sentence == "Umfrage „Verpackungssteuer“ veröffentlicht"
    wording = db.session.query(AuditEntry).filter_by(action="survey.question_wording").one()
    assert audit.describe([wording])[0].sentence == (
        "Wortlaut der Frage „Wer sind Sie?“ der Umfrage „Verpackungssteuer“ korrigiert: "
        "Antwortmöglichkeit 1 von „Einwohner“ zu „Einwohnerin“")
