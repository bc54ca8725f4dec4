"""A person's survey data: their own responses to surveys that are not anonymous are in
their export and go with their account; anonymous ones are not theirs any more."""

import json

from sqlalchemy import func, select

from mitwirkung.core import data_rights
from mitwirkung.extensions import db
from mitwirkung.surveys.models import QuestionKind, SurveyAnswer, SurveyParticipation

from . import factories
from .answering import counts, walk


def test_own_responses_are_exported_and_erased_anonymous_ones_are_not_theirs(as_, people, app):
    named = factories.survey(slug="benannt")
    hours = factories.question(named, QuestionKind.NUMBER, "Wie viele Stunden?")
    secret = factories.survey(slug="geheim", anonymous=True)
    choice = factories.question(secret, QuestionKind.YES_NO, "Geheime Frage?")
    citizen = people["citizen"]
    assert walk(as_("citizen"), "benannt", {f"q{hours.id}": "8,5"}).status_code == 302
    assert walk(as_("other"), "benannt", {f"q{hours.id}": "3"}).status_code == 302
    for name in ("citizen", "other"):
        assert walk(as_(name), "geheim", {f"q{choice.id}": choice.options[0].id}).status_code == 302

    with app.test_request_context():
        _export_and_erase(citizen, named, secret)


def _export_and_erase(citizen, named, secret):
    exported = data_rights.export(citizen)["surveys"]
    assert {item["survey_slug"] for item in exported["answered"]} == {"benannt", "geheim"}
    assert exported["responses"] == [{"survey_slug": "benannt", "sent_on": exported[
        "responses"][0]["sent_on"], "answers": [{"question": "Wie viele Stunden?",
                                                 "statement": None, "option": None,
                                                 "number": 8.5, "text": None}]}]
    assert "Geheime Frage" not in json.dumps(exported)
    assert "anonymous" in exported["note"] or "anonym" in exported["note"]

    data_rights.erase(citizen)
    db.session.commit()
    assert counts(named) == (1, 1, 1)  # the other person's response stays
    assert db.session.scalar(select(func.count()).where(SurveyAnswer.number == 8.5)) == 0
    # The anonymous response stays where it is (its participation too: it alone shows
    # that the survey has responses while they wait in the inbox for k).
    assert db.session.scalar(select(func.count()).where(
        SurveyParticipation.survey_id == secret.id)) == 1
    assert data_rights.export(citizen)["surveys"]["responses"] == []
