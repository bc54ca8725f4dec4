"""Declaring a vote's result final: once the vote has closed and every batch of paper cards
is counted or void. From then on nothing about the vote changes: no card is entered,
imported, checked or voided, and its set-up stays as it is (votes/paper/batches.py,
votes/setup/services.py check `Vote.is_final`).

Services flush; the calling view or command commits.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...core import audit
from ...core.domain import DomainError
from ...core.time import utcnow
from ...extensions import db
from ..casting.mixing import seal_if_closed
from ..models import BatchStatus, Vote, VotePhase
from ..services import phase
from .tally import Results, tally


class FinalRefused(DomainError):
    """The result cannot be declared final now; the message says why."""


class NotClosedYet(FinalRefused):
    message = _l("The result can be declared final only after the vote has closed.")


class AlreadyFinal(FinalRefused):
    message = _l("The result of this vote is final already.")


class BatchesPending(FinalRefused):
    """Batches are still being entered or wait for their check entry."""

    message = _l("Some batches are still being entered or await their check: %(stations)s. "
                 "Close, check or void them first.")

    def __init__(self, stations: list[str]):
        super().__init__(stations=", ".join(stations))


PENDING = (BatchStatus.OPEN, BatchStatus.CHECKING)


def may_declare(vote: Vote) -> bool:
    """Whether the page that declares the result final has something to offer now."""
    return phase(vote) == VotePhase.CLOSED and not vote.is_final


def pending_batches(results: Results) -> list:
    """The batches that keep the result from being final."""
    return [item for item in results.batches if item.batch.status in PENDING]


def declare_final(vote: Vote, actor) -> None:
    """Declare the vote's result final, as `actor`.

    The vote's online ballots are sealed first, in a transaction of their own. Then the
    vote's row is locked (on PostgreSQL; SQLite writes one at a time anyway): every change
    of its paper cards takes a share of that lock to read whether the result is final, so
    none can slip in between the check of the batches below and the declaration."""
    if vote.is_final:
        raise AlreadyFinal
    if phase(vote) != VotePhase.CLOSED:
        raise NotClosedYet
    seal_if_closed(vote)
    db.session.execute(select(Vote.id).where(Vote.id == vote.id).with_for_update())
    db.session.refresh(vote)
    if vote.is_final:
        raise AlreadyFinal
    results = tally(vote)
    pending = pending_batches(results)
    if pending:
        raise BatchesPending([f"{item.batch.station} ({item.batch.collected_on:%d.%m.})"
                              for item in pending])
    vote.final_at = utcnow()
    vote.final_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record(actor, "vote.final", vote, online=results.online_ballots,
                 paper=results.paper_ballots, tally=results.tally_ballots)
