"""Flags ("Meldungen"): a resident reports a published item (an idea, a comment: any kind
core/moderation.py knows with `flaggable`) once, with a reason; the moderators see the
reported items, oldest report first, and decide: keep them (the flags are dismissed) or
hide them (core/hiding.py). Until then the item stays visible to everyone.

A flag names its item by kind and id, not by a foreign key per kind, so core/ knows no
feature's table; an item that is gone or no longer public simply drops out of the list.
One flag per person and item, held by a unique constraint (two clicks at once store one).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    delete,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from . import audit, data_rights, moderation, muting
from .domain import DomainError
from .enums import LabelledEnum
from .time import utcnow

DETAILS_MAX = 1_000
SHOWN = 50  # reported items on the moderators' page; the oldest report first


class FlagReason(LabelledEnum):
    SPAM = "spam", _l("Spam")
    OFFENSIVE = "offensive", _l("Offensive")
    OFF_TOPIC = "off_topic", _l("Does not belong here")


class FlagDecision(LabelledEnum):
    KEPT = "kept", _l("kept")
    HIDDEN = "hidden", _l("hidden")


class Flag(db.Model):
    __tablename__ = "flags"
    __table_args__ = (
        CheckConstraint(FlagReason.check("reason"), name="reason"),
        CheckConstraint(f"decision IS NULL OR {FlagDecision.check('decision')}",
                        name="decision"),
        CheckConstraint("(decision IS NULL) = (decided_at IS NULL)", name="decided"),
        # One flag per person and item: the database decides two clicks at once.
        Index("uq_flags_user_item", "user_id", "item_type", "item_id", unique=True),
        # The open flags of an item, and all open flags oldest first.
        Index("ix_flags_item", "item_type", "item_id", "decided_at"),
        Index("ix_flags_open", "decided_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_type: Mapped[str] = mapped_column(String(40))  # the kind's key (its table)
    item_id: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(16))
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decision: Mapped[str | None] = mapped_column(String(8))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                ondelete="SET NULL"))

    @property
    def reason_label(self):
        return FlagReason.label_of(self.reason)


class FlagError(DomainError):
    """A flag that cannot be given or decided; the message says why."""


class NotFlaggable(FlagError):
    message = _l("Only published contributions can be reported.")


class OwnItem(FlagError):
    message = _l("You cannot report your own contribution.")


class AlreadyFlagged(FlagError):
    message = _l("You have already reported this. The moderators will look at it.")


class UnknownReason(FlagError):
    message = _l("Please choose a reason.")
    field = "reason"


class DetailsTooLong(FlagError):
    message = _l("The details can have at most %(max)d characters.", max=DETAILS_MAX)
    field = "details"


class MutedFlagger(FlagError):
    """The account is muted (core/muting.py): it cannot report for now."""

    message = muting.MUTED_MESSAGE


class NothingToDecide(FlagError):
    message = _l("No open reports on this contribution: another moderator has decided.")


def may_be_flagged(item) -> bool:
    kind = moderation.kind_of(item)
    return kind.flaggable is not None and kind.flaggable(item)


def is_author(item, user) -> bool:
    author_id = moderation.kind_of(item).author_id(item)
    return author_id is not None and author_id == getattr(user, "id", None)


def has_flagged(item, user) -> bool:
    return db.session.scalar(select(Flag.id).where(
        Flag.item_type == moderation.kind_of(item).key, Flag.item_id == item.id,
        Flag.user_id == user.id)) is not None


def flag(item, user, reason: str, details: str = "") -> Flag:
    """Store `user`'s report of `item`. A second report of the same item by the same person
    (also two sent at once) raises AlreadyFlagged."""
    muting.refuse_if_muted(user, MutedFlagger)
    if reason not in set(FlagReason):
        raise UnknownReason
    details = (details or "").strip()
    if len(details) > DETAILS_MAX:
        raise DetailsTooLong
    if not may_be_flagged(item):
        raise NotFlaggable
    if is_author(item, user):
        raise OwnItem
    if has_flagged(item, user):
        raise AlreadyFlagged
    new = Flag(item_type=moderation.kind_of(item).key, item_id=item.id, user_id=user.id,
               reason=reason, details=details)
    try:
        with db.session.begin_nested():
            db.session.add(new)
    except IntegrityError:
        raise AlreadyFlagged from None
    return new


def close_flags(item, moderator, decision: FlagDecision) -> list[str]:
    """Mark the item's open flags decided; returns the reasons of those it closed (one
    statement, so two moderators deciding at once close each flag once)."""
    kind = moderation.kind_of(item)
    return list(db.session.scalars(
        update(Flag)
        .where(Flag.item_type == kind.key, Flag.item_id == item.id, Flag.decided_at.is_(None))
        .values(decided_at=utcnow(), decision=decision,
                decided_by_id=getattr(moderator, "id", None))
        .returning(Flag.reason)
        .execution_options(synchronize_session=False)))


def keep(item, moderator, note: str = "") -> int:
    """The moderator finds nothing wrong: the item stays, its open flags are dismissed.
    Returns how many were dismissed."""
    if is_author(item, moderator):
        raise moderation.OwnContribution
    closed = close_flags(item, moderator, FlagDecision.KEPT)
    if not closed:
        raise NothingToDecide
    audit.record(moderator, moderation.kind_of(item).keep_action, item,
                 flags=len(closed), reasons=reason_counts(closed), reason=(note or "").strip())
    return len(closed)


def reason_counts(reasons: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for reason in reasons:
        counts[reason] = counts.get(reason, 0) + 1
    return counts


# The moderators' list -----------------------------------------------------------------------


@dataclass
class Reported:
    """A reported item as the moderators see it: its open flags, oldest first."""

    kind: moderation.ModeratedKind
    item: object
    flags: list[Flag] = field(default_factory=list)

    @property
    def first_at(self) -> datetime:
        return self.flags[0].created_at

    @property
    def reasons(self) -> list[tuple[object, int]]:
        """(label, count) of each reason given, most frequent first."""
        counts = reason_counts(one.reason for one in self.flags)
        return [(FlagReason.label_of(reason), count)
                for reason, count in sorted(counts.items(), key=lambda pair: -pair[1])]

    @property
    def details(self) -> list[str]:
        return [one.details for one in self.flags if one.details]


def reported(limit: int = SHOWN) -> list[Reported]:
    """Published items with open flags, the one reported longest ago first: one query for
    the flags, one per kind for its items."""
    open_flags = db.session.scalars(
        select(Flag).where(Flag.decided_at.is_(None)).order_by(Flag.created_at, Flag.id)
        .limit(limit * 20)).all()
    wanted: dict[str, set[int]] = {}
    for one in open_flags:
        wanted.setdefault(one.item_type, set()).add(one.item_id)
    items: dict[tuple[str, int], object] = {}
    for key, ids in wanted.items():
        kind = moderation.kind_by_key(key)
        if kind is None or kind.flaggable is None:
            continue
        query = select(kind.model).where(kind.model.id.in_(ids))
        if kind.queue_options is not None:
            query = query.options(*kind.queue_options())
        loaded = db.session.scalars(query).unique().all()
        if kind.preload is not None:
            kind.preload(loaded)
        for item in loaded:
            if kind.flaggable(item):
                items[key, item.id] = item
    found: dict[tuple[str, int], Reported] = {}
    for one in open_flags:
        item = items.get((one.item_type, one.item_id))
        if item is None:
            continue
        entry = found.get((one.item_type, one.item_id))
        if entry is None:
            if len(found) == limit:
                continue
            entry = found[one.item_type, one.item_id] = Reported(
                moderation.kind_by_key(one.item_type), item)
        entry.flags.append(one)
    return list(found.values())


# A person's data ----------------------------------------------------------------------------


def _export_person(user) -> list[dict]:
    """The reports the person made: what, when, why, and what became of them."""
    rows = db.session.scalars(select(Flag).where(Flag.user_id == user.id)
                              .order_by(Flag.created_at, Flag.id))
    return [{"item": one.item_type, "item_id": one.item_id, "reason": one.reason,
             "reason_label": str(one.reason_label), "details": one.details or None,
             "reported_at": one.created_at.isoformat() + "Z",
             "decision": one.decision} for one in rows]


def _erase_person(user) -> None:
    """A report is the person's; the moderators' decision is in the audit log."""
    db.session.execute(delete(Flag).where(Flag.user_id == user.id))
    db.session.flush()


data_rights.register("flags", export=_export_person, erase=_erase_person)
