"""The ideas' part of a person's data: the ideas they submitted, with where each stands
(approval, the city's status and answer, admissibility) and their withdrawals.

Erasure: an idea that was never public (pending or rejected) goes, with its image: nobody
but its author, the moderators and staff ever saw it, and its author is leaving. A public
idea (withdrawn later or not) stays, without its author: others have supported it, the
city has answered it and its history is public, and a board's list must not change its
count because one person left. It then shows "deleted account" as its author; a
withdrawal's note, which only the author and staff read, is erased.
"""

from flask_babel import gettext as _
from sqlalchemy import select, update

from ..core import data_rights, uploads
from ..core.moderation import ModerationState
from ..extensions import db
from .models import Board, Feasibility, Idea, IdeaStatus, WithdrawReason


def _iso(value):
    return value.isoformat() + "Z" if value else None


def export_ideas(user) -> dict:
    rows = db.session.execute(
        select(Idea, Board.title, Board.slug).join(Board, Board.id == Idea.board_id)
        .where(Idea.author_id == user.id).order_by(Idea.created_at, Idea.id))
    return {"ideas": [{
        "board": board_title, "board_slug": board_slug, "id": idea.id,
        "title": idea.title, "text": idea.text,
        "category": idea.category.name if idea.category else None,
        "place": idea.place or None, "latitude": idea.latitude, "longitude": idea.longitude,
        "has_image": idea.image is not None, "image_alt": idea.image_alt or None,
        "submitted_at": _iso(idea.created_at),
        "moderation": idea.moderation_state,
        "moderation_label": str(ModerationState.label_of(idea.moderation_state)),
        "moderation_reason": idea.moderation_reason or None,
        "hidden": {"hidden_at": _iso(idea.hidden_at), "reason": idea.hidden_reason or None}
        if idea.hidden_at else None,
        "status": idea.status, "status_label": str(IdeaStatus.label_of(idea.status)),
        "answer": idea.answer or None,
        "feasibility": (str(Feasibility.label_of(idea.feasibility))
                        if idea.feasibility else None),
        "shortlisted": idea.shortlisted,
        "supports": idea.supports_count,
        "withdrawal": {
            "withdrawn_at": _iso(idea.withdrawn_at),
            "reason": str(WithdrawReason.label_of(idea.withdraw_reason)),
            "note": idea.withdraw_note or None,
        } if idea.withdrawn_at else None,
    } for idea, board_title, board_slug in rows],
        "note": _("If you delete your account, ideas that were never public are deleted; "
                  "public ideas stay, shown as by a deleted account.")}


def erase_ideas(user) -> None:
    never_public = db.session.scalars(select(Idea).where(
        Idea.author_id == user.id, Idea.moderation_state != ModerationState.APPROVED)).all()
    for idea in never_public:
        uploads.delete(idea.image)
        db.session.delete(idea)
    db.session.flush()
    db.session.execute(
        update(Idea).where(Idea.author_id == user.id)
        .values(author_id=None, withdraw_note="", submission_key=None)
        .execution_options(synchronize_session="fetch"))


data_rights.register("ideas", export=export_ideas, erase=erase_ideas)
