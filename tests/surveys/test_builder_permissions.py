"""Every builder route as each role meets it, GET and POST. Citizens and moderators get 403
and nothing changes (CVE-2023-36465 let any signed-in user edit Decidim's survey
templates); visitors are sent to log in."""

import pytest
from sqlalchemy import func, select

from mitwirkung.core.models import AuditEntry
from mitwirkung.extensions import db
from mitwirkung.surveys.models import (
    Survey,
    SurveyOption,
    SurveyQuestion,
    SurveyStatement,
)

from ..projects import factories as project_factories
from .builder import ROLES, answered, draft_survey

LOGIN = 302


def staff_only(status):
    return {"visitor": LOGIN, "citizen": 403, "moderator": 403, "staff": status,
            "admin": status}


Q = "/manage/surveys/{draft}/questions/{question}"
LOCKED_Q = "/manage/surveys/{locked}/questions/{locked_question}"
NEW_SURVEY = {"title": "Neu", "slug": "neu-{n}", "opens_at": "2026-03-01T09:00",
              "closes_at": "2026-03-31T18:00", "audience": "public", "anonymous": "y"}
QUESTION = {"title": "Geänderte Frage", "page": "3", "options": "X\nY\nZ", "required": "y"}

# (method, URL, form, expected status per role)
MATRIX = [
    ("GET", "/manage/surveys", None, staff_only(200)),
    ("GET", "/manage/surveys/new", None, staff_only(200)),
    ("GET", "/manage/surveys/new?project={project}", None, staff_only(200)),
    ("POST", "/manage/surveys/new?project={project}", NEW_SURVEY, staff_only(302)),
    ("GET", "/manage/surveys/new?project=999999", None, staff_only(404)),
    ("GET", "/manage/surveys/{draft}", None, staff_only(200)),
    ("POST", "/manage/surveys/{draft}", NEW_SURVEY | {"slug": "{draft}"}, staff_only(302)),
    ("GET", "/manage/surveys/{locked}", None, staff_only(200)),
    ("POST", "/manage/surveys/{locked}", NEW_SURVEY, staff_only(302)),
    ("GET", "/manage/surveys/no-such-survey", None, staff_only(404)),
    ("POST", "/manage/surveys/{draft}/publish", {}, staff_only(302)),
    ("GET", "/manage/surveys/{draft}/publish", None, dict.fromkeys(ROLES, 405)),
    ("GET", "/manage/surveys/{draft}/questions/new", None, staff_only(200)),
    ("GET", "/manage/surveys/{draft}/questions/new?kind=single", None, staff_only(200)),
    ("POST", "/manage/surveys/{draft}/questions/new?kind=single", QUESTION,
     staff_only(302)),
    ("GET", "/manage/surveys/{locked}/questions/new", None, staff_only(403)),
    ("POST", "/manage/surveys/{locked}/questions/new?kind=single", QUESTION,
     staff_only(403)),
    ("GET", Q + "/edit", None, staff_only(200)),
    ("POST", Q + "/edit", QUESTION, staff_only(302)),
    ("GET", LOCKED_Q + "/edit", None, staff_only(200)),
    ("POST", LOCKED_Q + "/edit", QUESTION, staff_only(200)),  # refused: three options
    ("GET", "/manage/surveys/{draft}/questions/{locked_question}/edit", None,
     staff_only(404)),
    ("GET", Q + "/delete", None, staff_only(200)),
    ("POST", Q + "/delete", {}, staff_only(302)),
    ("GET", LOCKED_Q + "/delete", None, staff_only(403)),
    ("POST", LOCKED_Q + "/delete", {}, staff_only(403)),
    ("POST", "/manage/surveys/{draft}/questions/{locked_question}/delete", {},
     staff_only(404)),
    ("POST", Q + "/move", {"direction": "down"}, staff_only(302)),
    ("GET", Q + "/move", None, dict.fromkeys(ROLES, 405)),
    ("POST", LOCKED_Q + "/move", {"direction": "down"}, staff_only(403)),
]


def world() -> dict:
    """A draft survey whose first question nobody depends on, and an answered one."""
    project = project_factories.project()
    draft = draft_survey(project)
    # The question under test is the one the condition does not point to.
    question = draft.questions[1]
    locked = answered(draft_survey(project))
    return {"project": project.id, "draft": draft.slug, "question": question.id,
            "locked": locked.slug, "locked_question": locked.questions[0].id}


def snapshot() -> tuple:
    """Everything the builder could change, and the audit log's length."""
    db.session.expire_all()
    surveys = db.session.execute(select(
        Survey.id, Survey.slug, Survey.title, Survey.status, Survey.audience,
        Survey.anonymous, Survey.opens_at, Survey.closes_at).order_by(Survey.id)).all()
    questions = db.session.execute(select(
        SurveyQuestion.id, SurveyQuestion.title, SurveyQuestion.page, SurveyQuestion.position,
        SurveyQuestion.required, SurveyQuestion.condition_option_id)
        .order_by(SurveyQuestion.id)).all()
    options = db.session.execute(select(SurveyOption.id, SurveyOption.label)
                                 .order_by(SurveyOption.id)).all()
    statements = db.session.scalar(select(func.count()).select_from(SurveyStatement))
    audit = db.session.scalar(select(func.count()).select_from(AuditEntry))
    return surveys, questions, options, statements, audit


@pytest.mark.parametrize("role", ROLES)
def test_builder_routes_answer_each_role_as_the_matrix_says(app, as_, role):
    failures = []
    for n, (method, template, form, expected) in enumerate(MATRIX):
        values = world()
        url = template.format(**values)
        data = {key: value.format(n=n, **values) for key, value in (form or {}).items()}
        before = snapshot()
        response = as_(role).open(url, method=method, data=data)
        if response.status_code != expected[role]:
            failures.append((method, url, response.status_code, expected[role]))
        if role in ("visitor", "citizen", "moderator"):
            if snapshot() != before:
                failures.append((method, url, "changed something"))
    assert not failures, failures


def test_a_visitor_is_sent_to_log_in(app, as_):
    response = as_("visitor").get("/manage/surveys")
    assert "/login" in response.headers["Location"]
