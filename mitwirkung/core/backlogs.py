"""What waits to be done, counted for the operator's monitoring (/metrics): the moderation
queue, the mail outbox, the ballots and survey responses that wait for their mix. Each
feature registers its own count when it loads (core imports no feature); the metrics read
them all in one query."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.sql.elements import ColumnElement

from ..extensions import db


@dataclass(frozen=True)
class Backlog:
    name: str  # the metric's name after "mitwirkung_"
    description: str
    count: Callable[[], ColumnElement]  # a scalar subquery: how many wait now


_backlogs: dict[str, Backlog] = {}


def register(name: str, description: str, count: Callable[[], ColumnElement]) -> None:
    """Add a feature's backlog (call it when the feature's module loads)."""
    _backlogs[name] = Backlog(name, description, count)


def rows(model, *conditions) -> Callable[[], ColumnElement]:
    """A backlog's count: the rows of `model` that meet `conditions`."""
    return lambda: select(func.count()).select_from(model).where(*conditions).scalar_subquery()


def registered() -> list[Backlog]:
    return sorted(_backlogs.values(), key=lambda backlog: backlog.name)


def lengths() -> dict[str, int]:
    """Every backlog's length now, in one query whatever their number."""
    backlogs = registered()
    if not backlogs:
        return {}
    row = db.session.execute(
        select(*(backlog.count().label(backlog.name) for backlog in backlogs))).one()
    return {backlog.name: int(row._mapping[backlog.name] or 0) for backlog in backlogs}
