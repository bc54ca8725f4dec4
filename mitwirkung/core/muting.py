"""A muted account: for a time it cannot write (comments, ideas, reports), while supporting
and voting stay open to it. The account's columns and the moderators' actions live in
accounts/ (accounts/moderation.py); this is the one check every feature that takes
contributions asks, and the one message it shows."""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from .time import format_moment, utcnow

# The reason comes last: it ends with the moderator's own punctuation.
MUTED_MESSAGE = _l("Your account is muted until %(until)s: you cannot write comments, submit "
                   "ideas or report contributions, but you can still support ideas and vote. "
                   "The reason: %(reason)s")


def muted_until(user) -> datetime | None:
    """The end of `user`'s mute while it lasts, else None."""
    until = getattr(user, "muted_until", None)
    return until if until is not None and until > utcnow() else None


def is_muted(user) -> bool:
    return muted_until(user) is not None


def muted_error(user, error: type):
    """An `error` (a DomainError whose message is MUTED_MESSAGE) saying why and until when
    `user` is muted; None while they are not."""
    until = muted_until(user)
    if until is None:
        return None
    return error(until=format_moment(until), reason=getattr(user, "muted_reason", ""))


def refuse_if_muted(user, error: type) -> None:
    """Raise `error` while `user` is muted."""
    refusal = muted_error(user, error)
    if refusal is not None:
        raise refusal
