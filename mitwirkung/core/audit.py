"""The audit log: the one way to write it, and the one way to read it as sentences.

Each feature registers, when its blueprint module loads, the kinds of objects it audits
(`register_target`: their noun, the label recorded with every entry, and a loader of
labels for entries written without one) and a sentence for each of its actions
(`@sentence`). Core imports no feature: an action nobody registered still reads as a
generic sentence, and a new feature (ideas, comments) adds its own the same way.

A label is recorded when the entry is written, so the log says what a thing was called
then, and a page of the log needs no query per entry. Entries written before labels were
recorded (and entries about a deleted account, whose name is erased) get theirs from one
query per kind of object on the page.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, Text, cast, func, or_, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from . import data_rights
from .models import AuditEntry
from .time import local_to_utc

LOAD_CHUNK = 500  # ids per query when labels are loaded (an export may need many)


@dataclass(frozen=True)
class TargetKind:
    """A kind of object the log is about, e.g. votes ("Abstimmung")."""

    table: str
    noun: Any  # a lazy string
    label: Callable[[Any], Any]  # object -> its label (JSON), recorded with each entry
    load: Callable[[Collection[int]], dict[int, Any]]  # ids -> labels, in one query
    show: Callable[[Any], str]  # label -> the text a sentence names the object by
    context: Callable[[Any], str | None] | None  # label -> where it belongs, if anywhere
    # Keys of details that are about the object as a person (a block's reason): erased,
    # with the label, when that person deletes their account.
    personal: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActionKind:
    action: str
    name: Any  # a lazy string: what the filter offers, e.g. "Role changed"
    target: str  # the table of the objects it is about
    describe: Callable[["Line"], str]


_targets: dict[str, TargetKind] = {}
_actions: dict[str, ActionKind] = {}


def register_target(table: str, noun, *, label, load, show=str, context=None,
                    personal=()) -> None:
    """Make a kind of object known to the log (a feature calls this when it loads)."""
    _targets[table] = TargetKind(table, noun, label, load, show, context, tuple(personal))


def sentence(action: str, name, *, target: str):
    """Decorator: `describe(line) -> str` says in a sentence what `action` did."""

    def decorator(describe):
        _actions[action] = ActionKind(action, name, target, describe)
        return describe

    return decorator


def registered_actions() -> dict[str, ActionKind]:
    return dict(_actions)


def registered_targets() -> dict[str, TargetKind]:
    return dict(_targets)


def quoted(text) -> str:
    """A title in the language's quotation marks: „Lesegarten“, “Lesegarten”."""
    return _("“%(text)s”", text=text)


# Writing ---------------------------------------------------------------------------------


def record(actor, action: str, target, **details) -> AuditEntry:
    """Log that `actor` did `action` to `target` (a model instance); the caller commits.
    The target's label (its title, name ...) is recorded with it, if its kind is known."""
    table = type(target).__tablename__
    kind = _targets.get(table)
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=table,
        target_id=getattr(target, "id", None),
        target_label=kind.label(target) if kind is not None else None,
        details=details,
    )
    db.session.add(entry)
    return entry


# Reading as sentences --------------------------------------------------------------------


@dataclass
class Line:
    """An entry as a page or an export shows it."""

    entry: AuditEntry
    target: str  # the object as a sentence names it, e.g. „Lesegarten“ or Wochenmarkt 12.09.
    noun: str  # its kind, e.g. Abstimmung
    context: str | None = None  # where it belongs, e.g. the vote of a batch

    @property
    def details(self) -> dict:
        details = self.entry.details
        return details if isinstance(details, dict) else {}

    def get(self, key: str, default: Any = "") -> Any:
        value = self.details.get(key)
        return default if value is None else value

    @property
    def sentence(self) -> str:
        kind = _actions.get(self.entry.action)
        if kind is not None:
            try:
                return kind.describe(self)
            except (AttributeError, KeyError, TypeError, ValueError):
                pass  # details of an older shape: say it generically
        return _("Action “%(action)s” on %(noun)s %(target)s", action=self.entry.action,
                 noun=self.noun, target=self.target)


def describe(entries: Iterable[AuditEntry]) -> list[Line]:
    """The entries as lines, with the labels of entries that have none loaded by one query
    per kind of object (not per entry)."""
    entries = list(entries)
    missing: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        if (entry.target_label is None and entry.target_id is not None
                and entry.target_type in _targets):
            missing[entry.target_type].add(entry.target_id)
    loaded: dict[str, dict[int, Any]] = {}
    for table, ids in missing.items():
        ordered = sorted(ids)
        labels = loaded[table] = {}
        for start in range(0, len(ordered), LOAD_CHUNK):
            labels.update(_targets[table].load(ordered[start:start + LOAD_CHUNK]))
    return [_line(entry, loaded) for entry in entries]


