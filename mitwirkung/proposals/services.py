"""Boards and ideas as every part of proposals/ sees them: lookup, phases, who may see
what. The jobs of proposals/ (setup, ideas, listing) build on these.

The one rule of visibility, for pages, lists, search, counts, exports and feeds alike: a
public idea (approved, neither withdrawn nor hidden by the moderation) is for everyone who
may see its board; any other idea only for its author and for moderators and staff.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, bindparam, or_, select

from ..core.moderation import ModerationState
from ..core.permissions import can
from ..core.time import local_today
from ..extensions import db
from ..projects.models import Project
from .models import Board, BoardStatus, Category, Feasibility, Idea

_BOARD_BY_SLUG = select(Board).where(Board.slug == bindparam("slug"))  # built once


def get_board(slug: str) -> Board | None:
    return db.session.scalar(_BOARD_BY_SLUG, {"slug": slug})


class CategoryRow(NamedTuple):
    """A board's category as a page shows it (_macros: its name, its colour)."""

    id: int
    name: str
    colour: str | None


_CATEGORY_COLUMNS = Category.__table__.c
_CATEGORIES = (select(_CATEGORY_COLUMNS.id, _CATEGORY_COLUMNS.name, _CATEGORY_COLUMNS.colour)
               .where(_CATEGORY_COLUMNS.board_id == bindparam("board_id"))
               .order_by(_CATEGORY_COLUMNS.position, _CATEGORY_COLUMNS.id))


def categories_of(board: Board) -> list[CategoryRow]:
    """The categories of `board` in their order, for a page that shows them: one statement
    built once and a row each, a sixth of loading `board.categories` as ORM objects."""
    return [CategoryRow(*row) for row in db.session.execute(_CATEGORIES, {"board_id": board.id})]


def is_public(board: Board) -> bool:
    return board.status == BoardStatus.PUBLISHED and board.project.is_public


def may_see_board(board: Board, viewer) -> bool:
    """Drafts (of the board or its project) are for staff only."""
    return is_public(board) or can(viewer, "manage_projects")


def sees_every_idea(viewer) -> bool:
    """Moderators and staff see pending, rejected and withdrawn ideas too."""
    return can(viewer, "moderate") or can(viewer, "manage_projects")


# Written over the table's columns, which an ORM query takes as well: a Core statement built
# from them stays Core, which SQLAlchemy runs in half the time (listing/).
_IDEAS = Idea.__table__.c
PUBLIC = and_(_IDEAS.moderation_state == ModerationState.APPROVED, _IDEAS.withdrawn_at.is_(None),
              _IDEAS.hidden_at.is_(None))


def visible_to(viewer):
    """The condition on Idea that `viewer` may see it (the rule above)."""
    return visible_in(*visibility(viewer))


def visibility(viewer) -> tuple[str, int | None]:
    """Which part of the rule is `viewer`'s: ("every", None) for moderators and staff,
    ("own", their id) for a signed-in person, ("public", None) for a visitor."""
    if sees_every_idea(viewer):
        return "every", None
    if getattr(viewer, "is_authenticated", False):
        return "own", viewer.id
    return "public", None


def visible_in(scope: str, author):
    """The condition on Idea of a scope of `visibility`; `author` is the id it came with,
    or a bind parameter in its place (for a statement built once, listing/)."""
    if scope == "every":
        return _IDEAS.id.is_not(None)
    if scope == "own":
        return or_(PUBLIC, _IDEAS.author_id == author)
    return PUBLIC


def may_see_idea(idea: Idea, viewer) -> bool:
    if not may_see_board(idea.board, viewer):
        return False
    return (idea.is_public or sees_every_idea(viewer)
            or (getattr(viewer, "is_authenticated", False) and idea.author_id == viewer.id))


def get_idea(board: Board, idea_id: int) -> Idea | None:
    return db.session.scalar(select(Idea).where(Idea.board_id == board.id, Idea.id == idea_id))


# Phases (days in the city's zone) ---------------------------------------------------------


def submitting_open(board: Board, today: date | None = None) -> bool:
    today = today or local_today()
    return board.submit_until is None or today <= board.submit_until


def supporting_open(board: Board, today: date | None = None) -> bool:
    """Open on the days from support_from to support_until; never when neither is set."""
    today = today or local_today()
    if board.support_from is None and board.support_until is None:
        return False
    return ((board.support_from is None or board.support_from <= today)
            and (board.support_until is None or today <= board.support_until))


def may_be_supported(idea: Idea, today: date | None = None) -> bool:
    """Whether supports of `idea` may be given (and taken back) now: a public idea on a
    public board whose supporting phase is open, and on a competition board only an idea
    the city has found admissible. The supports feature asks this before every toggle."""
    board = idea.board
    return (is_public(board) and supporting_open(board, today)
            and idea_open_for_support(idea, board.competition))


def idea_open_for_support(idea: Idea, competition: bool) -> bool:
    """The idea's own part of the rule: public and, in a competition, admissible."""
    return idea.is_public and (not competition or idea.feasibility == Feasibility.FEASIBLE)


def boards_of_project(project, viewer) -> list[Board]:
    """The project's boards `viewer` may see (drafts for staff), in the order created."""
    query = select(Board).where(Board.project_id == project.id).order_by(Board.created_at,
                                                                         Board.id)
    if not can(viewer, "manage_projects"):
        query = query.where(Board.status == BoardStatus.PUBLISHED)
    return list(db.session.scalars(query))


# Images of ideas (core/uploads.py) ------------------------------------------------------


def upload_visibility(name: str) -> bool | None:
    """Whether a stored file (an idea's image) is public: its idea public on a public board;
    None if no idea has it."""
    row = db.session.execute(
        select(Idea.moderation_state, Idea.withdrawn_at, Idea.hidden_at, Board.status,
               Project.status)
        .join(Board, Board.id == Idea.board_id).join(Project, Project.id == Board.project_id)
        .where(Idea.image == name).limit(1)
    ).first()
    if row is None:
        return None
    state, withdrawn_at, hidden_at, board_status, project_status = row
    return (state == ModerationState.APPROVED and withdrawn_at is None and hidden_at is None
            and board_status == BoardStatus.PUBLISHED and project_status != "draft")


def upload_viewers(name: str, viewer) -> bool:
    """Besides staff, the image of an idea that is not public is for its author and the
    moderators: the same people who see the idea."""
    if can(viewer, "moderate"):
        return True
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return False
    return db.session.scalar(
        select(Idea.id).where(Idea.image == name, Idea.author_id == viewer.id).limit(1)
    ) is not None
