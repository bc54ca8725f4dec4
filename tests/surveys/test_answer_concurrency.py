"""Many accounts sending their response at once, twice each, through the real pages: one
response per account, decided by the participation's unique constraint; and sends around
the close of an anonymous survey count or are refused, with nothing left in the inbox.

These tests commit for real, on their own empty database (SQLite file or PostgreSQL).
"""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from mitwirkung import create_app
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.surveys import services
from mitwirkung.surveys.answering import mixing
from mitwirkung.surveys.models import (
    QuestionKind,
    Survey,
    SurveyInbox,
    SurveyParticipation,
    SurveyResponse,
)

from .. import factories as user_factories
from ..conftest import app_settings, signed_in_client
from . import factories
from .answering import send, start

PEOPLE = 16
GREEDY_TRIES = 12  # one more account sends this many at once
MIX_SIZE = 4


def _app(tmp_path_factory, url):
    # Fewer posts than the address limit allows (and the limiter is one object for every
    # app of the test session: switching it off here would switch it off for the others).
    return create_app(app_settings(tmp_path_factory, url) | {"SURVEY_MIX_SIZE": MIX_SIZE})


@pytest.mark.parametrize("anonymous", [False, True], ids=["named", "anonymous"])
def test_concurrent_repeated_sends_leave_one_response_per_account(
        tmp_path_factory, empty_database_url, anonymous):
    app = _app(tmp_path_factory, empty_database_url)
    with app.app_context():
        db.create_all()
        survey = factories.survey(slug="gleichzeitig", anonymous=anonymous)
        question = factories.question(survey, QuestionKind.NUMBER, "Stunden")
        survey_id, field = survey.id, f"q{question.id}"
        people = [user_factories.user() for _ in range(PEOPLE)]
        greedy = user_factories.user()
        clients = [signed_in_client(app, person) for person in people for _try in range(2)]
        clients += [signed_in_client(app, greedy) for _ in range(GREEDY_TRIES)]
    pages = [start(client, "gleichzeitig") for client in clients]  # each at its last page
    barrier = threading.Barrier(len(clients))
    outcomes = []

    def send_once(client, page):
        barrier.wait()
        response = send(client, "gleichzeitig", page, {field: "8,5"})
        outcomes.append(response.headers.get("Location", str(response.status_code)))

    threads = [threading.Thread(target=send_once, args=pair) for pair in zip(clients, pages,
                                                                             strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    thanks = [o for o in outcomes if o.endswith("/thanks")]
    refused = [o for o in outcomes if o.endswith("/surveys/gleichzeitig")]
    assert len(outcomes) == len(clients)
    assert len(thanks) == PEOPLE + 1 and len(refused) == PEOPLE + GREEDY_TRIES - 1
    with app.app_context():
        count = lambda model: db.session.scalar(  # noqa: E731
            select(func.count()).select_from(model).where(model.survey_id == survey_id))
        accounts = db.session.scalar(select(func.count(func.distinct(
            SurveyParticipation.user_id))).where(SurveyParticipation.survey_id == survey_id))
        assert count(SurveyParticipation) == accounts == PEOPLE + 1
        assert count(SurveyResponse) + count(SurveyInbox) == PEOPLE + 1
        survey = db.session.get(Survey, survey_id)
        survey.closes_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        mixing.seal_if_closed(survey)
        assert services.response_count(survey) == PEOPLE + 1 and count(SurveyInbox) == 0
        db.session.remove()
        db.engine.dispose()


def test_every_response_sent_around_the_close_counts_or_is_refused(
        tmp_path_factory, empty_database_url):
    app = _app(tmp_path_factory, empty_database_url)
    closes_in = 1.0
    with app.app_context():
        db.create_all()
        survey = factories.survey(slug="schluss", anonymous=True,
                                  closes_at=utcnow() + timedelta(seconds=closes_in + 1))
        question = factories.question(survey, QuestionKind.TEXT, "Was?")
        survey_id, field = survey.id, f"q{question.id}"
        clients = [signed_in_client(app, user_factories.user()) for _ in range(PEOPLE * 2)]
    pages = [start(client, "schluss") for client in clients]
    with app.app_context():  # the window shrinks to close while they send
        survey = db.session.get(Survey, survey_id)
        survey.closes_at = utcnow() + timedelta(seconds=closes_in)
        db.session.commit()
    barrier = threading.Barrier(len(clients) + 1)
    thanked = []

    def send_once(n, client, page):
        barrier.wait()
        time.sleep(2 * closes_in * n / len(clients))  # spread over the close
        response = send(client, "schluss", page, {field: f"Antwort {n}"})
        if response.headers.get("Location", "").endswith("/thanks"):
            thanked.append(n)

    def read_results():
        barrier.wait()
        deadline = time.monotonic() + 2.5 * closes_in
        while time.monotonic() < deadline:
            with app.app_context():
                survey = db.session.get(Survey, survey_id)
                mixing.seal_if_closed(survey)
                services.response_count(survey)
                db.session.remove()

    threads = [threading.Thread(target=send_once, args=(n, client, page))
               for n, (client, page) in enumerate(zip(clients, pages, strict=True))]
    threads.append(threading.Thread(target=read_results))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        mixing.seal_if_closed(survey)
        waiting = db.session.scalar(select(func.count()).where(SurveyInbox.survey_id == survey_id))
        participations = db.session.scalar(select(func.count()).where(
            SurveyParticipation.survey_id == survey_id))
        assert 0 < len(thanked) < len(clients)
        assert services.response_count(survey) == participations == len(thanked)
        assert waiting == 0 and survey.sealed_at is not None
        db.session.remove()
        db.engine.dispose()
