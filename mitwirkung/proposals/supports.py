"""Supporting ideas: one support per account and idea, given and withdrawn during the
board's support phase, and the count beside each idea kept exact.

The unique constraint on (idea, account) decides concurrent clicks (Decidim
GHSA-r275-j57c-7mf2 and CONSUL #2415 counted them twice): a support is written with
`ON CONFLICT DO NOTHING`, and the idea's counter moves only with a row that was really
written or really deleted, in the same transaction. On PostgreSQL both go as one statement
(a data-modifying CTE, atomic on its own, as a cast is: votes/casting/writes.py); on
SQLite as two statements under the one write lock.

Services add and flush; the calling view commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, Integer, bindparam, delete, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from ..core import data_rights
from ..core.database import start_writes
from ..core.domain import DomainError
from ..core.permissions import can
from ..core.time import local_today, utcnow
from ..extensions import db
from . import services
from .models import Board, Idea, Support


class SupportError(DomainError):
    """A support that cannot be given or withdrawn; the message says why."""


class NotEntitled(SupportError):
    """Only confirmed, unblocked accounts support."""

    message = _l("Please confirm your e-mail address before you support ideas.")


class SupportClosed(SupportError):
    """Outside the board's support phase, or an idea that is not open for support."""

    message = _l("This idea cannot be supported now.")


class SupportLimitReached(SupportError):
    message = _l("You can support at most %(limit)d ideas on this board. Withdraw one of "
                 "your supports to support this idea.")


def find_idea(slug: str, idea_id: int) -> Idea | None:
    """The idea `idea_id` of the board `slug`, with its board and project: one query."""
    board_id = select(Board.id).where(Board.slug == slug).scalar_subquery()
    return db.session.scalar(select(Idea).where(Idea.id == idea_id, Idea.board_id == board_id))


# What the page shows -----------------------------------------------------------------------


@dataclass(frozen=True)
class SupportState:
    """One idea's support as the viewer sees it: the count, whether they support it,
    whether they may act now, and the board's limit."""

    count: int
    supported: bool
    open: bool  # supporting is open for this idea
    entitled: bool  # the viewer may support (a confirmed, unblocked account)
    signed_in: bool
    limit: int | None
    used: int  # the viewer's supports on this board

    @property
    def may_support(self) -> bool:
        return self.open and self.entitled and not self.supported and not self.limit_reached

    @property
    def may_withdraw(self) -> bool:
        return self.open and self.entitled and self.supported

    @property
    def limit_reached(self) -> bool:
        return self.limit is not None and self.used >= self.limit

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.used)


@dataclass(frozen=True)
class BoardSupports:
    """A board's supports as one viewer sees them, read once per page (one query for a
    signed-in person, none for a visitor) and asked for each idea the page shows."""

    open: bool  # the board is public and its support phase is open today
    upcoming: bool  # the phase opens on a later day
    competition: bool
    entitled: bool
    signed_in: bool
    mine: frozenset[int]  # the ideas of the board the viewer supports
    limit: int | None

    @property
    def used(self) -> int | None:
        """The viewer's supports on the board; None when they cannot support."""
        return len(self.mine) if self.entitled else None

    @property
    def left(self) -> int | None:
        if self.limit is None or self.used is None:
            return None
        return max(0, self.limit - self.used)

    def open_for(self, idea: Idea) -> bool:
        """Supporting `idea` is open now (the board's phase, the idea public and, in a
        competition, admissible)."""
        return self.open and services.idea_open_for_support(idea, self.competition)

    def state(self, idea: Idea) -> SupportState:
        return SupportState(count=idea.supports_count, supported=idea.id in self.mine,
                            open=self.open_for(idea), entitled=self.entitled,
                            signed_in=self.signed_in, limit=self.limit, used=len(self.mine))


_SUPPORT_COLUMNS = Support.__table__.c
_MINE = select(_SUPPORT_COLUMNS.idea_id).where(  # built once, of the table's columns (Core)
    _SUPPORT_COLUMNS.board_id == bindparam("board_id"),
    _SUPPORT_COLUMNS.user_id == bindparam("user_id"))


