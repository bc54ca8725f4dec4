"""Supporting an idea and withdrawing the support: POST forms (CSRF) that lead back to the
page they were sent from, the list or the idea's page, at the idea's support block."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core.database import reads_first
from ...core.redirects import safe_next
from ...extensions import db
from .. import bp, services, supports


def _visible_idea_or_404(slug: str, idea_id: int):
    idea = supports.find_idea(slug, idea_id)
    if idea is None or not services.may_see_idea(idea, current_user):
        abort(404)
    return idea.board, idea


def _back(board, idea):
    """To the page the form was on (a local path only), at the idea's support block."""
    page = url_for("proposals.idea", slug=board.slug, idea_id=idea.id)
    return redirect(safe_next(request.form.get("next"), page) + f"#support-{idea.id}")


def _act(slug: str, idea_id: int, action, done_message: str):
    board, idea = _visible_idea_or_404(slug, idea_id)
    if not current_user.is_authenticated:  # a form sent after the session ended
        flash(_("Please log in to support ideas."), "info")
        return redirect(url_for("accounts.login", next=url_for(
            "proposals.idea", slug=board.slug, idea_id=idea.id)))
    try:
        action(idea, current_user)
    except supports.SupportError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _back(board, idea)
    db.session.commit()
    flash(done_message % {"title": idea.title}, "success")
    return _back(board, idea)


# Like a cast, a support has no rate limit of its own: a second one is refused by the unique
# constraint, and each needs a confirmed account's session and CSRF token. Supporting twice
# and withdrawing twice are no errors: the second changes nothing (a double click).
@bp.route("/boards/<slug>/ideas/<int:idea_id>/support", methods=["POST"])
@reads_first
def support(slug: str, idea_id: int):
    return _act(slug, idea_id, supports.support, _("You support “%(title)s”."))


@bp.route("/boards/<slug>/ideas/<int:idea_id>/support/withdraw", methods=["POST"])
@reads_first
def withdraw_support(slug: str, idea_id: int):
    return _act(slug, idea_id, supports.withdraw,
                _("You no longer support “%(title)s”."))


@bp.app_template_global()
def board_supports(board):
    """The board's supports as the person viewing sees them (templates/_macros/ideas.html)."""
    return supports.for_viewer(board, current_user)
