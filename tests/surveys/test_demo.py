"""The demo's surveys: the closed staff survey on the panorama-image tool (120 responses,
mean saving 8.5 hours) and the open two-part survey on a packaging tax; loading twice adds
nothing."""

from collections import Counter

from sqlalchemy import func, select

from mitwirkung.demo import load_demo
from mitwirkung.extensions import db
from mitwirkung.surveys import services
from mitwirkung.surveys.demo import PACKAGING, PANORAMA
from mitwirkung.surveys.models import (
    Audience,
    SurveyAnswer,
    SurveyPhase,
    SurveyResponse,
)


def _numbers(question) -> list[float]:
    return list(db.session.scalars(select(SurveyAnswer.number).where(
        SurveyAnswer.question_id == question.id, SurveyAnswer.number.is_not(None))))


def test_the_demo_surveys_hold_their_stories_and_load_once(app):
    with app.test_request_context():
        load_demo()
        db.session.commit()
        panorama, packaging = services.get_survey(PANORAMA), services.get_survey(PACKAGING)
        assert panorama.audience == Audience.STAFF and panorama.anonymous
        assert services.phase(panorama) == SurveyPhase.CLOSED
        assert services.response_count(panorama) == 120
        hours = next(q for q in panorama.questions if q.unit == "Stunden")
        saved = _numbers(hours)
        assert len(saved) == 120 and sum(saved) / len(saved) == 8.5

        assert services.phase(packaging) == SurveyPhase.OPEN
        assert packaging.audience == Audience.PUBLIC and packaging.anonymous
        assert {q.page for q in packaging.questions} == {1, 2}
        # Only businesses were asked the second part.
        who = packaging.questions[0]
        business = who.options[1]
        second_part = [q for q in packaging.questions if q.page == 2]
        assert all(q.condition_option_id == business.id for q in second_part)
        answered_as = Counter(db.session.scalars(select(SurveyAnswer.option_id).where(
            SurveyAnswer.question_id == who.id)))
        asked_second = db.session.scalar(select(func.count(func.distinct(
            SurveyAnswer.response_id))).where(SurveyAnswer.question_id == second_part[0].id))
        assert asked_second == answered_as[business.id] > 50
        # Mixes of at least ten; the open survey counts its newest mix late.
        sizes = Counter(db.session.scalars(select(SurveyResponse.mix).where(
            SurveyResponse.survey_id == packaging.id)))
        assert min(sizes.values()) >= 10 and packaging.mixes_counted == packaging.mixes - 1
        assert 380 <= services.response_count(packaging) < 404

        before = db.session.scalar(select(func.count()).select_from(SurveyResponse))
        load_demo()
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == before