def for_viewer(board: Board, user) -> BoardSupports:
    """The board's supports as `user` sees them, once per board and request."""
    cache = g.setdefault("_board_supports", {}) if has_request_context() else {}
    if board.id not in cache:
        today = local_today()
        signed_in = bool(getattr(user, "is_authenticated", False))
        mine = frozenset()
        if signed_in:
            mine = frozenset(db.session.scalars(
                _MINE, {"board_id": board.id, "user_id": user.id}))
        cache[board.id] = BoardSupports(
            open=services.is_public(board) and services.supporting_open(board, today),
            upcoming=board.support_from is not None and today < board.support_from,
            competition=board.competition, entitled=can(user, "participate"),
            signed_in=signed_in, mine=mine, limit=board.support_limit)
    return cache[board.id]


def state(idea: Idea, user) -> SupportState:
    """The support state of `idea` for `user` (see SupportState)."""
    return for_viewer(idea.board, user).state(idea)


# Writing ---------------------------------------------------------------------------------


def support(idea: Idea, user) -> bool:
    """Count `user`'s support of `idea`; True if it was counted now, False if it already
    was. Refused outside the support phase, for an idea not open to support, for an
    account that may not participate, and beyond the board's limit."""
    _check(idea, user)
    limit = idea.board.support_limit
    params = {"idea_id": idea.id, "user_id": user.id, "board_id": idea.board_id,
              "now": utcnow(), "limit": limit}
    # A limit needs its count and the insert to hold together: a transaction that holds the
    # account's row (PostgreSQL) or the write lock (SQLite) while both run.
    start_writes(transaction=limit is not None)
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    try:
        if postgresql:
            if limit is not None:
                db.session.execute(_LOCK_ACCOUNT, params)
            counted = db.session.execute(
                _SUPPORT_LIMITED_PG if limit is not None else _SUPPORT_PG, params).first()
        else:
            counted = db.session.execute(
                _INSERT_LIMITED if limit is not None else _INSERT, params).first()
            if counted is not None:
                counted = db.session.execute(_COUNT_UP, params).first()
    except IntegrityError as error:  # a foreign key: the idea was deleted meanwhile
        raise SupportClosed from error
    if counted is None and limit is not None and not _supports(idea, user):
        raise SupportLimitReached(limit=limit)
    _changed(idea, counted)
    return counted is not None


def withdraw(idea: Idea, user) -> bool:
    """Take `user`'s support of `idea` back; True if it was withdrawn now, False if there
    was none. Only while supporting is open, as supporting is."""
    _check(idea, user)
    params = {"idea_id": idea.id, "user_id": user.id}
    start_writes()
    if db.session.get_bind().dialect.name == "postgresql":
        withdrawn = db.session.execute(_WITHDRAW_PG, params).first()
    else:
        withdrawn = db.session.execute(_DELETE, params).first()
        if withdrawn is not None:
            withdrawn = db.session.execute(_COUNT_DOWN, params).first()
    _changed(idea, withdrawn)
    return withdrawn is not None


def _check(idea: Idea, user) -> None:
    if not can(user, "participate"):
        raise NotEntitled
    if not services.may_be_supported(idea):
        raise SupportClosed


def _supports(idea: Idea, user) -> bool:
    return db.session.scalar(select(func.count()).select_from(Support).where(
        Support.idea_id == idea.id, Support.user_id == user.id)) > 0


def _changed(idea: Idea, row) -> None:
    """After a write: the idea object shows the count the write left (`row`, from RETURNING;
    None when nothing changed), and the viewer's supports are read anew."""
    if row is not None:
        set_committed_value(idea, "supports_count", row.supports_count)
    if has_request_context():
        g.pop("_board_supports", None)


_SUPPORTS, _IDEAS = Support.__tablename__, Idea.__tablename__
_UNDER_LIMIT = (f"(SELECT count(*) FROM {_SUPPORTS} "
                "WHERE user_id = :user_id AND board_id = :board_id) < :limit")


def _statement(sql: str):
    """A statement built once, its parameters typed (a datetime as SQLite stores it)."""
    types = {"now": DateTime, "idea_id": Integer, "user_id": Integer, "board_id": Integer,
             "limit": Integer}
    return text(sql).bindparams(*(bindparam(name, type_=kind) for name, kind in types.items()
                                  if f":{name}" in sql))


