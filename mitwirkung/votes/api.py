"""Machine-readable results: JSON and CSV."""

from flask import abort, jsonify
from flask_login import current_user

from ..core.csv_export import csv_response
from . import bp, services
from .tally import as_json, result_rows, tally


def _results_or_404(slug: str):
    vote = services.get_vote(slug)
    if vote is None or not services.may_see(vote, current_user):
        abort(404)
    if not services.results_visible(vote, current_user):
        abort(403)
    return tally(vote)


@bp.route("/api/votes/<slug>/results")
def results_json(slug: str):
    return jsonify(as_json(_results_or_404(slug)))


@bp.route("/votes/<slug>/results.csv")
def results_csv(slug: str):
    results = _results_or_404(slug)
    return csv_response(result_rows(results), f"ergebnis-{slug}.csv")
