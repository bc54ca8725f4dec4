"""The surveys' part of a person's data: the surveys they answered (and on which day), and
their own responses to surveys that are not anonymous, answer by answer.

An anonymous response is not theirs any more: it was stored apart from the account and
mixed with others under a new random id (docs/secrecy.md, "Umfragen"), so nothing can
find it, for an export or an erasure. The export says so.

Erasure deletes the person's responses to surveys that are not anonymous (the results
lose them) and their participations, except one that alone still shows that a survey
has responses (its anonymous response may still wait in the inbox, which locks the
questions: services.responses_exist); that one stays, pointing at the account's
tombstone, which names nobody.
"""

from flask_babel import gettext as _
from sqlalchemy import exists, select

from ..core import data_rights
from ..extensions import db
from .models import (
    Survey,
    SurveyAnswer,
    SurveyOption,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatement,
)
from .storage import delete_responses_of


def export_surveys(user) -> dict:
    answered = db.session.execute(
        select(Survey.title, Survey.slug, Survey.anonymous, SurveyParticipation.answered_on)
        .join(Survey, Survey.id == SurveyParticipation.survey_id)
        .where(SurveyParticipation.user_id == user.id)
        .order_by(SurveyParticipation.answered_on, Survey.title))
    rows = db.session.execute(
        select(Survey.slug, SurveyResponse.sent_on, SurveyQuestion.title, SurveyStatement.label,
               SurveyOption.label, SurveyAnswer.number, SurveyAnswer.text)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(Survey, Survey.id == SurveyResponse.survey_id)
        .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
        .outerjoin(SurveyStatement, SurveyStatement.id == SurveyAnswer.statement_id)
        .outerjoin(SurveyOption, SurveyOption.id == SurveyAnswer.option_id)
        .where(SurveyResponse.user_id == user.id)
        .order_by(Survey.slug, SurveyQuestion.page, SurveyQuestion.position, SurveyAnswer.seq))
    responses: dict[str, dict] = {}
    for slug, sent_on, question, statement, option, number, text in rows:
        response = responses.setdefault(slug, {"survey_slug": slug, "sent_on": sent_on
                                               and sent_on.isoformat(), "answers": []})
        response["answers"].append({"question": question, "statement": statement,
                                    "option": option, "number": number, "text": text})
    return {
        "answered": [{"survey": title, "survey_slug": slug, "anonymous": anonymous,
                      "answered_on": day.isoformat()}
                     for title, slug, anonymous, day in answered],
        "responses": list(responses.values()),
        "note": _("Your responses to anonymous surveys are not listed: they are stored "
                  "without your name and mixed with others, so no one can find them again, "
                  "and they are not deleted with your account. Only that you answered, and "
                  "on which day, is stored with your account."),
    }


def erase_surveys(user) -> None:
    delete_responses_of(user.id)
    participations = db.session.scalars(
        select(SurveyParticipation).where(SurveyParticipation.user_id == user.id)).all()
    for participation in participations:
        others = select(
            exists().where(SurveyResponse.survey_id == participation.survey_id)
            | exists().where(SurveyParticipation.survey_id == participation.survey_id,
                             SurveyParticipation.id != participation.id))
        survey = db.session.get(Survey, participation.survey_id)
        if not survey.anonymous or db.session.scalar(others):
            db.session.delete(participation)
    db.session.flush()


data_rights.register("surveys", export=export_surveys, erase=erase_surveys)
