"""Counting against rate limits by hand (per account, per login, per address for a send),
where a route's decorator does not fit, with the decorators' fallback.

The counts live in the limiter's storage: Redis in production, shared by every app server.
When Redis cannot be reached (restarting, the network), the decorators fall back to this
process's memory (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED, config.py) and try Redis again
after a while; the counts by hand do the same here, each call trying Redis first. The
limits then hold per process instead of for all: weaker for a moment, but a login or a
comment is never a 500 because a counter is away (make drills, "Redis stopped").
"""

import logging

from flask import current_app, session
from limits.storage import MemoryStorage
from limits.strategies import STRATEGIES

from ..extensions import limiter

logger = logging.getLogger(__name__)
_fallback = {}  # strategy name -> that strategy on this process's memory


def _in_memory():
    """The configured strategy (Flask-Limiter's default: fixed window) on this process's
    memory, as the decorators' fallback has it."""
    name = current_app.config.get("RATELIMIT_STRATEGY", "fixed-window")
    if name not in _fallback:
        _fallback[name] = STRATEGIES[name](MemoryStorage())
    return _fallback[name]


def _counted(method: str, *args):
    try:
        return getattr(limiter.limiter, method)(*args)
    except Exception:  # noqa: BLE001  whatever the storage raises, as Flask-Limiter catches it
        logger.warning("Rate limit storage unreachable: counting in this process's memory")
        return getattr(_in_memory(), method)(*args)


def account_key(prefix: str) -> str:
    """`prefix:<account id>` for a rate limit's key function, read from the signed session
    without loading the account. Flask-Limiter takes any error inside its check for its
    storage failing and falls back to memory: a database error there (loading the account
    while the database is away) would be hidden and then turn into a 500, instead of the
    503 the app answers while the database is away (make drills, "PostgreSQL stopped")."""
    account, _sep, _token = session.get("_user_id", "").partition(":")
    return f"{prefix}:{account}"


def test(limit, key: str) -> bool:
    """Whether one more hit of `key` stays within `limit` (counts nothing)."""
    return _counted("test", limit, key)


def hit(limit, key: str) -> bool:
    """Count one hit of `key`; False if it went over `limit`."""
    return _counted("hit", limit, key)


def remaining(limit, key: str) -> int:
    """How many hits of `key` are left in `limit`'s current window."""
    return _counted("get_window_stats", limit, key).remaining
