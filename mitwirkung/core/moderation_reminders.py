"""Reminders to the moderators about items that have waited too long for a decision
(MODERATION_REMIND_AFTER_HOURS; CONSUL #5025: nobody was told, items were overlooked).
`mitwirkung moderation remind`, run from cron, mails every moderator one list of the items
that became overdue since the last run; each item is remembered, so it is named once."""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, render_template, url_for
from flask_babel import force_locale, ngettext
from sqlalchemy import String, UniqueConstraint, exists, select
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .content_version import unseen
from .mail import send_mail
from .moderation import ModeratedKind, registered_kinds
from .moderation_overview import remind_after
from .permissions import CAPABILITIES, can
from .time import utcnow


class ModerationReminder(db.Model):
    """An overdue item the moderators have been told about."""

    __tablename__ = "moderation_reminders"
    __table_args__ = (UniqueConstraint("kind", "item_id", name="uq_moderation_reminders_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # the kind's key (its table)
    item_id: Mapped[int]
    reminded_at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True)
class Overdue:
    kind: ModeratedKind
    item: object


@dataclass(frozen=True)
class Reminded:
    items: int
    moderators: int


def newly_overdue(now: datetime | None = None) -> list[Overdue]:
    """Items of every kind waiting longer than the set time that no reminder named yet,
    oldest first."""
    cutoff = (now or utcnow()) - remind_after()
    found = []
    for kind in registered_kinds():
        model = kind.model
        named = exists().where(ModerationReminder.kind == kind.key,
                               ModerationReminder.item_id == model.id)
        found += [Overdue(kind, item) for item in db.session.scalars(
            kind.waiting().where(model.created_at <= cutoff, ~named)).unique()]
    return sorted(found, key=lambda overdue: (overdue.item.created_at, overdue.kind.key))


def moderators() -> list:
    """Active, confirmed accounts that may moderate and have an address."""
    # Core reads the accounts' table through the one model every feature shares.
    from ..accounts.models import User

    people = db.session.scalars(select(User).where(
        User.role.in_(CAPABILITIES["moderate"]), User.deleted_at.is_(None),
        User.email.is_not(None)).order_by(User.id))
    return [person for person in people if can(person, "moderate") and person.is_confirmed]


def remind(now: datetime | None = None) -> Reminded:
    """Mail every moderator the items that became overdue, and remember them. With no
    moderator to tell, nothing is remembered: the next run tries again."""
    overdue = newly_overdue(now)
    people = moderators() if overdue else []
    if not overdue or not people:
        return Reminded(len(overdue), 0)
    site = current_app.config["SITE_URL"]
    lines = [{"kind": entry.kind, "item": entry.item,
              "link": site + url_for("moderation.queue",
                                     _anchor=f"item-{entry.kind.key}-{entry.item.id}")}
             for entry in overdue]
    hours = current_app.config["MODERATION_REMIND_AFTER_HOURS"]
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = ngettext("%(num)d contribution waits for a decision",
                           "%(num)d contributions wait for a decision", len(lines))
        for person in people:
            send_mail(person.email, subject, render_template(
                "moderation/mail/remind.txt", user=person, lines=lines, hours=hours,
                queue=site + url_for("moderation.queue")))
    db.session.add_all(ModerationReminder(kind=entry.kind.key, item_id=entry.item.id)
                       for entry in overdue)
    db.session.flush()
    return Reminded(len(overdue), len(people))


# Shown on no page kept for visitors (core/page_cache.py): writes here leave the content
# version alone.
unseen(ModerationReminder)
