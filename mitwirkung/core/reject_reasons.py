"""The reasons moderators choose from when they reject a contribution: a list that admins
edit (add, reword, reorder, deactivate). A decision copies the reason's text into the
item's `moderation_reason`, so rewording a reason later leaves decisions as they were told.
Services add and flush; the caller commits."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from . import audit
from .audit import quoted
from .domain import DomainError

TEXT_MAX = 200

# What a new installation offers (the migration that made the table seeds the same list).
DEFAULTS = ("Beleidigend oder herabwürdigend", "Werbung oder Spam", "Gehört nicht zum Thema",
            "Enthält persönliche Daten")


class RejectReason(db.Model):
    __tablename__ = "reject_reasons"
    __table_args__ = (UniqueConstraint("text", name="uq_reject_reasons_text"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(TEXT_MAX))
    position: Mapped[int] = mapped_column(default=0)
    # A deactivated reason is no longer offered; decisions that named it keep its text.
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<RejectReason {self.id} {self.text!r}>"


class ReasonError(DomainError):
    """A change to the list that cannot be made; the message says why."""


class DuplicateReason(ReasonError):
    message = _l("This reason is already in the list.")
    field = "text"


class ReasonMissing(ReasonError):
    message = _l("Please write the reason.")
    field = "text"


def active() -> list[RejectReason]:
    """The reasons moderators choose from, in the admins' order."""
    return list(db.session.scalars(select(RejectReason).where(RejectReason.active)
                                   .order_by(RejectReason.position, RejectReason.id)))


def every() -> list[RejectReason]:
    """Every reason, deactivated ones too, in the admins' order (the admin page)."""
    return list(db.session.scalars(select(RejectReason)
                                   .order_by(RejectReason.position, RejectReason.id)))


def get(reason_id: int) -> RejectReason | None:
    return db.session.get(RejectReason, reason_id)


def add(actor, text: str) -> RejectReason:
    """A new reason at the end of the list."""
    text = _clean(text)
    last = db.session.scalar(select(func.max(RejectReason.position)))
    reason = RejectReason(text=text, position=(last or 0) + 1, active=True)
    _flush(reason)
    audit.record(actor, "reject_reason.add", reason)
    return reason


def reword(actor, reason: RejectReason, text: str) -> None:
    before, text = reason.text, _clean(text)
    with db.session.no_autoflush:
        reason.text = text
        _flush(reason)
    audit.record(actor, "reject_reason.reword", reason, before=before)


def move(actor, reason: RejectReason, step: int) -> None:
    """One place up (step -1) or down (+1); nothing at either end of the list."""
    reasons = every()
    index = next(i for i, each in enumerate(reasons) if each.id == reason.id)
    other = index + (1 if step > 0 else -1)
    if not 0 <= other < len(reasons):
        return
    reasons[index], reasons[other] = reasons[other], reasons[index]
    # Number them afresh: reasons added at once may share a position.
    for position, each in enumerate(reasons, start=1):
        each.position = position
    db.session.flush()
    audit.record(actor, "reject_reason.move", reason, position=other + 1)


def set_active(actor, reason: RejectReason, is_active: bool) -> None:
    if reason.active == is_active:
        return
    reason.active = is_active
    db.session.flush()
    if is_active:
        audit.record(actor, "reject_reason.activate", reason)
    else:
        audit.record(actor, "reject_reason.deactivate", reason)


def add_defaults() -> None:
    """The default reasons, where the list is empty (the demo; the migration seeds them)."""
    if db.session.scalar(select(func.count()).select_from(RejectReason)):
        return
    db.session.add_all(RejectReason(text=text, position=position, active=True)
                       for position, text in enumerate(DEFAULTS, start=1))
    db.session.flush()


def compose(chosen: str | None, text: str | None) -> str:
    """The reason the author reads: the chosen one, the moderator's own words, or both."""
    chosen, text = (chosen or "").strip(), (text or "").strip()
    if chosen and text:
        return f"{chosen}: {text}"
    return chosen or text


def _clean(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ReasonMissing
    return text[:TEXT_MAX]


def _flush(reason: RejectReason) -> None:
    # The unique constraint guards; this check is for the friendly message.
    taken = db.session.scalar(select(RejectReason.id).where(
        RejectReason.text == reason.text, RejectReason.id != (reason.id or 0)))
    if taken is not None:
        raise DuplicateReason
    db.session.add(reason)
    db.session.flush()


# The audit log names a reason by its text.

audit.register_target(
    "reject_reasons", _l("Reason for rejection"), label=lambda reason: reason.text,
    load=lambda ids: dict(db.session.execute(
        select(RejectReason.id, RejectReason.text).where(RejectReason.id.in_(ids)))),
    show=quoted)


@audit.sentence("reject_reason.add", _l("Reason for rejection added"), target="reject_reasons")
def _added(line):
    return _("Reason for rejection %(reason)s added", reason=line.target)


@audit.sentence("reject_reason.reword", _l("Reason for rejection reworded"),
                target="reject_reasons")
def _reworded(line):
    return _("Reason for rejection %(before)s reworded as %(reason)s",
             before=quoted(line.get("before")), reason=line.target)


@audit.sentence("reject_reason.move", _l("Reason for rejection moved"), target="reject_reasons")
def _moved(line):
    return _("Reason for rejection %(reason)s moved to place %(position)s",
             reason=line.target, position=line.get("position"))


@audit.sentence("reject_reason.deactivate", _l("Reason for rejection deactivated"),
                target="reject_reasons")
def _deactivated(line):
    return _("Reason for rejection %(reason)s deactivated", reason=line.target)


@audit.sentence("reject_reason.activate", _l("Reason for rejection activated"),
                target="reject_reasons")
def _activated(line):
    return _("Reason for rejection %(reason)s activated again", reason=line.target)
