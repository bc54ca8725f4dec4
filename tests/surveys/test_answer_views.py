"""Answering through the pages, as a browser without and with the script sends them."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.surveys.models import (
    Audience,
    QuestionKind,
    SurveyAnswer,
    SurveyInbox,
    SurveyParticipation,
    SurveyResponse,
)

from .. import factories as user_factories
from ..conftest import signed_in_client
from . import factories
from .answering import counts, send, start, token_of, walk
from .conftest import html


def pick(question, label) -> int:
    return factories.option(question, label).id


def _rows(survey):
    return sorted(db.session.execute(
        select(SurveyAnswer.question_id, SurveyAnswer.statement_id, SurveyAnswer.option_id,
               SurveyAnswer.number, SurveyAnswer.text).where(SurveyAnswer.survey_id == survey.id)
    ).all(), key=lambda row: (row[0], row[1] or 0, row[2] or 0))


def test_without_javascript_a_page_is_split_before_a_condition_on_it(three_pages, as_):
    q = three_pages
    client = as_("citizen")
    page = start(client, "arbeitsweg")
    text = html(page)
    assert "Page 1 of 3" in text and q["parking"].title not in text
    page = send(client, "arbeitsweg", page, {f"q{q['way'].id}": pick(q["way"], "Fahrrad")})
    text = html(page)
    assert "Page 1 of 3" in text and "Gibt es einen Stellplatz?" in text  # the same page's rest
    assert "Wie kommen Sie zur Arbeit?" not in text
    page = send(client, "arbeitsweg", page, {f"q{q['parking'].id}": pick(q["parking"], "Ja")})
    assert "Page 2 of 3" in html(page)

    # A number that is none, and one out of range: errors, with what was typed kept.
    page = send(client, "arbeitsweg", page, {f"q{q['hours'].id}": "acht",
                                             f"q{q['scale'].id}": "4"})
    text = html(page)
    assert page.status_code == 400
    assert 'id="error-summary"' in text and f'href="#q{q["hours"].id}"' in text
    assert "Please enter a number, such as 8 or 8,5." in text
    hours = f"q{q['hours'].id}"
    assert f'aria-describedby="{hours}-hint {hours}-unit {hours}-error"' in text
    assert 'value="acht"' in text
    assert re.search(rf'id="q{q["scale"].id}-4" value="4" checked', text)
    matrix_row = f"q{q['matrix'].id}_s{q['matrix'].statements[0].id}"
    page = send(client, "arbeitsweg", page, {f"q{q['hours'].id}": "8,5", f"q{q['scale'].id}": "4",
                                             matrix_row: "5"})
    text = html(page)
    assert "Page 3 of 3" in text and "Warum das Auto?" not in text  # only for car drivers
    assert "Send my answers" in text
    done = send(client, "arbeitsweg", page, {f"q{q['wishes'].id}": [
        str(pick(q["wishes"], "Duschen"))]})
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/surveys/arbeitsweg/thanks")
    survey = q["survey"]
    assert counts(survey)[:2] == (1, 1)
    stored = _rows(survey)
    assert (q["hours"].id, None, None, 8.5, None) in stored
    assert (q["scale"].id, None, None, 4.0, None) in stored
    assert not [row for row in stored if row[0] == q["car"].id], "not asked: no row"
    thanks = client.get("/surveys/arbeitsweg/thanks")
    assert "Thank you for your answers" in html(thanks)
    again = client.get("/surveys/arbeitsweg")
    assert "You have already answered" in html(again) and "Start the survey" not in html(again)
    assert start(client, "arbeitsweg").status_code == 302


def test_with_javascript_the_whole_page_shows_and_the_server_still_decides(three_pages, as_):
    q = three_pages
    client = as_("citizen")
    page = start(client, "arbeitsweg", js=True)
    text = html(page)
    assert "Gibt es einen Stellplatz?" in text
    assert re.search(rf'id="question-{q["parking"].id}"[^>]*data-condition-option='
                     rf'"{pick(q["way"], "Fahrrad")}"[^>]* hidden>', text)
    auto = pick(q["way"], "Auto")
    # The script hid the parking question; a parking answer sent anyway is not stored.
    page = send(client, "arbeitsweg", page, {f"q{q['way'].id}": auto,
                                             f"q{q['parking'].id}": q["parking"].options[0].id},
                js=True)
    assert "Page 2 of 3" in html(page)
    page = send(client, "arbeitsweg", page, {f"q{q['hours'].id}": "10"}, js=True)
    assert "Warum das Auto?" in html(page)
    done = send(client, "arbeitsweg", page, {f"q{q['car'].id}": "Kein Bus"}, js=True)
    assert done.status_code == 302
    stored = _rows(q["survey"])
    assert not [row for row in stored if row[0] == q["parking"].id]
    assert (q["car"].id, None, None, None, "Kein Bus") in stored


def test_back_keeps_the_answers_of_both_pages(three_pages, as_):
    q = three_pages
    client = as_("citizen")
    page = walk(client, "arbeitsweg", {f"q{q['way'].id}": pick(q["way"], "Auto")},
                js=True)
    page = send(client, "arbeitsweg", page, {f"q{q['hours'].id}": "7,5"}, action="back", js=True)
    text = html(page)
    assert "Page 1 of 3" in text and "Back" not in text.split("</h1>")[1].split("</form>")[0]
    assert re.search(rf'value="{pick(q["way"], "Auto")}" checked', text)
    page = send(client, "arbeitsweg", page, {f"q{q['way'].id}": pick(q["way"], "Auto")},
                js=True)
    assert 'value="7.5"' in html(page)  # shown in the page's language


def test_other_needs_its_text_and_keeps_it(three_pages, as_):
    q = three_pages
    client = as_("citizen")
    other = pick(q["way"], "Sonstiges")
    page = walk(client, "arbeitsweg", {f"q{q['way'].id}": other})
    assert page.status_code == 400 and "Please say what you mean by" in html(page)
    page = send(client, "arbeitsweg", page, {f"q{q['way'].id}": other,
                                             f"q{q['way'].id}_other": "Zu Fuß"})
    assert "Page 2 of 3" in html(page)
    page = send(client, "arbeitsweg", page, {}, action="back")
    assert 'value="Zu Fuß"' in html(page)


@pytest.mark.parametrize("token", ["", "kaputt", "eyJhIjp7fSwiYXQiOjF9.falsch"])
def test_a_tampered_token_is_a_clear_400_and_stores_nothing(three_pages, as_, token):
    client = as_("citizen")
    response = client.post("/surveys/arbeitsweg/answer", data={"answers": token, "action": "next"})
    assert response.status_code == 400
    assert "could not be read" in html(response) and "Page 1 of 3" in html(response)
    assert counts(three_pages["survey"]) == (0, 0, 0)


def test_a_token_of_another_survey_does_not_fit(three_pages, as_):
    other = factories.survey(slug="andere")
    question = factories.question(other, QuestionKind.TEXT)
    client = as_("citizen")
    page = start(client, "andere")
    response = send(client, "arbeitsweg", page, {f"q{question.id}": "x"})
    assert response.status_code == 400 and "could not be read" in html(response)


def test_answers_changed_in_the_hidden_field_are_checked_again(three_pages, as_, app):
    """A signed token cannot be forged; one made with the key (or a survey changed meanwhile)
    is checked again, question by question, and the send checks the whole response."""
    from mitwirkung.surveys.answering import services as answering
    from mitwirkung.surveys.answering import steps as answering_steps

    q = three_pages
    client = as_("citizen")
    with app.test_request_context():
        steps = answering_steps.steps(q["survey"], split=True)
        foreign = {"option": q["wishes"].options[0].id}
        forged = answering.seal(q["survey"], {str(q["way"].id): foreign}, steps[-1], False)
    response = client.post("/surveys/arbeitsweg/answer", data={
        "answers": forged, "action": "next", f"q{q['wishes'].id}": []})
    assert response.status_code == 400
    assert "Please choose among the answers shown." in html(response)
    assert "Page 1 of 3" in html(response)
    assert counts(q["survey"]) == (0, 0, 0)


def test_a_question_made_required_meanwhile_sends_back_to_its_page(three_pages, as_):
    q = three_pages
    client = as_("citizen")
    page = walk(client, "arbeitsweg", {f"q{q['way'].id}": pick(q["way"], "Auto")},
                {f"q{q['hours'].id}": "3"}, js=True)
    q["scale"].required = True
    db.session.commit()
    response = send(client, "arbeitsweg", page, {f"q{q['car'].id}": "weil"}, js=True)
    assert response.status_code == 400
    text = html(response)
    assert "Page 2 of 3" in text and "Please answer this question." in text
    assert counts(q["survey"]) == (0, 0, 0)


def test_a_changeable_response_starts_prefilled_and_is_replaced(as_, people):
    survey = factories.survey(slug="aenderbar", changeable=True)
    number = factories.question(survey, QuestionKind.NUMBER, "Stunden", unit="Stunden")
    text = factories.question(survey, QuestionKind.TEXT, "Warum?")
    client = as_("citizen")
    done = walk(client, "aenderbar", {f"q{number.id}": "8,5", f"q{text.id}": "So"})
    assert done.status_code == 302
    shown = client.get("/surveys/aenderbar")
    assert "Change your answers" in html(shown)
    page = start(client, "aenderbar")
    assert 'value="8.5"' in html(page) and ">So</textarea>" in html(page)
    done = send(client, "aenderbar", page, {f"q{number.id}": "4", f"q{text.id}": ""})
    assert done.status_code == 302
    assert "replaces the one before" in html(client.get("/surveys/aenderbar/thanks"))
    assert counts(survey)[:2] == (1, 1)
    assert sorted(_rows(survey)) == sorted([(number.id, None, None, 4.0, None),
                                            (text.id, None, None, None, None)])
    response = db.session.scalar(select(SurveyResponse)
                                 .where(SurveyResponse.survey_id == survey.id))
    assert response.user_id == people["citizen"].id


def test_an_anonymous_response_waits_in_the_inbox_apart_from_the_account(as_, people, app,
                                                                         monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_MIX_SIZE", 3)
    survey = factories.survey(slug="anonym", anonymous=True)
    question = factories.question(survey, QuestionKind.YES_NO, "Gut?")
    for name in ("citizen", "other"):
        done = walk(as_(name), "anonym", {f"q{question.id}": question.options[0].id})
        assert done.status_code == 302
    assert counts(survey) == (2, 0, 0)
    assert db.session.query(SurveyInbox).filter_by(survey_id=survey.id).count() == 2
    thanks = html(as_("citizen").get("/surveys/anonym/thanks"))
    assert "stored without your name" in thanks and "at least 3 responses" in thanks
    done = walk(as_("staff"), "anonym", {f"q{question.id}": question.options[1].id})
    assert done.status_code == 302
    assert counts(survey) == (3, 3, 3)  # the third made k: mixed (counted one step late)
    assert db.session.query(SurveyInbox).filter_by(survey_id=survey.id).count() == 0
    assert not db.session.scalars(select(SurveyResponse.user_id).where(
        SurveyResponse.survey_id == survey.id, SurveyResponse.user_id.is_not(None))).all()
    assert not db.session.scalars(select(SurveyResponse.sent_on).where(
        SurveyResponse.survey_id == survey.id, SurveyResponse.sent_on.is_not(None))).all()


def test_a_visitor_answers_a_public_survey_once_per_browser(as_, client):
    survey = factories.survey(slug="offen", audience=Audience.PUBLIC, anonymous=True)
    question = factories.question(survey, QuestionKind.SCALE, "Wie?")
    shown = html(client.get("/surveys/offen"))
    assert "This is no guarantee" in shown or "keine Garantie" in shown
    done = walk(client, "offen", {f"q{question.id}": "3"})
    assert done.status_code == 302
    cookie = client.get_cookie("mw_survey_browser", path="/surveys")
    assert cookie is not None and len(cookie.value) >= 40
    keys = db.session.scalars(select(SurveyParticipation.browser_key)).all()
    assert len(keys) == 1 and len(keys[0]) == 64 and cookie.value not in keys[0]
    assert start(client, "offen").status_code == 302  # this browser has answered
    second = as_("visitor")  # another browser answers again: no guarantee, as the page says
    assert walk(second, "offen", {f"q{question.id}": "5"}).status_code == 302
    assert counts(survey)[0] == 2


def test_visitors_sending_many_responses_from_one_address_are_slowed(client, app,
                                                                     monkeypatch):
    from limits import parse

    from mitwirkung.surveys.answering import views

    # Fixed windows: a day's, so that no minute's turn during the test resets the count.
    monkeypatch.setattr(views, "SEND_LIMITS", (parse("10 per day"),))
    survey = factories.survey(slug="flut", audience=Audience.PUBLIC)
    question = factories.question(survey, QuestionKind.TEXT, "Was?")
    statuses = []
    for n in range(12):
        fresh = app.test_client()
        statuses.append(walk(fresh, "flut", {f"q{question.id}": f"Antwort {n}"}).status_code)
    assert statuses[:10] == [302] * 10 and statuses[10:] == [429, 429]
    assert counts(survey)[0] == 10


def test_a_quiz_shows_the_score_and_the_right_answers(as_):
    survey = factories.survey(slug="europaquiz", quiz=True)
    questions = [factories.question(survey, QuestionKind.SINGLE, f"Frage {n}",
                                    options=(("Richtig", {"is_correct": True}), "Falsch"))
                 for n in range(4)]
    data = {f"q{question.id}": factories.option(question, "Richtig" if n < 3 else "Falsch").id
            for n, question in enumerate(questions)}
    client = as_("citizen")
    assert walk(client, "europaquiz", data).status_code == 302
    thanks = html(client.get("/surveys/europaquiz/thanks"))
    assert "Your score: 3 of 4 right" in thanks
    assert thanks.count(">right<") == 3 and thanks.count(">wrong<") == 1
    assert "The right answer:" in thanks


def test_pages_run_at_most_ten_queries(three_pages, as_, count_queries):
    client = as_("citizen")
    assert count_queries(client, "/surveys/arbeitsweg") <= 10
    assert count_queries(client, "/surveys/arbeitsweg/answer?js=1") <= 10
    q = three_pages
    walk(client, "arbeitsweg", {f"q{q['way'].id}": pick(q["way"], "Auto")},
         {f"q{q['hours'].id}": "3"}, {}, js=True)
    assert count_queries(client, "/surveys/arbeitsweg/thanks") <= 10


def test_a_closed_survey_takes_no_response_from_a_page_sent_late(three_pages, as_):
    q = three_pages
    client = as_("citizen")
    page = walk(client, "arbeitsweg", {f"q{q['way'].id}": pick(q["way"], "Auto")},
                {f"q{q['hours'].id}": "3"}, js=True)
    q["survey"].closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = send(client, "arbeitsweg", page, {}, js=True)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/surveys/arbeitsweg")
    assert "not open" in html(client.get("/surveys/arbeitsweg"))
    assert counts(q["survey"]) == (0, 0, 0)


def test_pages_of_an_old_tab_after_sending_turn_but_store_nothing_twice(three_pages, as_):
    """The pages in between do not ask whether the person answered (they store nothing):
    the send does, and refuses with the reason."""
    q = three_pages
    client = as_("citizen")
    way = {f"q{q['way'].id}": pick(q["way"], "Auto")}
    old_tab = walk(client, "arbeitsweg", way)
    walk(client, "arbeitsweg", way, {f"q{q['hours'].id}": "3"}, {})
    assert counts(q["survey"])[:2] == (1, 1)
    page = send(client, "arbeitsweg", old_tab, {f"q{q['hours'].id}": "5"})
    assert page.status_code == 200 and "Page 3 of 3" in html(page)
    refused = send(client, "arbeitsweg", page, {})
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/arbeitsweg")
    assert "You have already answered" in html(client.get("/surveys/arbeitsweg"))
    assert counts(q["survey"])[:2] == (1, 1)
    assert not db.session.scalars(select(SurveyAnswer).where(
        SurveyAnswer.question_id == q["hours"].id, SurveyAnswer.number == 5)).first()


def test_the_answers_field_is_signed_not_a_place_for_anything(three_pages, as_):
    page = start(as_("citizen"), "arbeitsweg")
    assert "." in token_of(page)


def test_pages_count_per_account_so_colleagues_behind_one_address_are_not_slowed(app):
    """A staff survey is answered by the whole city hall from one address: 61 colleagues
    send more pages from it than one address may (60 a minute), each within their own."""
    survey = factories.survey(slug="rathaus", audience=Audience.STAFF)
    question = factories.question(survey, QuestionKind.TEXT, "Was?")
    for _n in range(61):
        colleague = signed_in_client(app, user_factories.user(role="staff"))
        assert walk(colleague, "rathaus", {f"q{question.id}": "Viel"}).status_code == 302
    assert counts(survey)[0] == 61


def test_next_never_sends_when_no_later_question_applies_the_page_asks_to_send(as_):
    survey = factories.survey(slug="zweiteilig")
    who = factories.question(survey, QuestionKind.SINGLE, "Sie antworten als",
                             options=("Einwohner", "Gewerbe"), required=True)
    factories.question(survey, QuestionKind.NUMBER, "Beschäftigte?", page=2,
                       condition_question_id=who.id,
                       condition_option_id=factories.option(who, "Gewerbe").id)
    client = as_("citizen")
    page = start(client, "zweiteilig")
    assert 'value="next"' in html(page)  # page 2 may still come
    resident = {f"q{who.id}": factories.option(who, "Einwohner").id}
    page = send(client, "zweiteilig", page, resident)
    assert page.status_code == 200 and counts(survey) == (0, 0, 0)
    assert "No further questions apply to you" in html(page)
    assert 'value="send"' in html(page) and "Send my answers" in html(page)
    assert send(client, "zweiteilig", page, resident).status_code == 302
    assert counts(survey)[:2] == (1, 1)
