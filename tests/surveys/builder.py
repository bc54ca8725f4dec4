"""What the builder's tests share besides conftest's people and clients: a draft survey of
two pages with a condition, and a survey that somebody has answered (locked)."""

from datetime import date

from mitwirkung.extensions import db
from mitwirkung.surveys.models import QuestionKind, SurveyParticipation

from .. import factories as user_factories
from ..projects import factories as project_factories
from . import factories
from .conftest import html  # noqa: F401  (the builder's tests take it from here)

ROLES = ("visitor", "citizen", "moderator", "staff", "admin")


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
