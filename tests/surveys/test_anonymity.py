"""Anonymous responses: they wait in the inbox, move in groups of at least k under new ids,
count one step late, and the close seals the survey with nothing lost."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from mitwirkung.core import mixing as core_mixing
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.surveys import services
from mitwirkung.surveys.answering import mixing
from mitwirkung.surveys.answering import services as answering
from mitwirkung.surveys.models import (
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyInbox,
    SurveyParticipation,
    SurveyResponse,
)

from .. import factories as user_factories
from . import factories

K = 3


@pytest.fixture(autouse=True)
def mix_size(app, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_MIX_SIZE", K)
    with app.app_context():
        yield


@pytest.fixture
def survey(app):
    survey = factories.survey(slug="geheim", anonymous=True)
    factories.question(survey, QuestionKind.NUMBER, "Stunden")
    factories.question(survey, QuestionKind.MULTIPLE, "Was?", options=("A", "B"))
    return survey


def _send(survey, count: int, hours=8) -> None:
    """As the view: send, commit, offer the inbox to a mix."""
    number, multiple = survey.questions
    for _n in range(count):
        sent = answering.send(survey, user_factories.user(), {
            str(number.id): {"number": hours},
            str(multiple.id): {"options": [multiple.options[0].id]}})
        db.session.commit()
        mixing.mix_if_due(sent.survey_id, sent.waiting)


def _counted(survey) -> int:
    """What results show: they seal a closed survey first."""
    mixing.seal_if_closed(survey)
    db.session.refresh(survey)
    return services.response_count(survey)


def _waiting(survey) -> int:
    return db.session.scalar(select(func.count()).where(SurveyInbox.survey_id == survey.id))


def _groups(survey) -> list[int]:
    return list(db.session.scalars(
        select(func.count()).where(SurveyResponse.survey_id == survey.id)
        .group_by(SurveyResponse.mix).order_by(SurveyResponse.mix)))


def _close(survey) -> None:
    db.session.execute(update(Survey).where(Survey.id == survey.id).values(
        closes_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    db.session.refresh(survey)


def test_a_send_writes_its_participation_and_an_inbox_row_and_no_response(survey):
    _send(survey, 1)
    assert _waiting(survey) == 1 and _groups(survey) == [] and _counted(survey) == 0
    assert db.session.scalar(select(func.count()).where(
        SurveyParticipation.survey_id == survey.id)) == 1


def test_responses_move_in_groups_of_k_and_count_one_step_late(survey):
    _send(survey, K - 1)
    assert (_waiting(survey), _groups(survey), _counted(survey)) == (K - 1, [], 0)
    _send(survey, 1)
    assert (_waiting(survey), _groups(survey), _counted(survey)) == (0, [K], 0)
    _send(survey, K)
    assert (_groups(survey), _counted(survey)) == ([K, K], K)
    rows = db.session.execute(select(SurveyAnswer.mix, func.count()).where(
        SurveyAnswer.survey_id == survey.id).group_by(SurveyAnswer.mix)).all()
    assert sorted(rows) == [(1, 3 * K), (2, 3 * K)]  # number, count of chosen, the option


def test_the_close_mixes_the_remainder_with_the_newest_group_and_counts_everything(survey):
    _send(survey, 2 * K + 1)
    old_ids = set(db.session.scalars(select(SurveyResponse.id)))
    assert _counted(survey) == K
    _close(survey)
    assert _counted(survey) == 2 * K + 1
    assert _groups(survey) == [K, K + 1] and _waiting(survey) == 0
    assert survey.sealed_at is not None and survey.mixes_counted == survey.mixes == 2
    newest = set(db.session.scalars(select(SurveyResponse.id).where(SurveyResponse.mix == 2)))
    assert not newest & old_ids, "the newest group was mixed again under new ids"
    assert not mixing.seal_if_closed(survey)  # once


def test_a_survey_fewer_than_k_answer_ends_as_one_group(survey):
    _send(survey, K - 1)
    _close(survey)
    assert _counted(survey) == K - 1 and _groups(survey) == [K - 1]


def test_nothing_is_sent_into_a_sealed_survey(survey):
    _send(survey, 1)
    db.session.execute(update(Survey).where(Survey.id == survey.id).values(sealed_at=utcnow()))
    db.session.commit()
    db.session.refresh(survey)
    with pytest.raises(answering.NotOpen):
        _send(survey, 1)
    db.session.rollback()
    assert _waiting(survey) == 1


def test_a_mix_that_fails_midway_loses_nothing(survey, monkeypatch, caplog):
    _send(survey, K - 1)

    def crash(*_args):
        raise OperationalError("INSERT", {}, Exception("server gone"))

    with monkeypatch.context() as patched:
        patched.setattr(mixing, "_insert", crash)
        _send(survey, 1)
    assert (_waiting(survey), _groups(survey)) == (K, [])
    assert "its responses wait" in caplog.text
    _send(survey, K)
    assert (_waiting(survey), _groups(survey)) == (0, [2 * K])
    _close(survey)
    assert _counted(survey) == 2 * K


def test_with_k_1_every_response_counts_at_once(survey, app, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_MIX_SIZE", 1)
    _send(survey, 2)
    assert (_waiting(survey), _groups(survey), _counted(survey)) == (0, [1, 1], 2)


def test_k_for_surveys_is_the_ballots_unless_set(app, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_MIX_SIZE", None)
    monkeypatch.setitem(app.config, "BALLOT_MIX_SIZE", 7)
    assert mixing.mix_size() == 7


def test_a_mix_that_finds_fewer_than_k_takes_none(survey, monkeypatch):
    take = mixing._take_inbox
    with monkeypatch.context() as patched:
        patched.setattr(mixing, "_take_inbox", lambda survey_id: take(survey_id)[:K - 1])
        _send(survey, K)
    assert (_waiting(survey), _groups(survey)) == (K, [])


def test_the_shared_pieces():
    assert [n for n in range(1, 26) if core_mixing.is_due(n, 10)] == [10, 20, 21, 22, 23, 24, 25]
    pairs = core_mixing.shuffled_with_new_ids(list(range(50)))
    assert sorted(item for _id, item in pairs) == list(range(50))
    assert len({new_id for new_id, _item in pairs}) == 50
    assert [item for _id, item in pairs] != list(range(50))  # 1 in 50! to fail by chance


def test_a_not_anonymous_survey_is_never_sealed(app):
    survey = factories.survey(slug="offen-benannt", closes_at=utcnow() + timedelta(seconds=1),
                              opens_at=utcnow() - timedelta(days=1))
    _close(survey)
    assert not mixing.seal_if_closed(survey) and survey.sealed_at is None
