"""Machine-readable results: JSON and CSV."""

from flask import jsonify

from ...core.csv_export import csv_response
from .. import bp
from .tally import as_json, result_rows
from .views import results_or_404


@bp.route("/api/votes/<slug>/results")
def results_json(slug: str):
    return jsonify(as_json(results_or_404(slug)))


@bp.route("/votes/<slug>/results.csv")
def results_csv(slug: str):
    results = results_or_404(slug)
    return csv_response(result_rows(results), f"ergebnis-{slug}.csv")
