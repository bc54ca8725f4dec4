"""A board's ideas as a list: search, filters, sorts and pages, always inside the one
visibility rule (services.visible_to), so what a person may not see is neither listed,
found nor counted.

A page costs a fixed number of queries whatever the board holds: the count and the page's
ideas. The list page reads its ideas as plain rows of the columns it shows (IdeaSummary),
not as ORM objects of every column: that was a fifth of the page's time. Its two
statements are built once per process for each shape of list (which filters, which sort,
whose view), with the values as bind parameters: building a statement and its cache key
cost SQLAlchemy more than running it (docs/benchmarks.md, the idea board).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Select, String, bindparam, cast, func, literal, select
from sqlalchemy.orm import lazyload

from ...comments import services as comment_services
from ...core.enums import LabelledEnum
from ...core.moderation import ModerationState
from ...core.paging import Page
from ...extensions import db
from .. import search, services
from ..models import Board, Idea, IdeaStatus

PER_PAGE = 20


class Sort(LabelledEnum):
    """The list's orders: a closed set."""

    NEWEST = "newest", _l("newest")
    SUPPORTS = "supports", _l("most supported")
    DISCUSSED = "discussed", _l("most discussed")
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
    `category` is one of services.categories_of(board)."""

    id: int
    title: str
    text: str
    category: services.CategoryRow | None
    status: str
    moderation_state: str
    withdrawn_at: datetime | None
    hidden_at: datetime | None
    supports_count: int
    feasibility: str | None
    latitude: float | None
    longitude: float | None

    @property
    def is_approved(self) -> bool:
        return self.moderation_state == ModerationState.APPROVED

    @property
    def is_public(self) -> bool:
        return self.is_approved and self.withdrawn_at is None and self.hidden_at is None

    @property
    def moderation_label(self):
        return ModerationState.label_of(self.moderation_state)

    @property
    def status_label(self):
        return IdeaStatus.label_of(self.status)


# The table's columns, not the ORM's: a Core statement, which the session runs without
# its ORM steps (half the time of one made of Idea.id, Idea.title ...).
_IDEAS = Idea.__table__.c
_SUMMARY_COLUMNS = (
    _IDEAS.id, _IDEAS.title, func.substr(_IDEAS.text, 1, EXCERPT_SOURCE), _IDEAS.category_id,
    _IDEAS.status, _IDEAS.moderation_state, _IDEAS.withdrawn_at, _IDEAS.hidden_at,
    _IDEAS.supports_count,
    _IDEAS.feasibility, _IDEAS.latitude, _IDEAS.longitude,
)


@cache
def list_statements(dialect: str, scope: str, category: bool, status: bool, mine: bool,
                    words: bool, sort: Sort) -> tuple[Select, Select]:
    """The count and the page of one shape of list: the ideas of a board (`:board_id`)
    inside the viewer's part of the visibility rule (`scope`, services.visibility; their
    id `:viewer_id`), narrowed by what is asked (`:category_id`, `:status`, their own ideas,
    `:words` as search.query_text gives them) in the asked order, ties broken by id so pages
    never overlap (the random order by `:seed`), `:limit` ideas from `:offset`."""
    conditions = [_IDEAS.board_id == bindparam("board_id"),
                  services.visible_in(scope, bindparam("viewer_id"))]
    if category:
        conditions.append(_IDEAS.category_id == bindparam("category_id"))
    if status:
        conditions.append(_IDEAS.status == bindparam("status"))
    if mine:
        conditions.append(_IDEAS.author_id == bindparam("viewer_id"))
    if words:
        conditions.append(search.matching(bindparam("words", type_=String), dialect))
    if sort == Sort.SUPPORTS:
        order = (_IDEAS.supports_count.desc(), _IDEAS.id.desc())
    elif sort == Sort.DISCUSSED:
        # Published comments only, as everyone counts them (comments/services.py).
        order = (comment_services.count_subquery("idea", _IDEAS.id).desc(), _IDEAS.id.desc())
    elif sort == Sort.RANDOM:
        order = (shuffled(bindparam("seed", type_=BigInteger)), _IDEAS.id)
    else:
        order = (_IDEAS.created_at.desc(), _IDEAS.id.desc())
    count = select(func.count()).select_from(Idea.__table__).where(*conditions)
    page = (select(*_SUMMARY_COLUMNS).where(*conditions).order_by(*order)
            .limit(bindparam("limit")).offset(bindparam("offset")))
    return count, page


def list_ideas(board: Board, viewer, filters: Filters, page: int, seed: int = 0,
               per_page: int = PER_PAGE, categories: list | None = None) -> Page:
    """One page of the ideas of `board` that `viewer` may see and that match `filters`, as
    IdeaSummary rows, with the total it was cut from: two queries, and one for the board's
    categories unless given (services.categories_of). `seed` shuffles the random order."""
    dialect = db.session.get_bind().dialect.name
    scope, viewer_id = services.visibility(viewer)
    if viewer_id is None and getattr(viewer, "is_authenticated", False):
        viewer_id = viewer.id  # staff: every idea, and their own on asking
    words = search.query_text(filters.words, dialect)
    count, rows = list_statements(
        dialect, scope, filters.category_id is not None, filters.status is not None,
        filters.mine and viewer_id is not None, words is not None, filters.sort)
    params = {"board_id": board.id, "viewer_id": viewer_id, "category_id": filters.category_id,
              "status": filters.status, "words": words, "seed": seed % PRIME,
              "limit": per_page, "offset": (page - 1) * per_page}
    total = db.session.execute(count, params).scalar()
    if not total:
        return Page([], 0, page, per_page)
    if categories is None:
        categories = services.categories_of(board)
    by_id = {category.id: category for category in categories}
    items = [IdeaSummary(id_, title, text, by_id.get(category_id), *rest)
             for id_, title, text, category_id, *rest in db.session.execute(rows, params)]
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


def shuffled(seed):
    """An SQL expression that orders ideas by `seed` as if shuffled: a number below PRIME,
    or a bind parameter for one."""
    if isinstance(seed, int):
        seed = literal(seed % PRIME, BigInteger)
    value = cast(_IDEAS.id, BigInteger)
    for multiplier in _MULTIPLIERS:
        value = (value * literal(multiplier, BigInteger) + seed) % PRIME
        value = (value % _HALF) * _HALF + value // _HALF
    return value
