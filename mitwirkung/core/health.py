"""A liveness check for load balancers; also the benchmark's hello-world ceiling."""

from flask import Blueprint

bp = Blueprint("health", __name__)


@bp.route("/health")
def health():
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
