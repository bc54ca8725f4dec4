"""A board's ideas as a list: search, filters, sorts and pages, always inside the one
visibility rule (services.visible_to), so what a person may not see is neither listed,
found nor counted.

A page costs a fixed number of queries whatever the board holds: the count and the page's
ideas. The list page reads its ideas as plain rows of the columns it shows (IdeaSummary),
not as ORM objects of every column: that was a fifth of the page's time.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Select, cast, func, literal, select
from sqlalchemy.orm import lazyload

from ...core.enums import LabelledEnum
from ...core.moderation import ModerationState
from ...extensions import db
from .. import search, services
from ..models import Board, Category, Idea, IdeaStatus

PER_PAGE = 20


class Sort(LabelledEnum):
    """The list's orders: a closed set. "Most discussed" joins once comments exist."""

    NEWEST = "newest", _l("newest")
    SUPPORTS = "supports", _l("most supported")
    RANDOM = "random", _l("random")


@dataclass(frozen=True)
class Filters:
    """What the person asked for, each value already checked against what exists."""

    words: str = ""
    category_id: int | None = None
    status: str | None = None
    mine: bool = False
    sort: Sort = Sort.NEWEST

    @property
    def narrowing(self) -> bool:
        """True when the list shows fewer ideas than the board has for this person."""
        return bool(self.words.strip() or self.category_id or self.status or self.mine)


def ideas_query(board: Board, viewer, filters: Filters, seed: int = 0) -> Select:
    """The ideas of `board` that `viewer` may see and that match `filters`, in the asked
    order (ties broken by id, so pages never overlap). `seed` shuffles the random order."""
    query = select(Idea).where(Idea.board_id == board.id, services.visible_to(viewer))
    if filters.category_id is not None:
        query = query.where(Idea.category_id == filters.category_id)
    if filters.status is not None:
        query = query.where(Idea.status == filters.status)
    if filters.mine and getattr(viewer, "is_authenticated", False):
        query = query.where(Idea.author_id == viewer.id)
    query, _relevance = search.search(query, filters.words)
    if filters.sort == Sort.SUPPORTS:
        return query.order_by(Idea.supports_count.desc(), Idea.id.desc())
    if filters.sort == Sort.RANDOM:
        return query.order_by(shuffled(seed), Idea.id)
    return query.order_by(Idea.created_at.desc(), Idea.id.desc())


@dataclass(frozen=True)
class Page:
    """One page of a list and the total it was cut from (what _macros/pagination.html
    needs)."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


def paginate(board: Board, query: Select, page: int, per_page: int) -> Page:
    """The count of the ideas of `board` that `query` finds, and the page's ideas. Two
    queries: each idea's board and category are those the session holds already (a
    many-to-one found there costs none)."""
    total = db.session.scalar(query.order_by(None).with_only_columns(
        func.count(), maintain_column_froms=True))
    if not total:
        return Page([], 0, page, per_page)
    board.categories  # noqa: B018  loaded here, unless the page has loaded them already
    items = db.session.scalars(query.options(lazyload(Idea.board), lazyload(Idea.category))
                               .limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items, total, page, per_page)


# The list's rows --------------------------------------------------------------------------

# An excerpt is the text truncated to 220 characters (`truncate(220)`, which keeps a text of
# up to 225 whole), so the first 226 characters decide it as the whole text would.
EXCERPT_SOURCE = 226


@dataclass(frozen=True, slots=True)
class IdeaSummary:
    """An idea as the list shows it (templates/_macros/ideas.html): what an Idea offers
    there, read from one row. `text` is the text's start, enough for the excerpt;
    `category` is the board's own Category object."""

    id: int
    title: str
    text: str
    category: Category | None
    status: str
    moderation_state: str
    withdrawn_at: datetime | None
    supports_count: int
    feasibility: str | None
    latitude: float | None
    longitude: float | None

    @property
    def is_approved(self) -> bool:
        return self.moderation_state == ModerationState.APPROVED

    @property
    def is_public(self) -> bool:
        return self.is_approved and self.withdrawn_at is None

    @property
    def moderation_label(self):
        return ModerationState.label_of(self.moderation_state)

    @property
    def status_label(self):
        return IdeaStatus.label_of(self.status)


_SUMMARY_COLUMNS = (
    Idea.id, Idea.title, func.substr(Idea.text, 1, EXCERPT_SOURCE), Idea.category_id,
    Idea.status, Idea.moderation_state, Idea.withdrawn_at, Idea.supports_count,
    Idea.feasibility, Idea.latitude, Idea.longitude,
)


def list_ideas(board: Board, viewer, filters: Filters, page: int, seed: int = 0,
               per_page: int = PER_PAGE) -> Page:
    """One page of the list as IdeaSummary rows, with the total it was cut from (two
    queries, and the board's categories unless loaded already)."""
    query = ideas_query(board, viewer, filters, seed)
    total = db.session.scalar(query.order_by(None).with_only_columns(
        func.count(), maintain_column_froms=True))
    if not total:
        return Page([], 0, page, per_page)
    categories = {category.id: category for category in board.categories}
    rows = db.session.execute(query.with_only_columns(*_SUMMARY_COLUMNS)
                              .limit(per_page).offset((page - 1) * per_page))
    items = [IdeaSummary(id_, title, text, categories.get(category_id), *rest)
             for id_, title, text, category_id, *rest in rows]
    return Page(items, total, page, per_page)


# The random order -------------------------------------------------------------------------
#
# Each visitor gets an order of their own, kept while they page (the seed lives in their
# session), and nobody's order favours early or late ideas. An id is mixed with the seed
# by arithmetic both databases do alike in 64-bit integers: multiply and add modulo a prime
# below 2**31 (so no product overflows), and swap the halves of the result in between, which
# breaks the arithmetic progression that consecutive ids would otherwise keep.

PRIME = 2_147_483_647  # 2**31 - 1
_HALF = 46_341  # just above sqrt(PRIME): the "halves" of a number below PRIME
_MULTIPLIERS = (1_597_334_677, 2_024_183_981)


def new_seed() -> int:
    return secrets.randbelow(PRIME)


def shuffled(seed: int):
    """An SQL expression that orders ideas by `seed` as if shuffled."""
    value = cast(Idea.id, BigInteger)
    for multiplier in _MULTIPLIERS:
        value = (value * literal(multiplier, BigInteger)
                 + literal(seed % PRIME, BigInteger)) % PRIME
        value = (value % _HALF) * _HALF + value // _HALF
    return value
