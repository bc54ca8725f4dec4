"""An idea's own page, its permalink."""

from flask import abort, render_template
from flask_login import current_user

from .. import bp, services


@bp.route("/boards/<slug>/ideas/<int:idea_id>")
def idea(slug: str, idea_id: int):
    board = services.get_board(slug)
    if board is None:
        abort(404)
    idea = services.get_idea(board, idea_id)
    if idea is None or not services.may_see_idea(idea, current_user):
        abort(404)
    return render_template("proposals/idea.html", board=board, idea=idea)
