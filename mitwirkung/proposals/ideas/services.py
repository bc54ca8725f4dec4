"""The life of an idea: submitted by a resident (after a look at similar ones), edited
while it waits for approval, withdrawn with a reason; answered by staff with a status and
a public history; in a competition checked for admissibility and put on the shortlist.

Operations add and flush; the calling view commits once. Who may see an idea is decided
by proposals/services.py alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, lazyload

from ...core import audit, uploads
from ...core.domain import DomainError
from ...core.moderation import ModerationState
from ...core.muting import MUTED_MESSAGE, refuse_if_muted
from ...core.time import local_today, utcnow
from ...extensions import db
from .. import search, services
from ..models import (
    Board,
    Category,
    EventKind,
    Feasibility,
    Idea,
    IdeaEvent,
    IdeaStatus,
    WithdrawReason,
)
from . import mails

SIMILAR_SHOWN = 5
SHORTLIST_ON, SHORTLIST_OFF = "on", "off"  # an IdeaEvent's values for the shortlist


class IdeaError(DomainError):
    """An operation on an idea was refused; `field` names its form field, if one."""


class SubmittingClosed(IdeaError):
    message = _l("This board takes no new ideas at the moment.")


class Muted(IdeaError):
    """The account is muted for now (core/muting.py); the message says why and until when."""

    message = MUTED_MESSAGE


class UnknownCategory(IdeaError):
    message = _l("Please choose one of the board's categories.")
    field = "category_id"


class NotYours(IdeaError):
    message = _l("Only the author can do this.")


class NotEditable(IdeaError):
    message = _l("This idea can no longer be edited: only an idea that awaits approval can "
                 "be changed.")


class AlreadyWithdrawn(IdeaError):
    message = _l("This idea has already been withdrawn.")


class NotWithdrawable(IdeaError):
    message = _l("A rejected idea cannot be withdrawn.")


class UnknownReason(IdeaError):
    message = _l("Please choose a reason.")
    field = "reason"


class NotPublic(IdeaError):
    message = _l("Only a public idea gets an official answer.")


class UnknownStatus(IdeaError):
    message = _l("Please choose a status.")
    field = "status"


class AnswerRequired(IdeaError):
    message = _l("Please write the answer: the public and the author read it.")
    field = "answer"


class NothingChanged(IdeaError):
    message = _l("Nothing changed: choose another status or write a new answer.")
    field = "answer"


class NotCompetition(IdeaError):
    message = _l("Only ideas of a competition are checked for admissibility and shortlisted.")


class FeasibilityClosed(IdeaError):
    message = _l("Supporting has started: whether an idea is admissible can no longer change.")


class UnknownFeasibility(IdeaError):
    message = _l("Please choose admissible or not admissible.")
    field = "feasibility"


class FeasibilityReasonRequired(IdeaError):
    message = _l("Please give the reason why the idea is not admissible.")
    field = "reason"


class NothingToCheck(IdeaError):
    message = _l("Nothing changed: the idea already has this decision and reason.")
    field = "reason"


class NotAdmissible(IdeaError):
    message = _l("Only an admissible idea can go on the shortlist.")


class AlreadyThere(IdeaError):
    message = _l("The idea is already where you wanted it.")


# Finding ------------------------------------------------------------------------------------


# The idea page's statements, built once (building one costs SQLAlchemy more than running
# it). The idea's board is the one the page has loaded already, found in the session.
_IDEA_FOR_PAGE = (select(Idea).options(joinedload(Idea.author), lazyload(Idea.board))
                  .where(Idea.board_id == bindparam("board_id"), Idea.id == bindparam("idea_id")))
_TIMELINE = (select(IdeaEvent).where(IdeaEvent.idea_id == bindparam("idea_id"))
             .order_by(IdeaEvent.created_at, IdeaEvent.id))


def idea_for_page(board: Board, idea_id: int) -> Idea | None:
    """The idea of `board` with its author and category, in one query."""
    return db.session.scalar(_IDEA_FOR_PAGE, {"board_id": board.id, "idea_id": idea_id})


def timeline(idea: Idea) -> list[IdeaEvent]:
    """The idea's public history, oldest first."""
    return list(db.session.scalars(_TIMELINE, {"idea_id": idea.id}))


