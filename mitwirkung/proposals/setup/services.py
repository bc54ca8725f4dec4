"""Setting up an idea board (staff): the board with its phases and settings, its
categories, publishing. Operations add and flush; the calling view commits once.

A board's web address is fixed once it is published (its ideas' permalinks carry it). A
category stays while ideas use it: it is renamed, not deleted.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ...core import audit
from ...core.domain import DomainError
from ...extensions import db
from ..models import Board, BoardStatus, Category, Idea

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_MAX = 80
TITLE_MAX = 200
CATEGORY_MAX = 60
COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"
# /manage/boards/new is the form for a new board.
RESERVED_SLUGS = frozenset({"new"})


class SetupError(DomainError):
    """A board change was refused; `field` names the form field it belongs to, if one."""


class SlugTaken(SetupError):
    message = _l("Another board already uses this web address.")
    field = "slug"


class SlugFixed(SetupError):
    message = _l("The web address of a published board cannot change: its ideas' links "
                 "carry it.")
    field = "slug"


class SupportBeforeItStarts(SetupError):
    message = _l("Supporting must end on or after the day it starts.")
    field = "support_until"


class RulesRequired(SetupError):
    message = _l("A competition needs its rules: they are shown before anyone submits.")
    field = "rules"


class AlreadyPublished(SetupError):
    message = _l("This board is already published.")


class CategoryTaken(SetupError):
    message = _l("The board already has a category of this name.")
    field = "name"


class CategoryInUse(SetupError):
    message = _l("Ideas belong to this category, so it cannot be deleted; rename it instead.")


@dataclass
class BoardSettings:
    """What staff set for a board."""

    title: str
    slug: str
    description: str = ""
    submit_until: date | None = None
    support_from: date | None = None
    support_until: date | None = None
    support_limit: int | None = None
    map_enabled: bool = False
    premoderation: bool = True
    competition: bool = False
    rules: str = ""

    def cleaned(self) -> "BoardSettings":
        values = asdict(self)
        values.update(title=self.title.strip(), slug=self.slug.strip().lower(),
                      rules=(self.rules or "").strip(), description=self.description or "",
                      support_limit=self.support_limit or None)
        return BoardSettings(**values)


# Boards ---------------------------------------------------------------------------------


def create_board(project, actor, settings: BoardSettings) -> Board:
    """A draft board of `project`, only staff see it until it is published."""
    settings = _checked(settings, board=None)
    board = Board(project_id=project.id, status=BoardStatus.DRAFT,
                  created_by_id=getattr(actor, "id", None), **asdict(settings))
    with _unique_guard(SlugTaken):
        db.session.add(board)
    audit.record(actor, "board.create", board, slug=board.slug, project_id=project.id)
    return board


def update_board(board: Board, actor, settings: BoardSettings) -> Board:
    """Change a board's texts, phases and settings."""
    settings = _checked(settings, board=board)
    changed = sorted(name for name, value in asdict(settings).items()
                     if getattr(board, name) != value)
    with _unique_guard(SlugTaken):
        for name, value in asdict(settings).items():
            setattr(board, name, value)
    audit.record(actor, "board.update", board, slug=board.slug, changed=changed)
    return board


def publish_board(board: Board, actor) -> Board:
    """Make a draft board public (on a public project, for everyone)."""
    if board.status == BoardStatus.PUBLISHED:
        raise AlreadyPublished()
    board.status = BoardStatus.PUBLISHED
    db.session.flush()
    audit.record(actor, "board.publish", board, slug=board.slug)
    return board


def _checked(settings: BoardSettings, board: Board | None) -> BoardSettings:
    settings = settings.cleaned()
    if board is not None and board.status == BoardStatus.PUBLISHED and settings.slug != board.slug:
        raise SlugFixed()
    if settings.slug in RESERVED_SLUGS or _slug_in_use(settings.slug, board):
        raise SlugTaken()
    if (settings.support_from and settings.support_until
            and settings.support_until < settings.support_from):
        raise SupportBeforeItStarts()
    if settings.competition and not settings.rules:
        raise RulesRequired()
    return settings


def _slug_in_use(slug: str, board: Board | None) -> bool:
    query = select(Board.id).where(Board.slug == slug)
    if board is not None:
        query = query.where(Board.id != board.id)
    return db.session.scalar(query) is not None


# Categories -----------------------------------------------------------------------------


def add_category(board: Board, actor, name: str, colour: str | None) -> Category:
    name, colour = _category_values(board, name, colour, None)
    position = max((category.position for category in board.categories), default=-1) + 1
    category = Category(name=name, colour=colour, position=position)
    with _unique_guard(CategoryTaken):
        board.categories.append(category)
    audit.record(actor, "board.category_add", board, name=name)
    return category


def update_category(category: Category, actor, name: str, colour: str | None) -> Category:
    board = category.board
    old = category.name
    name, colour = _category_values(board, name, colour, category)
    with _unique_guard(CategoryTaken):
        category.name, category.colour = name, colour
    audit.record(actor, "board.category_update", board, name=name, old=old)
    return category


def delete_category(category: Category, actor) -> None:
    """Delete a category no idea uses."""
    if category_in_use(category):
        raise CategoryInUse()
    board = category.board
    board.categories.remove(category)
    db.session.flush()
    audit.record(actor, "board.category_delete", board, name=category.name)


def category_in_use(category: Category) -> bool:
    return bool(db.session.scalar(select(func.count(Idea.id))
                                  .where(Idea.category_id == category.id)))


def categories_in_use(board: Board) -> set[int]:
    """The ids of the board's categories that ideas use (one query)."""
    return set(db.session.scalars(select(Idea.category_id).distinct().where(
        Idea.board_id == board.id, Idea.category_id.is_not(None))))


def _category_values(board: Board, name: str, colour: str | None,
                     category: Category | None) -> tuple[str, str | None]:
    name = name.strip()
    if any(other.name.casefold() == name.casefold() for other in board.categories
           if other is not category):
        raise CategoryTaken()
    return name, (colour.strip().lower() if colour and colour.strip() else None)


@contextmanager
def _unique_guard(error: type[SetupError]) -> Iterator[None]:
    # The unique constraints decide when two staff members pick the same slug or name at
    # once; the savepoint undoes the change, so nothing half-written is left behind.
    try:
        with db.session.begin_nested():
            yield
            db.session.flush()
    except IntegrityError as exc:
        raise error() from exc
