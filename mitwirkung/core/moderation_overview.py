"""What the moderators' queue shows: the waiting items of every kind in one list, oldest
first, each with how many items of its author were rejected before; and the moderators'
numbers, how many wait and the median time to a decision. A fixed number of queries,
however long the queue: one for the page of the list (with its total, the authors'
rejections and the median), one per kind for the items, and the kinds' preloads."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Integer, Select, String, func, literal, select, union_all

from ..extensions import db
from . import backlogs
from .moderation import ModeratedKind, ModerationState, registered_kinds
from .time import utcnow

SHOWN = 50  # the oldest first; the page says how many more wait
STATS_DAYS = 30


@dataclass(frozen=True)
class Entry:
    kind: ModeratedKind
    item: object
    rejected_before: int  # items of the same author rejected so far, of every kind
    overdue: bool  # waited longer than MODERATION_REMIND_AFTER_HOURS

    @property
    def anchor(self) -> str:
        return f"item-{self.kind.key}-{self.item.id}"


@dataclass(frozen=True)
class Queue:
    entries: list[Entry]
    total: int  # all that wait, also those beyond the page
    median: timedelta | None  # to a decision, over the last STATS_DAYS days


def _author_column(kind: ModeratedKind):
    # The kind's author hook reads `author_id` of an item; read on the model it gives the
    # column.
    return kind.author_id(kind.model)


def waiting(limit: int = SHOWN, now: datetime | None = None) -> Queue:
    """The oldest `limit` items that wait for a decision, of all kinds together, and the
    moderators' numbers."""
    now = now or utcnow()
    kinds = {kind.key: kind for kind in registered_kinds()}
    if not kinds:
        return Queue([], 0, None)
    rows = union_all(*(
        select(literal(kind.key, String).label("kind"), kind.model.id.label("id"),
               kind.model.created_at.label("created_at"),
               _author_column(kind).label("author_id")).where(*kind.open_conditions())
        for kind in kinds.values())).subquery()
    rejected = sum(
        (select(func.count()).where(_author_column(kind) == rows.c.author_id,
                                    kind.model.moderation_state == ModerationState.REJECTED)
         .scalar_subquery() for kind in kinds.values()), literal(0, Integer))
    # The median rides along the page's query; only an empty queue asks for it apart.
    median = _median_seconds(now - timedelta(days=STATS_DAYS))
    page = db.session.execute(
        select(rows.c.kind, rows.c.id, func.count().over().label("total"),
               rejected.label("rejected"), median.scalar_subquery().label("median"))
        .order_by(rows.c.created_at, rows.c.id).limit(limit)).all()
    items = _load(kinds, page)
    cutoff = now - remind_after()
    entries = [Entry(kinds[row.kind], items[row.kind, row.id], row.rejected or 0,
                     items[row.kind, row.id].created_at <= cutoff)
               for row in page if (row.kind, row.id) in items]
    if page:
        return Queue(entries, page[0].total, _duration(page[0].median))
    return Queue([], 0, _duration(db.session.scalar(median)))


def _load(kinds: dict[str, ModeratedKind], page) -> dict[tuple[str, int], object]:
    """The items of the page: one query per kind, then the kind's preload."""
    items = {}
    for key, kind in kinds.items():
        ids = [row.id for row in page if row.kind == key]
        if not ids:
            continue
        query = select(kind.model).where(kind.model.id.in_(ids))
        if kind.queue_options is not None:
            query = query.options(*kind.queue_options())
        loaded = list(db.session.scalars(query).unique())
        if kind.preload is not None:
            kind.preload(loaded)
        items.update(((key, item.id), item) for item in loaded)
    return items


def remind_after() -> timedelta:
    return timedelta(hours=current_app.config["MODERATION_REMIND_AFTER_HOURS"])


def median_decision_time(days: int = STATS_DAYS, now: datetime | None = None
                         ) -> timedelta | None:
    """The median time from submission to a moderator's decision, over the items of every
    kind decided in the last `days` days; None where none was. One query: the database
    ranks the durations and averages the middle one or two."""
    if not registered_kinds():
        return None
    return _duration(db.session.scalar(
        _median_seconds((now or utcnow()) - timedelta(days=days))))


def _median_seconds(since: datetime) -> Select:
    decided = (ModerationState.APPROVED, ModerationState.REJECTED)
    kinds = registered_kinds()
    durations = union_all(*(
        # Published at once (staff, post-moderation) has no moderator: no decision.
        select(_seconds(kind.model.moderated_at, kind.model.created_at).label("seconds"))
        .where(kind.model.moderated_at >= since, kind.model.moderated_by_id.is_not(None),
               kind.model.moderation_state.in_(decided))
        for kind in kinds)).subquery()
    ranked = select(durations.c.seconds,
                    func.row_number().over(order_by=durations.c.seconds).label("rank"),
                    func.count().over().label("n")).subquery()
    return (select(func.avg(ranked.c.seconds))
            .where(ranked.c.rank >= (ranked.c.n + 1) // 2,
                   ranked.c.rank <= (ranked.c.n + 2) // 2))


def _duration(seconds) -> timedelta | None:
    return None if seconds is None else timedelta(seconds=round(float(seconds)))


def _seconds(later, earlier):
    """`later - earlier` in seconds, in the database's own arithmetic of times."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def waiting_words(delta: timedelta) -> str:
    """How long an item has waited, as the queue says it ("waiting for 3 hours"): minutes
    within the first hour, hours within the first two days, then days. Whole sentences per
    unit, so a language can put the number in the case its "since" needs."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return _("waiting for less than a minute")
    if minutes < 60:
        return ngettext("waiting for %(num)d minute", "waiting for %(num)d minutes", minutes)
    hours = minutes // 60
    if hours < 48:
        return ngettext("waiting for %(num)d hour", "waiting for %(num)d hours", hours)
    return ngettext("waiting for %(num)d day", "waiting for %(num)d days", hours // 24)


def duration_words(delta: timedelta) -> str:
    """A duration on its own ("3 hours"), for the moderators' numbers."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return _("less than a minute")
    if minutes < 60:
        return ngettext("%(num)d minute", "%(num)d minutes", minutes)
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(num)d hour", "%(num)d hours", hours)
    return ngettext("%(num)d day", "%(num)d days", hours // 24)


def _queue_length():
    """How many items of every kind wait for a decision, as one expression."""
    return sum((backlogs.rows(kind.model, *kind.open_conditions())()
                for kind in registered_kinds()), literal(0, Integer))


backlogs.register("moderation_queue_items", "Contributions waiting for a moderator's decision",
                  _queue_length)
