"""The running tallies results read (surveys/tallies.py) hold exactly what a recount of the
counted answers gives, after every kind of write: sends, changes, erasure, mixes one step
late, the seal (which mixes the newest group again with the remainder), the demo's direct
mixes, and many sends at once. (conftest.py checks the same after every survey test.)"""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.surveys import services, tallies
from mitwirkung.surveys.answering import mixing
from mitwirkung.surveys.answering import services as answering
from mitwirkung.surveys.models import QuestionKind, Survey, SurveyResponse, SurveyTally
from mitwirkung.surveys.personal_data import erase_surveys
from mitwirkung.surveys.results.services import results

from .. import factories as user_factories
from ..conftest import signed_in_client
from . import factories
from .answering import send, start
from .test_answer_concurrency import _app

K = 3


@pytest.fixture
def k(app, monkeypatch):
    """Groups of K (the concurrent test has its own app, and must not use the test one)."""
    monkeypatch.setitem(app.config, "SURVEY_MIX_SIZE", K)
    with app.app_context():
        yield K


def _survey(**fields) -> Survey:
    """One question of each kind that stores rows differently; "Sonstiges" asks a text."""
    survey = factories.survey(**fields)
    factories.question(survey, QuestionKind.SINGLE, "Wie?",
                       options=("Rad", "Bus", ("Sonstiges", {"is_other": True})))
    factories.question(survey, QuestionKind.MULTIPLE, "Was?",
                       options=("A", "B", ("Anderes", {"is_other": True})))
    factories.question(survey, QuestionKind.NUMBER, "Stunden", number_min=0, number_max=100,
                       number_step=0.5)
    factories.question(survey, QuestionKind.MATRIX, "Wie wichtig?", statements=("X", "Y"))
    factories.question(survey, QuestionKind.TEXT, "Noch etwas?")
    db.session.refresh(survey)
    return survey


def _answers(survey, n: int) -> dict:
    """The n-th of a few different responses (some left partly empty)."""
    single, multiple, number, matrix, text = survey.questions
    value = {str(single.id): {"option": single.options[n % 3].id},
             str(multiple.id): {"options": [option.id for option in multiple.options[:n % 4]]},
             str(number.id): {"number": [8.5, 0, 40][n % 3]} if n % 5 else {},
             str(matrix.id): {"rows": {str(matrix.statements[0].id): 1 + n % 5}},
             str(text.id): {"text": f"Text {n}"} if n % 2 else {}}
    if n % 3 == 2:
        value[str(single.id)]["other"] = "Zu Fuß"
    if n % 4 == 3:
        value[str(multiple.id)]["other"] = "Etwas"
    return value


def _send(survey, n: int, user=None) -> None:
    """As the view: send, commit, offer the inbox to a mix."""
    sent = answering.send(survey, user or user_factories.user(), _answers(survey, n))
    db.session.commit()
    mixing.mix_if_due(sent.survey_id, sent.waiting)


def _agree(survey) -> dict:
    """Tallies equal a recount from the counted answers; returns them."""
    db.session.refresh(survey)
    stored = tallies.stored(survey)
    assert stored == tallies.from_answers(survey)
    return stored


def _answered(survey, question_index: int) -> int:
    """How many responses the tallies count for a question with one row per response."""
    question_id = survey.questions[question_index].id
    return sum(count for key, count in _agree(survey).items() if key[0] == question_id)


