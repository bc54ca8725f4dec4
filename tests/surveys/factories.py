"""Builders for surveys in tests. Each commits, which inside a test only releases a
savepoint."""

import itertools
from datetime import timedelta

from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.surveys import answers
from mitwirkung.surveys.models import (
    QuestionKind,
    Survey,
    SurveyOption,
    SurveyQuestion,
    SurveyStatement,
    SurveyStatus,
)
from mitwirkung.surveys.storage import NewResponse, insert_responses

from ..projects import factories as project_factories

_counter = itertools.count(1)


def survey(project=None, **fields) -> Survey:
    """A published survey of a published project, open for a week, for confirmed
    citizens, not anonymous unless asked."""
    n = next(_counter)
    now = utcnow()
    values = {"slug": f"survey-{n}", "title": f"Umfrage {n}", "status": SurveyStatus.PUBLISHED,
              "opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=7),
              "anonymous": False}
    values.update(fields)
    item = Survey(project=project or project_factories.project(), **values)
    db.session.add(item)
    db.session.commit()
    return item


def question(survey, kind=QuestionKind.SINGLE, title=None, options=(), statements=(),
             page=1, **fields) -> SurveyQuestion:
    """A question at the end of `page`. `options`: labels, or (label, dict of option
    fields) pairs, e.g. ("Sonstiges", {"is_other": True}). Yes/no gets Ja and Nein;
    scales and matrices 1-5 unless told."""
    kind = QuestionKind(kind)
    if kind == QuestionKind.YES_NO and not options:
        options = ("Ja", "Nein")
    if kind in (QuestionKind.SCALE, QuestionKind.MATRIX):
        fields.setdefault("scale_min", 1)
        fields.setdefault("scale_max", 5)
    position = len(survey.questions)
    item = SurveyQuestion(survey=survey, kind=kind, page=page, position=position,
                          title=title or f"Frage {position + 1}", **fields)
    for i, option in enumerate(options):
        label, extra = (option, {}) if isinstance(option, str) else option
        item.options.append(SurveyOption(label=label, position=i, **extra))
    for i, label in enumerate(statements):
        item.statements.append(SurveyStatement(label=label, position=i))
    db.session.add(item)
    db.session.commit()
    return item


def option(question, label) -> SurveyOption:
    """The option of `question` with this label."""
    return next(item for item in question.options if item.label == label)


def responses(survey, *answer_sets, user_ids=None, mix=None) -> list[str]:
    """Write responses straight into the results (no inbox, no mix): each answer set is
    {question: value}, e.g. {q1: {"option": option(q1, "Ja").id}, q2: {"number": 8}}; a
    question left out was not asked. Not anonymous surveys take `user_ids` (one per set)."""
    questions = survey.questions
    new = []
    for i, answer_set in enumerate(answer_sets):
        checked = answers.check_response(
            questions, {str(q.id): value for q, value in answer_set.items()})
        new.append(NewResponse(rows=answers.response_rows(questions, checked),
                               user_id=user_ids[i] if user_ids else None, mix=mix))
    ids = insert_responses(survey.id, new)
    db.session.commit()
    return ids
