"""A board's public page: its ideas as a list."""

from flask import abort, render_template
from flask_login import current_user
from sqlalchemy import select

from ...core.urls import page_arg
from ...extensions import db
from .. import bp, services
from ..models import Idea

PER_PAGE = 20


@bp.route("/boards/<slug>")
def board(slug: str):
    board = services.get_board(slug)
    if board is None or not services.may_see_board(board, current_user):
        abort(404)
    query = (select(Idea).where(Idea.board_id == board.id, services.visible_to(current_user))
             .order_by(Idea.created_at.desc(), Idea.id.desc()))
    ideas = db.paginate(query, page=page_arg(), per_page=PER_PAGE,
                        error_out=False)
    return render_template("proposals/board.html", board=board, ideas=ideas)
