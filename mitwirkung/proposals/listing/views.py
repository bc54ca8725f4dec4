"""A board's public page: its ideas as a list to search, filter, sort and page through."""

from flask import abort, render_template, request, session
from flask_login import current_user

from ...core.i18n import translated
from ...core.page_cache import personal, visitor_page
from ...core.urls import page_arg
from .. import bp, services
from ..models import IdeaStatus
from . import services as listing
from .forms import ListForm

# The visitor's own random order lives in their session, so paging does not reshuffle.
SEED_KEY = "idea_order"


def visible_board_or_404(slug: str):
    board = services.get_board(slug)
    if board is None or not services.may_see_board(board, current_user):
        abort(404)
    return board


def _seed() -> int:
    seed = session.get(SEED_KEY)
    if not isinstance(seed, int) or not 0 <= seed < listing.PRIME:
        seed = session[SEED_KEY] = listing.new_seed()
    return seed


@bp.route("/boards/<slug>")
@visitor_page
def board(slug: str):
    board = visible_board_or_404(slug)
    categories = services.categories_of(board)
    form = ListForm(request.args, categories=categories,
                    signed_in=current_user.is_authenticated)
    filters, args = form.filters()
    seed = 0
    if filters.sort == listing.Sort.RANDOM:
        seed = _seed()
        personal()
    ideas = listing.list_ideas(board, current_user, filters, page_arg(), seed,
                               categories=categories)
    return render_template("proposals/board.html", board=board, ideas=ideas, form=form,
                           filters=filters, args=args, status_words=_status_words())


def _status_words() -> dict[str, str]:
    """The statuses' labels, translated once for the page rather than once per idea."""
    return {status.value: translated(status.label) for status in IdeaStatus}