def _close(survey) -> None:
    db.session.execute(update(Survey).where(Survey.id == survey.id).values(
        closes_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    db.session.refresh(survey)


def test_sends_changes_and_erasure_keep_the_tallies_of_a_survey_that_is_not_anonymous(k):
    survey = _survey(changeable=True)
    people = [user_factories.user() for _ in range(6)]
    for n, person in enumerate(people):
        _send(survey, n, person)
        assert _answered(survey, 2) == n + 1
    _send(survey, 2, people[0])  # a change: hours left empty before, 40 now, and more
    assert _answered(survey, 2) == 6
    number = survey.questions[2].id
    assert _agree(survey)[(number, 0, 0, True, 40.0, False)] == 2  # n = 2 and the change
    erase_surveys(people[1])
    db.session.commit()
    assert _answered(survey, 2) == 5 == services.response_count(survey)


def test_a_change_to_the_same_answers_leaves_the_tallies_as_they_were(k):
    survey = _survey(changeable=True)
    person = user_factories.user()
    _send(survey, 4, person)
    before = _agree(survey)
    _send(survey, 4, person)
    assert _agree(survey) == before


def test_mixes_count_one_step_late_and_the_seal_counts_the_remainder_and_newest_group_once(k):
    survey = _survey(anonymous=True)
    for n in range(2 * K + 1):  # two groups and one waiting
        _send(survey, n)
        assert _answered(survey, 0) == (K if n >= 2 * K - 1 else 0)
    _close(survey)
    assert mixing.seal_if_closed(survey)
    # The newest group was mixed again with the remainder, and counted once.
    sizes = db.session.scalars(select(func.count()).where(SurveyResponse.survey_id == survey.id)
                               .group_by(SurveyResponse.mix).order_by(SurveyResponse.mix))
    assert list(sizes) == [K, K + 1]
    assert _answered(survey, 0) == 2 * K + 1 == services.response_count(survey)


def test_the_seal_without_a_remainder_counts_the_newest_group(k):
    survey = _survey(anonymous=True)
    for n in range(2 * K):
        _send(survey, n)
    assert _answered(survey, 0) == K
    _close(survey)
    mixing.seal_if_closed(survey)
    assert _answered(survey, 0) == 2 * K


def test_groups_of_one_count_at_once(app, k, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_MIX_SIZE", 1)
    survey = _survey(anonymous=True)
    for n in range(3):
        _send(survey, n)
        assert _answered(survey, 0) == n + 1
    _close(survey)
    mixing.seal_if_closed(survey)
    assert _answered(survey, 0) == 3


def test_recount_rebuilds_from_the_counted_answers_only(k):
    survey = _survey(anonymous=True)
    for n in range(2 * K):
        _send(survey, n)
    before = _agree(survey)
    db.session.execute(update(SurveyTally).values(count=SurveyTally.count + 7))
    tallies.recount(survey)
    db.session.commit()
    assert _agree(survey) == before  # mix 2 waits for the next step, also in a recount


def test_results_read_the_texts_and_figures_from_the_tallies(k):
    survey = _survey()
    for n in range(6):
        _send(survey, n)
    single, multiple, number, _matrix, text = (result.summary for result in
                                               results(survey).questions)
    assert single.options == {survey.questions[0].options[i].id: 2 for i in range(3)}
    assert (number.answered, number.missing) == (4, 2)  # n = 0 and 5 left it empty
    assert number.values == {0.0: 2, 40.0: 1, 8.5: 1}
    rows = tallies.histogram(survey)
    assert sum(texts for *_key, texts in rows[survey.questions[4].id]) == 3  # n = 1, 3, 5
    assert sum(texts for *_key, texts in rows[survey.questions[0].id]) == 2  # Sonstiges


@pytest.mark.parametrize("anonymous", [False, True], ids=["named", "anonymous"])
def test_sends_at_once_are_all_counted_once(tmp_path_factory, empty_database_url, anonymous):
    """As test_answer_concurrency: accounts send (and, when they may, change) at once,
    through the real pages; then the seal. Tallies and answers agree."""
    app = _app(tmp_path_factory, empty_database_url)
    people = 16
    with app.app_context():
        db.create_all()
        survey = factories.survey(slug="zaehlen", anonymous=anonymous,
                                  changeable=not anonymous)
        question = factories.question(survey, QuestionKind.MULTIPLE, "Was?",
                                      options=("A", "B", "C"))
        survey_id, field = survey.id, f"q{question.id}"
        options = [str(option.id) for option in question.options]
        clients = [signed_in_client(app, user_factories.user()) for _ in range(people)]
    pages = [start(client, "zaehlen") for client in clients]
    barrier = threading.Barrier(people)

    def send_twice(n, client, page):
        barrier.wait()
        send(client, "zaehlen", page, {field: options[:1 + n % 3]})
        if not anonymous:  # a change, while others still send
            send(client, "zaehlen", start(client, "zaehlen"), {field: options[n % 3:]})

    threads = [threading.Thread(target=send_twice, args=(n, client, page))
               for n, (client, page) in enumerate(zip(clients, pages, strict=True))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        survey.closes_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        mixing.seal_if_closed(survey)
        stored = tallies.stored(survey)
        assert stored == tallies.from_answers(survey)
        count_rows = sum(count for key, count in stored.items() if key[2] == 0)
        assert count_rows == services.response_count(survey) == people
        db.session.remove()
        db.engine.dispose()
