"""Votes: phases, who may see what, and casting a secret online ballot.

Services add and flush; the calling view or command commits.
"""

import secrets
from collections.abc import Mapping

from sqlalchemy import exists, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..core.permissions import can
from ..core.time import utcnow
from ..extensions import db
from .models import Ballot, BallotAnswer, OnlineTally, Option, Participation, Question, Vote

TALLY_SHARDS = 8


class VoteError(Exception):
    """A ballot that cannot be taken; the view turns it into a message."""


class VoteNotOpen(VoteError):
    """The vote is a draft, has not opened yet or has closed (by the server's clock)."""


class AlreadyVoted(VoteError):
    pass


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


def phase(vote: Vote, now=None) -> str:
    """'draft', 'upcoming', 'open' or 'closed'."""
    now = now or utcnow()
    if vote.status != "published":
        return "draft"
    if now < vote.opens_at:
        return "upcoming"
    if now >= vote.closes_at:
        return "closed"
    return "open"


def is_public(vote: Vote) -> bool:
    return vote.status == "published" and vote.project.status != "draft"


def may_see(vote: Vote, user) -> bool:
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


def cast_ballot(vote: Vote, user, answers: Mapping[str, str | None]) -> Ballot:
    """Record that `user` voted and, apart from that, what was chosen; once per account."""
    if not can(user, "participate"):
        raise NotEntitled
    if phase(vote) != "open" or not is_public(vote):
        raise VoteNotOpen
    resolved = resolve_answers(vote, answers)
    if has_voted(vote, user):
        raise AlreadyVoted
    db.session.add(Participation(vote_id=vote.id, user_id=user.id, voted_on=utcnow().date()))
    try:
        # The unique constraint decides between concurrent tries of the same account.
        db.session.flush()
    except IntegrityError as error:
        raise AlreadyVoted from error
    ballot = Ballot(vote_id=vote.id, channel="online")
    for question, option in resolved.items():
        ballot.answers.append(
            BallotAnswer(
                question_id=question.id,
                option_id=option.id if option else None,
                kind="option" if option else "blank",
            )
        )
        _count_online(question.id, str(option.id) if option else "blank")
    db.session.add(ballot)
    db.session.flush()
    return ballot


def _count_online(question_id: int, choice: str) -> None:
    """Add one to the running online count, creating the counter row if needed."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(OnlineTally).values(
        question_id=question_id, choice=choice, shard=secrets.randbelow(TALLY_SHARDS), count=1
    )
    statement = statement.on_conflict_do_update(
        index_elements=["question_id", "choice", "shard"],
        set_={"count": OnlineTally.count + 1},
    )
    db.session.execute(statement)


def votes_of_project(project, viewer) -> list[Vote]:
    """The project's votes that `viewer` may see, soonest closing first."""
    query = select(Vote).where(Vote.project_id == project.id).order_by(Vote.closes_at, Vote.id)
    if not can(viewer, "manage_projects"):
        query = query.where(Vote.status == "published")
    return list(db.session.scalars(query))
