"""Prometheus metrics at /metrics, for the operator's monitoring and nobody else.

Off unless METRICS_TOKEN is set; then only a request with `Authorization: Bearer <token>`
gets them, and every other request a 404, as for a page that does not exist. They hold:
requests answered and their durations, by route (the endpoint's name, never the path, so a
bounded set), method and status class; and, read at each scrape in one query, the backlogs
that features register (core/backlogs.py) and whether the database answered at all.

With several gunicorn workers each counts on its own; with PROMETHEUS_MULTIPROC_DIR set,
prometheus_client keeps every worker's counts in files there and a scrape of any worker adds
them up (docs/deployment.md). Without it each worker has its own registry, fine for one.
"""

import hmac

from flask import Blueprint, Flask, Response, abort, current_app, request
from sqlalchemy.exc import SQLAlchemyError

from . import backlogs, request_timing

bp = Blueprint("metrics", __name__)

PREFIX = "mitwirkung_"
# From a cached page (about a millisecond) to a slow export.
DURATION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class _Metrics:
    """One app's request metrics. `registry` is None in multiprocess mode, where the values
    live in files and each scrape gathers them into a registry of its own."""

    def __init__(self, multiprocess: bool):
        from prometheus_client import CollectorRegistry, Counter, Histogram

        self.registry = None if multiprocess else CollectorRegistry(auto_describe=False)
        self.requests = Counter(
            PREFIX + "http_requests", "Requests answered, by route, method and status class",
            ["endpoint", "method", "status"], registry=self.registry)
        self.duration = Histogram(
            PREFIX + "http_request_duration_seconds", "Time to answer a request, by route",
            ["endpoint", "method"], buckets=DURATION_BUCKETS, registry=self.registry)
        if self.registry is not None:
            self.registry.register(_BacklogCollector())

    def observe(self, response: Response, seconds: float) -> None:
        endpoint, method = request_timing.route(), request_timing.method()
        self.requests.labels(endpoint, method, f"{response.status_code // 100}xx").inc()
        self.duration.labels(endpoint, method).observe(seconds)

    def scrape_registry(self):
        if self.registry is not None:
            return self.registry
        from prometheus_client import CollectorRegistry
        from prometheus_client.multiprocess import MultiProcessCollector

        registry = CollectorRegistry(auto_describe=False)
        MultiProcessCollector(registry)
        registry.register(_BacklogCollector())
        return registry


class _BacklogCollector:
    """Gauges read at scrape time: the backlogs in one query, and whether it was answered."""

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily

        try:
            lengths = backlogs.lengths()
        except SQLAlchemyError:
            from ..extensions import db

            db.session.rollback()
            lengths = None
        up = GaugeMetricFamily(PREFIX + "database_up",
                               "1 if the database answered the scrape's query, else 0")
        up.add_metric([], 0 if lengths is None else 1)
        yield up
        for backlog in backlogs.registered():
            if lengths is not None:
                yield GaugeMetricFamily(PREFIX + backlog.name, backlog.description,
                                        value=lengths[backlog.name])


def register(app: Flask) -> None:
    """Count requests when METRICS_TOKEN is set; without it nothing runs per request."""
    if not app.config["METRICS_TOKEN"]:
        return
    metrics = app.extensions["metrics"] = _Metrics(bool(app.config["PROMETHEUS_MULTIPROC_DIR"]))
    request_timing.on_request_done(app, metrics.observe)


@bp.route("/metrics")
def scrape():
    metrics = current_app.extensions.get("metrics")
    expected = f"Bearer {current_app.config['METRICS_TOKEN']}"
    given = request.headers.get("Authorization", "")
    if metrics is None or not hmac.compare_digest(given.encode(), expected.encode()):
        abort(404)
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    return Response(generate_latest(metrics.scrape_registry()),
                    headers={"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"})
