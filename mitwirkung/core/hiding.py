"""Hiding: a moderator takes a published item (an idea, a comment) out of public view, with
a reason its author reads. A hidden comment keeps its place as "removed by the moderation"
so its replies stay; a hidden idea leaves every list, count, search and export, with its
comments. Open flags on the item are closed as decided. Services flush; the caller commits.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from ..extensions import db
from . import audit, flags, moderation
from .time import utcnow


class NotHideable(moderation.ModerationError):
    message = _l("Only a published contribution can be hidden; this one is not (any more).")


class HideReasonRequired(moderation.ModerationError):
    message = _l("Please give the reason for hiding it; the author reads it.")
    field = "reason"


def hide(item, moderator, reason: str) -> None:
    """Hide a published item for `reason`; the author is told by mail."""
    reason = (reason or "").strip()
    if not reason:
        raise HideReasonRequired
    kind = moderation.kind_of(item)
    if kind.flaggable is None:
        raise NotHideable
    if flags.is_author(item, moderator):
        raise moderation.OwnContribution
    model = type(item)
    extra = kind.still_open() if kind.still_open is not None else None
    # One statement decides: hidden once, however many moderators click at once.
    done = db.session.execute(
        update(model)
        .where(model.id == item.id,
               model.moderation_state == moderation.ModerationState.APPROVED,
               model.hidden_at.is_(None), *([extra] if extra is not None else []))
        .values(hidden_at=utcnow(), hidden_reason=reason)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise NotHideable
    db.session.refresh(item)
    closed = flags.close_flags(item, moderator, flags.FlagDecision.HIDDEN)
    audit.record(moderator, kind.hide_action, item, reason=reason, flags=len(closed),
                 reasons=flags.reason_counts(closed))
    if kind.tell_hidden is not None:
        kind.tell_hidden(item)
