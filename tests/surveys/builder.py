"""What the builder's tests share (imported by them, not a conftest, so the answering and
results tests keep their own): people with clients in English, a draft survey of two
pages with a condition, and a survey that somebody has answered (locked)."""

from datetime import date

import pytest

from mitwirkung.extensions import db
from mitwirkung.surveys.models import QuestionKind, SurveyParticipation

from .. import factories as user_factories
from ..conftest import signed_in_client
from ..projects import factories as project_factories
from . import factories

ROLES = ("visitor", "citizen", "moderator", "staff", "admin")


def in_english(client):
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client


@pytest.fixture
def people(app):
    users = {role: user_factories.user(role=role)
             for role in ("citizen", "moderator", "staff", "admin")}
    db.session.commit()
    return users


@pytest.fixture
def as_(app, people):
    """as_(role) -> a client signed in with that role, in English; "visitor" for nobody."""

    def client(role):
        if role == "visitor":
            return in_english(app.test_client())
        return in_english(signed_in_client(app, people[role]))

    return client


def html(response) -> str:
    return response.get_data(as_text=True)


def draft_survey(project=None, **fields):
    """A draft with two pages: "Wer sind Sie?" (single: Einwohner, Gewerbe) on page 1,
    then "Wie viele Beschäftigte?" (number) on page 2, shown only to Gewerbe."""
    survey = factories.survey(project or project_factories.project(), status="draft",
                              **fields)
    who = factories.question(survey, QuestionKind.SINGLE, "Wer sind Sie?",
                             options=("Einwohner", "Gewerbe"), page=1)
    factories.question(survey, QuestionKind.NUMBER, "Wie viele Beschäftigte?", page=2,
                       condition_question_id=who.id,
                       condition_option_id=factories.option(who, "Gewerbe").id,
                       number_min=0, unit="Personen")
    return survey


def answered(survey):
    """Mark `survey` as answered: a participation exists (as from its first response)."""
    db.session.add(SurveyParticipation(survey_id=survey.id,
                                       user_id=user_factories.user().id,
                                       answered_on=date.today()))
    db.session.commit()
    return survey