# PostgreSQL: the insert and the count in one statement. The counter moves only if the
# insert wrote a row; a second support of the same account finds the conflict and writes
# nothing, also while the first is not yet committed (it waits for it).
_SUPPORT_PG = _statement(f"""
WITH new AS (
    INSERT INTO {_SUPPORTS} (idea_id, user_id, board_id, created_at)
    VALUES (:idea_id, :user_id, :board_id, :now)
    ON CONFLICT (idea_id, user_id) DO NOTHING
    RETURNING idea_id
)
UPDATE {_IDEAS} SET supports_count = supports_count + 1
WHERE id IN (SELECT idea_id FROM new)
RETURNING supports_count
""")
# With a limit, inside a transaction that holds the account's row first (_LOCK_ACCOUNT):
# a second support of the same account on another idea waits, then counts this one.
_SUPPORT_LIMITED_PG = _statement(f"""
WITH new AS (
    INSERT INTO {_SUPPORTS} (idea_id, user_id, board_id, created_at)
    SELECT :idea_id, :user_id, :board_id, :now WHERE {_UNDER_LIMIT}
    ON CONFLICT (idea_id, user_id) DO NOTHING
    RETURNING idea_id
)
UPDATE {_IDEAS} SET supports_count = supports_count + 1
WHERE id IN (SELECT idea_id FROM new)
RETURNING supports_count
""")
# NO KEY UPDATE: waits for another support of the same account, not for the foreign keys
# that other rows take on the account (KEY SHARE).
_LOCK_ACCOUNT = _statement("SELECT id FROM users WHERE id = :user_id FOR NO KEY UPDATE")
_WITHDRAW_PG = _statement(f"""
WITH gone AS (
    DELETE FROM {_SUPPORTS} WHERE idea_id = :idea_id AND user_id = :user_id
    RETURNING idea_id
)
UPDATE {_IDEAS} SET supports_count = supports_count - 1
WHERE id IN (SELECT idea_id FROM gone)
RETURNING supports_count
""")

# SQLite: no data-modifying CTEs, but one writer at a time: two statements in the
# request's write transaction. (An INSERT ... SELECT with an upsert clause needs a WHERE.)
_INSERT = _statement(f"""
INSERT INTO {_SUPPORTS} (idea_id, user_id, board_id, created_at)
SELECT :idea_id, :user_id, :board_id, :now WHERE true
ON CONFLICT (idea_id, user_id) DO NOTHING
RETURNING idea_id
""")
_INSERT_LIMITED = _statement(f"""
INSERT INTO {_SUPPORTS} (idea_id, user_id, board_id, created_at)
SELECT :idea_id, :user_id, :board_id, :now WHERE {_UNDER_LIMIT}
ON CONFLICT (idea_id, user_id) DO NOTHING
RETURNING idea_id
""")
_DELETE = _statement(f"DELETE FROM {_SUPPORTS} WHERE idea_id = :idea_id AND user_id = :user_id "
                     "RETURNING idea_id")
_COUNT_UP = _statement(f"UPDATE {_IDEAS} SET supports_count = supports_count + 1 "
                       "WHERE id = :idea_id RETURNING supports_count")
_COUNT_DOWN = _statement(f"UPDATE {_IDEAS} SET supports_count = supports_count - 1 "
                         "WHERE id = :idea_id RETURNING supports_count")


# A person's data --------------------------------------------------------------------------


def export_supports(user) -> list[dict]:
    """Which ideas the person supports, and since when."""
    rows = db.session.execute(
        select(Board.slug, Idea.id, Idea.title, Support.created_at)
        .join(Idea, Idea.id == Support.idea_id).join(Board, Board.id == Support.board_id)
        .where(Support.user_id == user.id).order_by(Support.created_at, Support.id))
    return [{"board": slug, "idea": idea_id, "title": title,
             "supported_at": created.isoformat() + "Z"}
            for slug, idea_id, title, created in rows]


def erase_supports(user) -> None:
    """Withdraw every support of the person: the counts go down by theirs."""
    mine = select(Support.idea_id).where(Support.user_id == user.id)
    db.session.execute(update(Idea).where(Idea.id.in_(mine))
                       # not an edit of the idea: its updated_at stays
                       .values(supports_count=Idea.supports_count - 1,
                               updated_at=Idea.updated_at)
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(Support).where(Support.user_id == user.id)
                       .execution_options(synchronize_session=False))
    db.session.flush()


data_rights.register("supports", export=export_supports, erase=erase_supports)
