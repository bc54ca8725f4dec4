"""Pre-moderation, for every kind of contribution (ideas now, comments next): a new item
waits until a moderator approves it; nobody but its author and the moderators sees it
until then. One mechanism: the state, the decision with its reason, who decided and when,
the audit entry and the author's mail.

A model takes part by mixing in `Moderated` (its columns), adding `moderation_check()` to
its table arguments, and registering a `ModeratedKind` (how to name an item, who wrote it,
where it is shown, what to tell the author). Services add and flush; the caller commits.

After publication an item can be flagged by residents and hidden by a moderator
(core/flags.py, core/hiding.py). Hiding is kept apart from the state, in columns of its own:
the approval stays true (and the tables' CHECK constraints unchanged), and everything that
decides "public" adds `hidden_at IS NULL`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Select, String, Text, select, update
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from ..extensions import db
from . import audit
from .domain import DomainError
from .enums import LabelledEnum
from .time import utcnow


class ModerationState(LabelledEnum):
    PENDING = "pending", _l("awaiting approval")
    APPROVED = "approved", _l("approved")
    REJECTED = "rejected", _l("rejected")


class Moderated:
    """The columns of a moderated item. `moderation_state` starts as given by the caller:
    pending where its board or project pre-moderates, approved where it does not."""

    moderation_state: Mapped[str] = mapped_column(
        String(16), default=ModerationState.PENDING, index=True)
    moderated_at: Mapped[datetime | None]
    moderation_reason: Mapped[str] = mapped_column(Text, default="")

    # Hidden by a moderator after publication, and why (the author reads it); who hid it
    # is in the audit log.
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    @declared_attr
    def moderated_by_id(cls) -> Mapped[int | None]:  # noqa: N805  (a declared attribute)
        return mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_approved(self) -> bool:
        return self.moderation_state == ModerationState.APPROVED

    @property
    def is_pending(self) -> bool:
        return self.moderation_state == ModerationState.PENDING

    @property
    def moderation_label(self):
        return ModerationState.label_of(self.moderation_state)


def moderation_check() -> CheckConstraint:
    """The CHECK constraint of a moderated table's state column."""
    return CheckConstraint(ModerationState.check("moderation_state"), name="moderation_state")


@dataclass(frozen=True)
class ModeratedKind:
    """What the mechanism needs to know of one kind of item."""

    model: type
    # The audit actions of the two decisions, e.g. "idea.approve" and "idea.reject"; each
    # has its sentence in the feature's audit sentences.
    approve_action: str
    reject_action: str
    noun: object  # "Idee", for the queue
    title: Callable[[object], str]
    author_id: Callable[[object], int | None]
    # The author hears of the decision: called after approve or reject (queues a mail).
    tell_author: Callable[[object], None]
    # For the moderators' queue: where the item is shown (its URL), where it belongs (e.g.
    # the board and project of an idea), what it says, and the author's public name.
    url: Callable[[object], str] | None = None
    context: Callable[[object], str] | None = None
    text: Callable[[object], str] | None = None
    author_name: Callable[[object], str] | None = None
    # More conditions for a pending item to wait for a decision (an idea its author has
    # withdrawn does not), and loader options the queue's one query needs.
    still_open: Callable[[], Any] | None = None
    queue_options: Callable[[], tuple] | None = None
    # For the one queue of all kinds: what the item answers, in words (the comment a reply
    # answers, the idea a comment is on, the board an idea is for), and its project's title.
    answers: Callable[[object], str] | None = None
    project_title: Callable[[object], str] | None = None
    # After publication (core/flags.py, core/hiding.py): whether an item is published where
    # everyone may see it (only such an item can be flagged or hidden), the audit actions of
    # hiding it and of keeping it despite flags, and the author's mail once it is hidden. A
    # kind without `flaggable` takes no part.
    flaggable: Callable[[object], bool] | None = None
    hide_action: str = ""
    keep_action: str = ""
    tell_hidden: Callable[[object], None] | None = None
    # Loads in a few queries, not one per item, what the hooks above need of a list of
    # items (the things comments are on): the queue and the list of reported items stay at
    # a fixed number of queries whatever their length.
    preload: Callable[[list], None] | None = None

    @property
    def key(self) -> str:
        """The kind's name in URLs (its table)."""
        return self.model.__tablename__

    def open_conditions(self) -> list:
        model: Any = self.model
        extra = self.still_open() if self.still_open is not None else None
        return [model.moderation_state == ModerationState.PENDING,
                *([extra] if extra is not None else [])]

    def waiting(self) -> Select:
        """The kind's items that wait for a decision, oldest first."""
        model: Any = self.model
        query = select(model).where(*self.open_conditions()).order_by(model.created_at, model.id)
        if self.queue_options is not None:
            query = query.options(*self.queue_options())
        return query


_kinds: dict[type, ModeratedKind] = {}


def register_kind(kind: ModeratedKind) -> None:
    """Make a kind of item moderated (a feature calls this when it loads)."""
    _kinds[kind.model] = kind


def kind_of(item) -> ModeratedKind:
    return _kinds[type(item)]


def kind_by_key(key: str) -> ModeratedKind | None:
    """The kind whose `key` (table) is `key`, if one is registered."""
    return next((kind for kind in _kinds.values() if kind.key == key), None)


def registered_kinds() -> list[ModeratedKind]:
    return list(_kinds.values())


class ModerationError(DomainError):
    """A decision that cannot be taken; the message says why."""


class AlreadyDecided(ModerationError):
    message = _l("This contribution no longer waits for a decision: it has been decided on, "
                 "or its author has withdrawn it.")


class ReasonRequired(ModerationError):
    message = _l("Please give the reason for the rejection; the author reads it.")
    field = "reason"


class OwnContribution(ModerationError):
    message = _l("You cannot decide on your own contribution.")


def approve(item, moderator, reason: str = "") -> None:
    """Publish a pending item."""
    _decide(item, moderator, ModerationState.APPROVED, reason)


def reject(item, moderator, reason: str) -> None:
    """Turn a pending item down, with a reason its author reads."""
    if not (reason or "").strip():
        raise ReasonRequired
    _decide(item, moderator, ModerationState.REJECTED, reason)


def _decide(item, moderator, state: ModerationState, reason: str) -> None:
    kind = kind_of(item)
    moderator_id = getattr(moderator, "id", None)
    if kind.author_id(item) is not None and kind.author_id(item) == moderator_id:
        raise OwnContribution
    # One statement decides, so two moderators deciding at once cannot both succeed.
    model = type(item)
    decided = db.session.execute(
        update(model)
        .where(model.id == item.id, *kind.open_conditions())
        .values(moderation_state=state, moderated_at=utcnow(), moderated_by_id=moderator_id,
                moderation_reason=(reason or "").strip())
        .execution_options(synchronize_session=False))
    if decided.rowcount != 1:
        raise AlreadyDecided
    db.session.refresh(item)
    action = kind.approve_action if state == ModerationState.APPROVED else kind.reject_action
    audit.record(moderator, action, item, reason=item.moderation_reason)
    kind.tell_author(item)
