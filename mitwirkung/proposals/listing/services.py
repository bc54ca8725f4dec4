"""A board's ideas as a list: search, filters, sorts and pages, always inside the one
visibility rule (services.visible_to), so what a person may not see is neither listed,
found nor counted.

A page costs a fixed number of queries whatever the board holds: the count and the page's
ideas, whose category comes in the same query (Idea.category is loaded joined).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Select, cast, func, literal, select
from sqlalchemy.orm import lazyload

from ...core.enums import LabelledEnum
from ...core.paging import Page
from ...extensions import db
from .. import search, services
from ..models import Board, Idea

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


def list_ideas(board: Board, viewer, filters: Filters, page: int, seed: int = 0,
               per_page: int = PER_PAGE) -> Page:
    """One page of the list, with the total it was cut from (two queries)."""
    return paginate(board, ideas_query(board, viewer, filters, seed), page, per_page)


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
