"""The idea boards of a project, as sections of its public page and of its staff page
(core/project_sections.py)."""

from sqlalchemy import func, select

from ..core.permissions import can
from ..core.project_sections import Section
from ..extensions import db
from . import services
from .models import Idea


def _public_counts(boards) -> dict[int, int]:
    """Board id -> its public ideas, in one query."""
    if not boards:
        return {}
    rows = db.session.execute(
        select(Idea.board_id, func.count(Idea.id))
        .where(Idea.board_id.in_([board.id for board in boards]), services.PUBLIC)
        .group_by(Idea.board_id))
    return dict(rows.all())


def public_section(project, viewer) -> Section | None:
    """The boards the viewer may see, with their phases and how many ideas they hold;
    staff also get "New idea board"."""
    boards = services.boards_of_project(project, viewer)
    may_manage = can(viewer, "manage_projects")
    if not boards and not may_manage:
        return None
    counts = _public_counts(boards)
    return Section("proposals/_project_section.html", {
        "boards": [(board, counts.get(board.id, 0), services.submitting_open(board),
                    services.supporting_open(board)) for board in boards],
        "may_manage": may_manage})


def staff_section(project, viewer) -> Section:
    """Every board of the project, drafts too, with their phases."""
    boards = services.boards_of_project(project, viewer)
    counts = _public_counts(boards)
    return Section("proposals/manage/_project_boards.html",
                   {"boards": [(board, counts.get(board.id, 0)) for board in boards]})