def _line(entry: AuditEntry, loaded: dict[str, dict[int, Any]]) -> Line:
    kind = _targets.get(entry.target_type)
    number = _("no. %(id)s", id=entry.target_id) if entry.target_id is not None else ""
    if kind is None:
        return Line(entry, number, entry.target_type)
    label = entry.target_label
    if label is None:
        label = loaded.get(entry.target_type, {}).get(entry.target_id)
    if label is None:
        return Line(entry, number, str(kind.noun))
    try:
        context = kind.context(label) if kind.context else None
        return Line(entry, kind.show(label), str(kind.noun), context)
    except (AttributeError, KeyError, TypeError, ValueError):
        return Line(entry, number, str(kind.noun))


# Finding entries -------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What a reader of the log asks for; each part is None (or empty) when not asked."""

    actor_id: int | None = None
    action: str | None = None
    target_type: str | None = None
    since: date | None = None  # local days, both included
    until: date | None = None
    search: str = ""


def _actor_model():
    # The account model, reached through the relationship: core imports no feature.
    return AuditEntry.actor.property.mapper.class_


def query(filters: Filters = Filters()) -> Select:
    """The entries that match `filters`, newest first, with their actors."""
    statement = select(AuditEntry).options(joinedload(AuditEntry.actor)).order_by(
        AuditEntry.created_at.desc(), AuditEntry.id.desc()
    )
    if filters.actor_id is not None:
        statement = statement.where(AuditEntry.actor_id == filters.actor_id)
    if filters.action:
        statement = statement.where(AuditEntry.action == filters.action)
    if filters.target_type:
        statement = statement.where(AuditEntry.target_type == filters.target_type)
    if filters.since:
        statement = statement.where(AuditEntry.created_at >= _day_start(filters.since))
    if filters.until:
        statement = statement.where(
            AuditEntry.created_at < _day_start(filters.until + timedelta(days=1))
        )
    term = filters.search.strip().lower()
    if term:
        statement = statement.where(_matches(term))
    return statement


def _day_start(day: date) -> datetime:
    return local_to_utc(datetime.combine(day, time.min))


def _matches(term: str):
    """Entries whose target's label, details (reasons, stations, files ...), actor's
    username, kind of action or kind of object contain `term`, whatever its case."""
    texts = [func.lower(cast(AuditEntry.details, Text)),
             func.lower(cast(AuditEntry.target_label, Text))]
    # JSON is stored with non-ASCII letters escaped (ü as \u00fc), whose case lower()
    # cannot change: look for the common spellings of the term as well.
    spellings = {term} | {
        json.dumps(variant)[1:-1].lower() for variant in (term, term.upper(), term.capitalize())
    }
    user = _actor_model()
    conditions = [text.like(_like(spelling), escape="\\")
                  for text in texts for spelling in sorted(spellings)]
    conditions.append(AuditEntry.actor_id.in_(
        select(user.id).where(func.lower(user.username).like(_like(term), escape="\\"))
    ))
    actions = [kind.action for kind in _actions.values() if term in str(kind.name).lower()]
    if actions:
        conditions.append(AuditEntry.action.in_(actions))
    targets = [kind.table for kind in _targets.values() if term in str(kind.noun).lower()]
    if targets:
        conditions.append(AuditEntry.target_type.in_(targets))
    return or_(*conditions)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def entries(filters: Filters, page: int, per_page: int = 50):
    """A page of the entries that match `filters`: a count and a select, whatever its size."""
    return db.paginate(query(filters), page=page, per_page=per_page, error_out=False)


def all_entries(filters: Filters) -> list[AuditEntry]:
    """Every entry that matches `filters`, newest first (for the export)."""
    return list(db.session.scalars(query(filters)).unique())


def about(table: str, target_id: int) -> list[AuditEntry]:
    """The entries about one object, newest first."""
    return list(db.session.scalars(query().where(
        AuditEntry.target_type == table, AuditEntry.target_id == target_id
    )).unique())


def by_actor(actor_id: int) -> list[AuditEntry]:
    """The entries of what one person did, newest first."""
    return list(db.session.scalars(query(Filters(actor_id=actor_id))).unique())


# A person's data ------------------------------------------------------------------------


def _export_person(user) -> dict:
    """The entries about the person's account and those of what they did, as sentences."""

    def item(line: Line, actor: bool) -> dict:
        data = {"time": line.entry.created_at.isoformat() + "Z", "action": line.entry.action,
                "description": line.sentence}
        if actor:
            data["by"] = line.entry.actor.display_name if line.entry.actor else None
        return data

    return {
        "about_you": [item(line, True)
                      for line in describe(about(type(user).__tablename__, user.id))],
        "by_you": [item(line, False) for line in describe(by_actor(user.id))],
    }


def _erase_person(user) -> None:
    """Entries stay, so the log stays complete: what they did stays with their account, now
    without a name; entries about them lose the name recorded then and what was written
    about them (a block's reason)."""
    table = type(user).__tablename__
    kind = _targets.get(table)
    personal = kind.personal if kind is not None else ()
    for entry in about(table, user.id):
        entry.target_label = None
        if isinstance(entry.details, dict) and any(key in entry.details for key in personal):
            entry.details = {key: value for key, value in entry.details.items()
                             if key not in personal}
    db.session.flush()


data_rights.register("audit_log", export=_export_person, erase=_erase_person)
