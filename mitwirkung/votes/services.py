"""Votes as every part of them sees them: lookup, phase, who may see what and when.

Other features (the project page, uploads) use these; each job of votes/ builds on them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from ..core.permissions import can
from ..core.time import utc_to_local, utcnow
from ..extensions import db
from ..projects.models import Project
from .models import (
    Ballot,
    BatchSource,
    BatchStatus,
    Option,
    PaperBatch,
    Participation,
    Question,
    ResultsVisibility,
    Vote,
    VotePhase,
    VoteStanding,
    VoteStatus,
)

if TYPE_CHECKING:
    from .casting.ballot_box import BallotBox


def get_vote(slug: str) -> Vote | None:
    """The vote with its questions and options loaded."""
    return db.session.scalar(
        select(Vote)
        .where(Vote.slug == slug)
        .options(selectinload(Vote.questions).selectinload(Question.options))
    )


def phase(vote: Vote | BallotBox, now=None) -> VotePhase:
    """Where the vote stands at `now` (default: the server's clock)."""
    now = now or utcnow()
    if vote.status != VoteStatus.PUBLISHED:
        return VotePhase.DRAFT
    if now < vote.opens_at:
        return VotePhase.UPCOMING
    if now >= vote.closes_at:
        return VotePhase.CLOSED
    return VotePhase.OPEN


_STANDING_OF_PHASE = {
    VotePhase.DRAFT: VoteStanding.DRAFT,
    VotePhase.UPCOMING: VoteStanding.SCHEDULED,
    VotePhase.OPEN: VoteStanding.OPEN,
    VotePhase.CLOSED: VoteStanding.CLOSED,
}


def standing(vote: Vote, now=None) -> VoteStanding:
    """The vote's phase at `now` in the staff's words: a closed vote whose result is final
    stands apart from one still counting paper ballots."""
    if vote.is_final:
        return VoteStanding.FINAL
    return _STANDING_OF_PHASE[phase(vote, now)]


def is_public(vote: Vote | BallotBox) -> bool:
    return vote.status == VoteStatus.PUBLISHED and vote.project_public


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
    if vote.results_visibility == ResultsVisibility.LIVE:
        return current in (VotePhase.OPEN, VotePhase.CLOSED)
    if vote.results_visibility == ResultsVisibility.AFTER_FINAL:
        return vote.is_final
    return current == VotePhase.CLOSED


def closing_day(vote: Vote) -> date:
    """The last local day of the vote: a vote closing at midnight closes on the day before."""
    return utc_to_local(vote.closes_at - timedelta(microseconds=1)).date()


def accepts_paper(vote: Vote, now=None) -> bool:
    """Paper cards go in while the vote is open, and after its close until its result is
    declared final: the ballot boxes are emptied after the close."""
    return phase(vote, now) in (VotePhase.OPEN, VotePhase.CLOSED) and not vote.is_final


def has_voted(vote: Vote, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    query = select(
        exists().where(Participation.vote_id == vote.id, Participation.user_id == user.id)
    )
    return bool(db.session.scalar(query))


def ballots_exist(vote: Vote) -> bool:
    """Once a ballot exists, questions and options are locked; an online ballot exists from
    its cast on, as a participation, long before a mix makes it a ballot row; a tally sheet
    holds its totals by question and option code, and has no ballot rows at all."""
    return bool(db.session.scalar(select(
        exists().where(Ballot.vote_id == vote.id)
        | exists().where(Participation.vote_id == vote.id)
        | exists().where(PaperBatch.vote_id == vote.id, PaperBatch.source == BatchSource.TALLY,
                         PaperBatch.status != BatchStatus.VOID)
    )))


def upload_visibility(name: str) -> bool | None:
    """Whether a stored file (an option's image) is public; None if no option has it."""
    row = db.session.execute(
        select(Vote.status, Project.status)
        .join(Project, Project.id == Vote.project_id)
        .join(Question, Question.vote_id == Vote.id)
        .join(Option, Option.question_id == Question.id)
        .where(Option.image == name).limit(1)
    ).first()
    return None if row is None else row[0] == VoteStatus.PUBLISHED and row[1] != "draft"


def votes_of_project(project, viewer) -> list[Vote]:
    """The project's votes that `viewer` may see, soonest closing first."""
    query = select(Vote).where(Vote.project_id == project.id).order_by(Vote.closes_at, Vote.id)
    if not can(viewer, "manage_projects"):
        query = query.where(Vote.status == VoteStatus.PUBLISHED)
    return list(db.session.scalars(query))