def similar_ideas(board: Board, title: str, text: str, limit: int = SIMILAR_SHOWN) -> list[Idea]:
    """Up to `limit` public ideas of `board` that share words with `title` and `text`, the
    most alike first: shown before saving, so a person may support one instead."""
    query = select(Idea).where(Idea.board_id == board.id, services.PUBLIC)
    narrowed, order = search.search(query, f"{title} {text}", any_word=True)
    if order is None:
        return []
    return list(db.session.scalars(narrowed.order_by(order, Idea.id.desc()).limit(limit)))


def is_author(idea: Idea, viewer) -> bool:
    return (getattr(viewer, "is_authenticated", False) and idea.author_id is not None
            and idea.author_id == viewer.id)


def may_edit(idea: Idea, viewer) -> bool:
    """The author edits an idea while it waits for approval, not after."""
    return is_author(idea, viewer) and idea.is_pending and idea.withdrawn_at is None


def may_withdraw(idea: Idea, viewer) -> bool:
    return (is_author(idea, viewer) and idea.withdrawn_at is None
            and idea.moderation_state != ModerationState.REJECTED)


def feasibility_open(board: Board, today: date | None = None) -> bool:
    """Staff check admissibility in a competition until supporting opens."""
    today = today or local_today()
    return board.competition and (board.support_from is None or today < board.support_from)


# Submitting, editing, withdrawing -----------------------------------------------------------


@dataclass
class IdeaFields:
    """What a resident types for an idea."""

    title: str
    text: str
    category_id: int | None = None
    place: str = ""
    latitude: float | None = None
    longitude: float | None = None

    def cleaned(self) -> IdeaFields:
        return IdeaFields(self.title.strip(), self.text.strip(), self.category_id or None,
                          (self.place or "").strip(), self.latitude, self.longitude)


def ensure_submitting_open(board: Board) -> None:
    if not (services.is_public(board) and services.submitting_open(board)):
        raise SubmittingClosed()


def submit_idea(board: Board, author, fields: IdeaFields, *, submission_key: str,
                image=None, image_alt: str = "") -> tuple[Idea, bool]:
    """Store a new idea of `author` on `board`: pending where the board pre-moderates, else
    public at once. Returns (idea, True); a second request with the same submission key (a
    double click) stores nothing and returns (the first one's idea, False)."""
    ensure_submitting_open(board)
    refuse_if_muted(author, Muted)
    fields = fields.cleaned()
    category = _category(board, fields.category_id)
    existing = _submitted(author, submission_key)
    if existing is not None:
        return existing, False
    stored = uploads.save_image(image) if image else None
    premoderated = board.premoderation
    idea = Idea(
        board=board, author_id=author.id, category=category, title=fields.title,
        text=fields.text, place=fields.place, latitude=fields.latitude,
        longitude=fields.longitude, image=stored, image_alt=image_alt.strip() if stored else "",
        moderation_state=ModerationState.PENDING if premoderated else ModerationState.APPROVED,
        moderated_at=None if premoderated else utcnow(), submission_key=submission_key,
    )
    try:
        with db.session.begin_nested():
            db.session.add(idea)
    except IntegrityError:
        # The other click of a double click stored it a moment ago.
        uploads.delete(stored)
        existing = _submitted(author, submission_key)
        if existing is None:
            raise
        return existing, False
    return idea, True


def _submitted(author, submission_key: str) -> Idea | None:
    return db.session.scalar(select(Idea).where(Idea.author_id == author.id,
                                                Idea.submission_key == submission_key))


def _category(board: Board, category_id: int | None) -> Category | None:
    """The board's category of that id; one is needed where the board has any."""
    if category_id is None and not board.categories:
        return None
    for category in board.categories:
        if category.id == category_id:
            return category
    raise UnknownCategory()


def edit_idea(idea: Idea, author, fields: IdeaFields, *, image=None, remove_image: bool = False,
              image_alt: str = "") -> Idea:
    """Change an idea while it waits for approval; only its author may."""
    if not is_author(idea, author):
        raise NotYours()
    if not may_edit(idea, author):
        raise NotEditable()
    fields = fields.cleaned()
    category = _category(idea.board, fields.category_id)
    old_image = idea.image
    if image:
        idea.image = uploads.save_image(image)
    elif remove_image:
        idea.image = None
    idea.image_alt = image_alt.strip() if idea.image else ""
    idea.title, idea.text, idea.category = fields.title, fields.text, category
    idea.place, idea.latitude, idea.longitude = fields.place, fields.latitude, fields.longitude
    db.session.flush()
    if old_image and old_image != idea.image:
        uploads.delete(old_image)
    return idea


