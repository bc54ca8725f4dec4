"""What the drills act on: bench's vote and accounts (bench/seed.py), a small idea board and
a one-question survey, and the prepared requests of each action.

Accounts are signed in offline as bench/seed.py does it; every request is built once,
with the session cookie and the CSRF token of its account.
"""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

import ideas
import seed
from common import USER_AGENT, VOTE_SLUG
from measure import cast_request
from sqlalchemy import select, update

from mitwirkung.accounts.models import User
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.projects.models import Project
from mitwirkung.proposals.models import Idea
from mitwirkung.surveys.answering import services as answering
from mitwirkung.surveys.answering import steps
from mitwirkung.surveys.models import (
    Audience,
    QuestionKind,
    Survey,
    SurveyOption,
    SurveyQuestion,
    SurveyStatus,
)

SURVEY_SLUG = "drill-umfrage"
BOARD_SLUG = ideas.BOARD_SLUG
ANSWER_PATH = f"/surveys/{SURVEY_SLUG}/answer"
# Where each action's success and refusal redirect to (the Location's path).
SUCCESS = {"cast": f"/votes/{VOTE_SLUG}/receipt", "answer": f"/surveys/{SURVEY_SLUG}/thanks"}
REFUSED = {"cast": f"/votes/{VOTE_SLUG}", "answer": f"/surveys/{SURVEY_SLUG}"}


@dataclass(frozen=True)
class World:
    voters: list  # bench seed.Voter, citizens
    staff: object  # seed.Voter of the staff account
    idea_id: int
    survey_option: tuple[str, str]  # (field name, option id) of the survey's question
    survey_token: str  # the hidden field of the survey's first (and only) page


def build(app, accounts: int) -> World:
    """A fresh database: bench's project, open vote and `accounts` citizens, a board with
    one idea to support (its count at 0) and an open, not anonymous survey of one page."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":  # bench's reset drops PostgreSQL's schema only
            db.drop_all()
    seed.reset_schema(app)
    voters = seed.voter_sessions(app, seed.seed(app, accounts))
    _board_id, public = ideas.seed_board(app, 3)
    with app.app_context():
        staff_row = db.session.execute(select(User.id, User.session_token)
                                       .where(User.username == seed.STAFF_USERNAME)).one()
        idea_id = public[0]
        db.session.execute(update(Idea).values(supports_count=0))
        survey = _survey()
        db.session.commit()
        question = survey.questions[0]
        field, option = f"q{question.id}", str(question.options[0].id)
        token = answering.seal(survey, {}, steps.steps(survey, split=True)[0], False)
    staff = seed.voter_sessions(app, [tuple(staff_row)])[0]
    return World(voters, staff, idea_id, (field, option), token)


def _survey() -> Survey:
    # Whole minutes: the staff form that closes it early (drill 1) sends minutes.
    now = utcnow().replace(second=0, microsecond=0)
    project = db.session.scalar(select(Project).where(Project.slug == "bench"))
    survey = Survey(project=project, slug=SURVEY_SLUG, title="Drill: Arbeitsweg",
                    status=SurveyStatus.PUBLISHED, audience=Audience.CITIZENS,
                    anonymous=False, opens_at=now - timedelta(days=1),
                    closes_at=now + timedelta(days=10))
    question = SurveyQuestion(survey=survey, page=1, position=0, kind=QuestionKind.SINGLE,
                              title="Wie kommen Sie zur Arbeit?", required=True)
    question.options = [SurveyOption(label=label, position=n)
                        for n, label in enumerate(("Fahrrad", "Bus", "Auto"))]
    db.session.add_all([survey, question])
    db.session.flush()
    return survey


def post(path: str, voter, fields: dict) -> bytes:
    """A form POST as a browser sends it, with the account's session and CSRF token."""
    body = urlencode({"csrf_token": voter.csrf_token, **fields})
    head = "\r\n".join([
        f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"User-Agent: {USER_AGENT}",
        f"Cookie: session={voter.cookie}", "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {len(body)}",
    ])
    return f"{head}\r\n\r\n{body}".encode("latin-1")


def actions(world: World, voter, rng) -> list[tuple[str, bytes]]:
    """An account's three actions: cast a ballot, support the idea, answer the survey."""
    field, option = world.survey_option
    return [
        ("cast", cast_request(voter, 0, rng)),
        ("support", post(f"/boards/{BOARD_SLUG}/ideas/{world.idea_id}/support", voter, {})),
        ("answer", post(ANSWER_PATH, voter, {field: option, "answers": world.survey_token})),
    ]


def outcome(kind: str, status: int, location: str) -> str:
    """'ok' (done), 'refused' (already done, or closed) or what else came back. A support
    leads back to the idea's support block whether it is new or repeated (a double click
    changes nothing); the database then says whether it counted."""
    if kind == "support":
        return "ok" if status == 302 and "#support-" in location else f"HTTP {status}"
    path = location.split("#")[0].split("?")[0]
    if "://" in path:  # an absolute Location: its path
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    if status == 302 and path == SUCCESS.get(kind):
        return "ok"
    if status == 302 and path == REFUSED.get(kind):
        return "refused"
    return f"HTTP {status}"
