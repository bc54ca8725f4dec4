"""What the survey tests share: people with clients in English (messages are asserted in
one language), a three-page survey with a condition on each kind of page, and a fresh memo
of kept breakdowns per test (rolled back surveys give their ids again)."""

import pytest

from mitwirkung.extensions import db
from mitwirkung.surveys.models import QuestionKind

from .. import factories as user_factories
from ..conftest import signed_in_client
from . import factories


def in_english(client):
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client


@pytest.fixture
def people(app):
    users = {"citizen": user_factories.user(), "other": user_factories.user(),
             "staff": user_factories.user(role="staff"),
             "admin": user_factories.user(role="admin"),
             "moderator": user_factories.user(role="moderator"),
             "unconfirmed": user_factories.user(confirmed=False)}
    db.session.commit()
    return users


@pytest.fixture
def as_(app, people):
    """as_(name) -> a client signed in as that person, in English; "visitor" for nobody."""

    def client(name):
        if name == "visitor":
            return in_english(app.test_client())
        return in_english(signed_in_client(app, people[name]))

    return client


def html(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def three_pages(app):
    """Page 1: how one comes to work (required; "Sonstiges" asks for a text), and, only for
    cyclists (same page: split without JavaScript), whether there is a parking place.
    Page 2: hours saved (number, 0-200, steps of 0.5), a scale and a matrix.
    Page 3: only for car drivers (condition on page 1): a free text; a multiple choice."""
    survey = factories.survey(slug="arbeitsweg", title="Arbeitsweg")
    way = factories.question(survey, QuestionKind.SINGLE, "Wie kommen Sie zur Arbeit?",
                             options=("Fahrrad", "Auto", ("Sonstiges", {"is_other": True})),
                             required=True)
    parking = factories.question(survey, QuestionKind.YES_NO, "Gibt es einen Stellplatz?",
                                 condition_question_id=way.id,
                                 condition_option_id=factories.option(way, "Fahrrad").id)
    hours = factories.question(survey, QuestionKind.NUMBER, "Wie viele Stunden spart es?",
                               page=2, number_min=0, number_max=200, number_step=0.5,
                               unit="Stunden", required=True)
    scale = factories.question(survey, QuestionKind.SCALE, "Wie zufrieden sind Sie?", page=2,
                               scale_min_label="gar nicht", scale_max_label="sehr")
    matrix = factories.question(survey, QuestionKind.MATRIX, "Wie wichtig ist Ihnen ...",
                                page=2, statements=("Preis", "Zeit"))
    car = factories.question(survey, QuestionKind.TEXT, "Warum das Auto?", page=3,
                             max_length=200, condition_question_id=way.id,
                             condition_option_id=factories.option(way, "Auto").id)
    wishes = factories.question(survey, QuestionKind.MULTIPLE, "Was wünschen Sie sich?",
                                page=3, options=("Duschen", "Ladestation", "Jobticket"),
                                max_choices=2)
    db.session.refresh(survey)
    return {"survey": survey, "way": way, "parking": parking, "hours": hours,
            "scale": scale, "matrix": matrix, "car": car, "wishes": wishes}


@pytest.fixture(autouse=True)
def _forget_kept_histograms():
    from mitwirkung.surveys.results.services import forget_kept

    forget_kept()
    yield
    forget_kept()


@pytest.fixture(autouse=True)
def _tallies_agree_with_the_answers(request):
    """After every test that has a database: each survey's tallies hold exactly what its
    counted answers say (the writers keep them up to date in their own transactions,
    surveys/tallies.py); what the test left uncommitted does not count."""
    yield
    if "app" not in request.fixturenames:
        return
    from sqlalchemy import select

    from mitwirkung.surveys import tallies
    from mitwirkung.surveys.models import Survey

    db.session.rollback()
    for survey in db.session.scalars(select(Survey)).all():
        assert tallies.stored(survey) == tallies.from_answers(survey), survey.slug
