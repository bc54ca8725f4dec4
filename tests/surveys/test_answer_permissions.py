"""Who may see and answer a survey, by role, audience and phase; and the SECURITY.md
survey cases for answering: a response that does not fit is refused and writes nothing."""

from datetime import timedelta

import pytest

from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.surveys.answering import services as answering
from mitwirkung.surveys.answering import steps
from mitwirkung.surveys.models import Audience, QuestionKind, SurveyStatus

from . import factories
from .answering import counts, send, start, walk
from .conftest import html

ROLES = ("visitor", "unconfirmed", "citizen", "moderator", "staff", "admin")
STAFF = {"staff", "admin"}
PHASES = ("draft", "upcoming", "open", "closed")


def _survey(audience: str, phase: str):
    now = utcnow()
    windows = {"upcoming": (now + timedelta(days=1), now + timedelta(days=2)),
               "closed": (now - timedelta(days=2), now - timedelta(days=1))}
    opens_at, closes_at = windows.get(phase, (now - timedelta(days=1), now + timedelta(days=1)))
    survey = factories.survey(
        slug="matrix", audience=audience, opens_at=opens_at, closes_at=closes_at,
        status=SurveyStatus.DRAFT if phase == "draft" else SurveyStatus.PUBLISHED)
    question = factories.question(survey, QuestionKind.TEXT, "Was meinen Sie?")
    return survey, question


def _sees(role: str, audience: str, phase: str) -> bool:
    return role in STAFF or (phase != "draft" and audience != Audience.STAFF)


def _answers(role: str, audience: str, phase: str) -> bool:
    if phase != "open":
        return False
    if audience == Audience.PUBLIC:
        return True
    if audience == Audience.STAFF:
        return role in STAFF
    return role not in ("visitor", "unconfirmed")


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("audience", [str(a) for a in Audience])
@pytest.mark.parametrize("role", ROLES)
def test_who_sees_and_answers(as_, app, role, audience, phase):
    survey, question = _survey(audience, phase)
    client = as_(role)
    page = client.get("/surveys/matrix")
    if not _sees(role, audience, phase):
        assert page.status_code == 404
        for path in ("/surveys/matrix/answer", "/surveys/matrix/thanks"):
            assert client.get(path).status_code == 404
        assert client.post("/surveys/matrix/answer", data={"answers": ""}).status_code == 404
        assert counts(survey) == (0, 0, 0)
        return
    assert page.status_code == 200
    may = _answers(role, audience, phase)
    assert ("Start the survey" in html(page)) == may
    if may:
        done = walk(client, "matrix", {f"q{question.id}": "Ja"})
        assert done.status_code == 302 and done.headers["Location"].endswith("/thanks")
        assert counts(survey)[0] == 1
        return
    assert start(client, "matrix").status_code == 302  # back to the page, which says why
    with app.test_request_context():  # a form made by hand: refused all the same
        token = answering.seal(survey, {}, steps.steps(survey, split=True)[0], False)
    refused = client.post("/surveys/matrix/answer", data={"answers": token,
                                                          f"q{question.id}": "Ja"})
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/surveys/matrix")
    assert counts(survey) == (0, 0, 0)


@pytest.mark.parametrize(("role", "reason"), [
    ("visitor", "Log in to answer"),
    ("unconfirmed", "Please confirm your e-mail address"),
])
def test_the_page_says_why_one_cannot_answer(as_, role, reason):
    _survey(Audience.CITIZENS, "open")
    assert reason in html(as_(role).get("/surveys/matrix"))


@pytest.mark.parametrize(("phase", "reason"), [
    ("upcoming", "has not opened yet"), ("closed", "has closed"), ("draft", "not open")])
def test_staff_are_told_when_a_survey_takes_no_answers(as_, phase, reason):
    _survey(Audience.CITIZENS, phase)
    assert reason in html(as_("staff").get("/surveys/matrix"))


# -- SECURITY.md: an answer that does not fit is refused, nothing written ----------------

@pytest.fixture
def fitting(app):
    survey = factories.survey(slug="passend")
    single = factories.question(survey, QuestionKind.SINGLE, "Eins", options=("A", "B"))
    other = factories.question(survey, QuestionKind.MULTIPLE, "Mehrere", options=("C", "D"))
    number = factories.question(survey, QuestionKind.NUMBER, "Zahl", number_min=0,
                                number_max=10)
    foreign_survey = factories.survey(slug="fremd")
    foreign = factories.question(foreign_survey, QuestionKind.SINGLE, "Fremd", options=("X",))
    return {"survey": survey, "single": single, "other": other, "number": number,
            "foreign": foreign}


def _misfits(f):
    single, number = f"q{f['single'].id}", f"q{f['number'].id}"
    return {
        "option of another question": {single: f["other"].options[0].id},
        "option of another survey": {single: f["foreign"].options[0].id},
        "two answers to a single choice": {single: [f["single"].options[0].id,
                                                    f["single"].options[1].id]},
        "a number out of range": {number: "11"},
        "a number that is none": {number: "1e999"},
        "an option that is no number": {single: "A"},
        "an id beyond any integer": {single: str(2 ** 70)},
    }


CASES = ["option of another question", "option of another survey",
         "two answers to a single choice", "a number out of range", "a number that is none",
         "an option that is no number", "an id beyond any integer"]


@pytest.mark.parametrize("case", CASES)
def test_an_answer_that_does_not_fit_is_refused(fitting, as_, case):
    client = as_("citizen")
    page = start(client, "passend")
    response = send(client, "passend", page, _misfits(fitting)[case])
    assert response.status_code == 400
    assert 'id="error-summary"' in html(response)
    assert counts(fitting["survey"]) == (0, 0, 0)


def test_the_service_refuses_a_misfit_even_past_the_pages(fitting, people, app_ctx):
    """The send checks the whole response again (answers.check_response)."""
    from mitwirkung.surveys import answers as rules

    with pytest.raises(rules.ResponseError) as refused:
        answering.send(fitting["survey"], people["citizen"],
                       {str(fitting["single"].id): {"option": fitting["foreign"].options[0].id}})
    assert list(refused.value.errors) == [fitting["single"].id]
    db.session.rollback()
    assert counts(fitting["survey"]) == (0, 0, 0)


@pytest.mark.parametrize("when", ["before the open", "after the close", "draft"])
def test_the_service_refuses_outside_the_window(fitting, people, app_ctx, when):
    survey = fitting["survey"]
    now = utcnow()
    if when == "before the open":
        survey.opens_at, survey.closes_at = now + timedelta(hours=1), now + timedelta(hours=2)
    elif when == "after the close":
        survey.closes_at = now - timedelta(seconds=1)
    else:
        survey.status = SurveyStatus.DRAFT
    db.session.commit()
    with pytest.raises(answering.NotOpen):
        answering.send(survey, people["citizen"], {})
    assert counts(survey) == (0, 0, 0)


def test_no_route_takes_a_response_id(app):
    """One person's answers are never reachable by id: no answering route has one."""
    rules = [rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/surveys")]
    assert rules and not [rule for rule in rules if "response" in rule or "<int:" in rule
                          and "question_id" not in rule]


def test_a_citizen_never_answers_a_staff_survey(as_):
    survey = factories.survey(slug="intern", audience=Audience.STAFF)
    question = factories.question(survey, QuestionKind.TEXT, "Intern")
    client = as_("citizen")
    assert client.get("/surveys/intern").status_code == 404
    assert client.post("/surveys/intern/answer", data={f"q{question.id}": "x"}).status_code == 404
    assert counts(survey) == (0, 0, 0)