def withdraw_idea(idea: Idea, author, reason: str, note: str = "") -> Idea:
    """The author takes an idea back, with a reason: it leaves every list, and its page
    stays for the author (and for staff and moderators)."""
    if not is_author(idea, author):
        raise NotYours()
    if idea.withdrawn_at is not None:
        raise AlreadyWithdrawn()
    if idea.moderation_state == ModerationState.REJECTED:
        raise NotWithdrawable()
    if reason not in set(WithdrawReason):
        raise UnknownReason()
    idea.withdrawn_at = utcnow()
    idea.withdraw_reason = reason
    idea.withdraw_note = (note or "").strip()
    db.session.flush()
    return idea


# Staff: status and official answer ----------------------------------------------------------


def answer_idea(idea: Idea, actor, status: str, answer: str) -> IdeaEvent:
    """Set the idea's status with an official answer: an entry of its public history, the
    author told by mail, the audit log written. Any status can follow any other, back to
    "not answered yet" too; the same status with a new answer is an update."""
    if not idea.is_public:
        raise NotPublic()
    if status not in set(IdeaStatus):
        raise UnknownStatus()
    answer = (answer or "").strip()
    if not answer:
        raise AnswerRequired()
    if status == idea.status and answer == idea.answer:
        raise NothingChanged()
    event = _event(idea, actor, EventKind.STATUS, idea.status, status, answer)
    idea.status, idea.answer = status, answer
    db.session.flush()
    audit.record(actor, "idea.answer", idea, old=event.from_value, new=status)
    mails.tell_of_event(idea, event)
    return event


# Staff: competitions ------------------------------------------------------------------------


def set_feasibility(idea: Idea, actor, feasibility: str, reason: str,
                    today: date | None = None) -> IdeaEvent:
    """Mark a competition's idea admissible or not, before supporting opens; "not
    admissible" needs a reason. An idea found not admissible leaves the shortlist."""
    _ensure_competition(idea)
    if not feasibility_open(idea.board, today):
        raise FeasibilityClosed()
    if feasibility not in set(Feasibility):
        raise UnknownFeasibility()
    reason = (reason or "").strip()
    if feasibility == Feasibility.NOT_FEASIBLE and not reason:
        raise FeasibilityReasonRequired()
    if feasibility == idea.feasibility and reason == idea.feasibility_reason:
        raise NothingToCheck()
    event = _event(idea, actor, EventKind.FEASIBILITY, idea.feasibility, feasibility, reason)
    idea.feasibility, idea.feasibility_reason = feasibility, reason
    audit.record(actor, "idea.feasibility", idea, old=event.from_value, new=feasibility)
    if feasibility == Feasibility.NOT_FEASIBLE and idea.shortlisted:
        _shortlist(idea, actor, False)
    db.session.flush()
    mails.tell_of_event(idea, event)
    return event


def set_shortlisted(idea: Idea, actor, shortlisted: bool) -> IdeaEvent:
    """Put a competition's admissible idea on the shortlist, or take it off."""
    _ensure_competition(idea)
    if shortlisted == idea.shortlisted:
        raise AlreadyThere()
    if shortlisted and idea.feasibility != Feasibility.FEASIBLE:
        raise NotAdmissible()
    event = _shortlist(idea, actor, shortlisted)
    db.session.flush()
    mails.tell_of_event(idea, event)
    return event


def _shortlist(idea: Idea, actor, shortlisted: bool) -> IdeaEvent:
    event = _event(idea, actor, EventKind.SHORTLIST,
                   SHORTLIST_ON if idea.shortlisted else SHORTLIST_OFF,
                   SHORTLIST_ON if shortlisted else SHORTLIST_OFF, "")
    idea.shortlisted = shortlisted
    audit.record(actor, "idea.shortlist", idea, shortlisted=shortlisted)
    return event


def _ensure_competition(idea: Idea) -> None:
    if not idea.board.competition:
        raise NotCompetition()
    if not idea.is_public:
        raise NotPublic()


def _event(idea: Idea, actor, kind: EventKind, old: str | None, new: str | None,
           answer: str) -> IdeaEvent:
    """A new entry of the idea's public history; who acted is kept by role for the public."""
    event = IdeaEvent(idea_id=idea.id, kind=kind, from_value=old, to_value=new, answer=answer,
                      actor_id=getattr(actor, "id", None), actor_role=actor.role,
                      created_at=utcnow())
    db.session.add(event)
    return event
