"""Failed logins counted per account, in the rate limiter's storage (Redis in production),
so every app server and worker counts the same tries.

After FAILURES within the window, logins for that account slow down for everyone, the owner
included: one try per minute, whoever sends it and from wherever. A name or address that has
no account is counted the same way, so slowing down says nothing about whether it exists.
The owner is told by mail once per window.
"""

import hashlib

from limits import parse

from ..core import rate_limits
from ..extensions import limiter

FAILURES = parse("10 per 15 minutes")
SLOWED = parse("1 per minute")


def key(login: str, account) -> str:
    """The counter of an account, else of the login as typed (hashed: no addresses in Redis)."""
    if account is not None:
        return f"login:account:{account.id}"
    typed = login.strip().lower().encode("utf-8", "replace")
    return "login:name:" + hashlib.sha256(typed).hexdigest()[:32]


def may_try(counter: str) -> bool:
    """False while the account is slowed down and this minute's try is used up."""
    if not limiter.enabled:
        return True
    return rate_limits.test(FAILURES, counter) or rate_limits.hit(SLOWED, counter)


def record_failure(counter: str) -> bool:
    """Count a failed try; True when it is the one that starts the slowdown."""
    if not limiter.enabled:
        return False
    return rate_limits.hit(FAILURES, counter) and rate_limits.remaining(FAILURES, counter) == 0
