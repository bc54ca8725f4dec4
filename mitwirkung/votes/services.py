"""Votes: phases, who may see what, and casting a secret online ballot.

Services add and flush; the calling view or command commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..core.database import is_unique_violation
from ..core.permissions import can
from ..core.time import utcnow
from ..extensions import db
from ..projects.models import Project
from .ballot_writes import write_online_ballot
from .models import (
    Ballot,
    Option,
    Participation,
    Question,
    Vote,
    new_ballot_id,
)


class VoteError(Exception):
    """A ballot that cannot be taken; the view turns it into a message."""


class VoteNotOpen(VoteError):
    """The vote is a draft, has not opened yet or has closed (by the server's clock)."""


class AlreadyVoted(VoteError):
    pass


class BallotOutdated(VoteError):
    """An option or question of the ballot was removed while it was being cast."""


class NotEntitled(VoteError):
    """Only confirmed, unblocked accounts vote."""


class InvalidBallot(VoteError):
    """An answer names an unknown question or an option of another question."""


def get_vote(slug: str) -> Vote | None:
    """The vote with its questions and options loaded."""
    return db.session.scalar(
        select(Vote)
        .where(Vote.slug == slug)
        .options(selectinload(Vote.questions).selectinload(Question.options))
    )


def phase(vote: Vote | BallotBox, now=None) -> str:
    """'draft', 'upcoming', 'open' or 'closed'."""
    now = now or utcnow()
    if vote.status != "published":
        return "draft"
    if now < vote.opens_at:
        return "upcoming"
    if now >= vote.closes_at:
        return "closed"
    return "open"


def is_public(vote: Vote | BallotBox) -> bool:
    return vote.status == "published" and vote.project_public


def may_see(vote: Vote | BallotBox, user) -> bool:
    """Drafts (of the vote or its project) are for staff only."""
    return is_public(vote) or can(user, "manage_projects")


def results_visible(vote: Vote, user, now=None) -> bool:
    """Staff always; others once the vote is public and its visibility setting allows."""
    if can(user, "manage_projects"):
        return True
    if not is_public(vote):
        return False
    current = phase(vote, now)
    if vote.results_visibility == "live":
        return current in ("open", "closed")
    return current == "closed"


def has_voted(vote: Vote, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    query = select(
        exists().where(Participation.vote_id == vote.id, Participation.user_id == user.id)
    )
    return bool(db.session.scalar(query))


def ballots_exist(vote: Vote) -> bool:
    """Once a ballot exists, questions and options are locked."""
    return bool(db.session.scalar(select(exists().where(Ballot.vote_id == vote.id))))


def resolve_answers(vote: Vote, answers: Mapping[str, str | None]) -> dict[Question, Option | None]:
    """Map question code -> option code to the vote's objects; unanswered questions are blank."""
    questions = {question.code: question for question in vote.questions}
    unknown = set(answers) - set(questions)
    if unknown:
        raise InvalidBallot(f"unknown question {sorted(unknown)[0]!r}")
    resolved = {}
    for code, question in questions.items():
        chosen = answers.get(code)
        if not chosen:
            resolved[question] = None
            continue
        options = {option.code: option for option in question.options}
        if chosen not in options:
            raise InvalidBallot(f"{chosen!r} is no option of {code!r}")
        resolved[question] = options[chosen]
    return resolved


@dataclass(frozen=True)
class BallotBox:
    """What casting a ballot needs to know about a vote, read in one query."""

    id: int
    status: str
    opens_at: datetime
    closes_at: datetime
    project_public: bool
    # question code -> (question id, {option code -> option id})
    questions: dict[str, tuple[int, dict[str, int]]]

    def choices(self, answers: Mapping[str, str | None]) -> list[tuple[int, int | None]]:
        """(question id, option id or None for blank) per question; unknown codes are refused."""
        unknown = set(answers) - set(self.questions)
        if unknown:
            raise InvalidBallot(f"unknown question {sorted(unknown)[0]!r}")
        chosen = []
        for code, (question_id, options) in self.questions.items():
            option = answers.get(code)
            if option and option not in options:
                raise InvalidBallot(f"{option!r} is no option of {code!r}")
            chosen.append((question_id, options[option] if option else None))
        return chosen


# The hot path of a vote: statements built once, executed with parameters.
_BALLOT_BOX = (
    select(Vote.id, Vote.status, Vote.opens_at, Vote.closes_at, Project.status,
           Question.id, Question.code, Option.id, Option.code)
    .join(Project, Project.id == Vote.project_id)
    .outerjoin(Question, Question.vote_id == Vote.id)
    .outerjoin(Option, Option.question_id == Question.id)
    .where(Vote.slug == bindparam("slug"))
    .order_by(Question.position, Question.id, Option.position, Option.id)
)


def ballot_box(slug: str) -> BallotBox | None:
    rows = db.session.execute(_BALLOT_BOX, {"slug": slug}).all()
    if not rows:
        return None
    questions: dict[str, tuple[int, dict[str, int]]] = {}
    for *_vote, question_id, question_code, option_id, option_code in rows:
        if question_id is not None:
            options = questions.setdefault(question_code, (question_id, {}))[1]
            if option_id is not None:
                options[option_code] = option_id
    vote_id, status, opens_at, closes_at, project_status = rows[0][:5]
    return BallotBox(vote_id, status, opens_at, closes_at, project_status != "draft", questions)


def cast_ballot(box: BallotBox, user, answers: Mapping[str, str | None]) -> str:
    """Record that `user` voted and, apart from that, what was chosen; once per account.
    Returns the ballot's random id."""
    if not can(user, "participate"):
        raise NotEntitled
    if phase(box) != "open" or not is_public(box):
        raise VoteNotOpen
    choices = box.choices(answers)
    if not choices:  # all questions deleted after publishing: nothing to vote on
        raise VoteNotOpen
    ballot_id = new_ballot_id()
    try:
        # The unique constraint decides, also between concurrent tries of the same account.
        write_online_ballot(db.session, box.id, user.id, utcnow().date(), ballot_id, choices)
    except IntegrityError as error:
        if is_unique_violation(error):
            raise AlreadyVoted from error
        raise BallotOutdated from error  # a foreign key: an option went away meanwhile
    return ballot_id


def votes_of_project(project, viewer) -> list[Vote]:
    """The project's votes that `viewer` may see, soonest closing first."""
    query = select(Vote).where(Vote.project_id == project.id).order_by(Vote.closes_at, Vote.id)
    if not can(viewer, "manage_projects"):
        query = query.where(Vote.status == "published")
    return list(db.session.scalars(query))
