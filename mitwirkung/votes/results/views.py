"""The results page of a vote, and the lookup its downloads share."""

from flask import abort, render_template
from flask_login import current_user

from ...core.permissions import can
from .. import bp, services
from ..casting.mixing import mix_size
from . import final
from .tally import Results, final_words, tally


def results_or_404(slug: str) -> Results:
    """The vote's results: 404 for a vote the person may not see, 403 before its results
    may be shown to them."""
    vote = services.get_vote(slug)
    if vote is None or not services.may_see(vote, current_user):
        abort(404)
    if not services.results_visible(vote, current_user):
        abort(403)
    return tally(vote)


@bp.route("/votes/<slug>/results")
def results(slug: str):
    results = results_or_404(slug)
    return render_template(
        "votes/results.html", vote=results.vote, results=results, mix_size=mix_size(),
        final_words=final_words,
        can_declare_final=can(current_user, "manage_projects") and final.may_declare(results.vote))
