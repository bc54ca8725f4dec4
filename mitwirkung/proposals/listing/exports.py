"""A board's ideas as a CSV file for staff: every idea, also those awaiting approval,
rejected, withdrawn or hidden by the moderation, in the German spreadsheet profile
(core/csv_export.py). The author is named by the public username only: no e-mail address,
no real name."""

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from ...accounts.models import User
from ...core.csv_export import csv_response
from ...core.moderation import ModerationState
from ...core.permissions import require
from ...extensions import db
from .. import bp
from ..models import Board, Idea, IdeaStatus
from .views import visible_board_or_404

MOMENT = "yyyy-MM-dd HH:mm:ss"  # the city's clock, sortable in a spreadsheet


def idea_rows(board: Board) -> list[list]:
    """A header, then one row per idea of `board`, oldest first."""
    header = [_("No."), _("Title"), _("Category"), _("Status"), _("Approval"), _("Supports"),
              _("Submitted"), _("Place"), _("Author"), _("Answer"), _("Withdrawn")]
    categories = {category.id: category.name for category in board.categories}
    rows = db.session.execute(
        select(Idea.id, Idea.title, Idea.category_id, Idea.status, Idea.moderation_state,
               Idea.supports_count, Idea.created_at, Idea.place, User.username,
               User.deleted_at, Idea.answer, Idea.withdrawn_at, Idea.hidden_at)
        .outerjoin(User, User.id == Idea.author_id)
        .where(Idea.board_id == board.id).order_by(Idea.created_at, Idea.id))
    deleted = _("deleted account")
    hidden = _("hidden by the moderation")
    return [header] + [
        [row.id, row.title, categories.get(row.category_id, ""),
         str(IdeaStatus.label_of(row.status)),
         hidden if row.hidden_at else str(ModerationState.label_of(row.moderation_state)),
         row.supports_count,
         format_datetime(row.created_at, MOMENT), row.place,
         deleted if row.deleted_at else (row.username or ""), row.answer,
         format_datetime(row.withdrawn_at, MOMENT) if row.withdrawn_at else ""]
        for row in rows]


@bp.route("/boards/<slug>/ideas.csv")
@require("manage_projects")
def ideas_csv(slug: str):
    board = visible_board_or_404(slug)
    return csv_response(idea_rows(board), f"ideen-{board.slug}.csv")
