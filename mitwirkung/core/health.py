"""Health checks for load balancers and monitoring.

`/health` is liveness: the process answers, nothing more. It asks nothing of the database,
so a database restart does not make the load balancer drop every app server at once; it is
also the benchmark's hello-world ceiling (bench/). `/health/ready` is readiness: it asks the
database (`SELECT 1`) and, where the rate limits live in Redis, Redis, and answers 503
naming what is down (never an address or a password)."""

from contextlib import suppress

from flask import Blueprint, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db

bp = Blueprint("health", __name__)

PLAIN = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.route("/health")
def health():
    return "ok\n", 200, PLAIN


@bp.route("/health/ready")
def ready():
    down = [name for name, check in (("database", _database_answers),
                                     (_limit_storage_name(), _limit_storage_answers))
            if name and not check()]
    if down:
        return f"unavailable: {', '.join(down)}\n", 503, PLAIN
    return "ok\n", 200, PLAIN


def _database_answers() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        return False
    finally:
        with suppress(SQLAlchemyError):
            db.session.rollback()


def _limit_storage_name() -> str:
    """The scheme of the rate limits' storage ("redis"), or "" for the in-process memory,
    which has nothing to check."""
    scheme = current_app.config["RATELIMIT_STORAGE_URI"].split(":", 1)[0]
    return "" if scheme == "memory" else scheme


def _limit_storage_answers() -> bool:
    # One client per app, kept once made: `limits` pings the server with it.
    storage = current_app.extensions.get("readiness_storage")
    try:
        if storage is None:
            from limits.storage import storage_from_string

            uri = current_app.config["RATELIMIT_STORAGE_URI"]
            # A server that does not answer must not hold the probe past its own timeout.
            options = {"socket_connect_timeout": 2, "socket_timeout": 2} \
                if uri.startswith("redis") else {}
            storage = storage_from_string(uri, **options)
            current_app.extensions["readiness_storage"] = storage
        return storage.check()
    except Exception:  # noqa: BLE001  whatever the client raises, the storage is not ready
        return False
