"""What moderators do to accounts: mute one for a time (no comments, ideas or reports;
supports and votes stay allowed) or block it; end a mute. Unblocking stays with the admins
(accounts/admin.py). Moderators act on residents' accounts only; an admin on any but their
own. Each action is audited with its reason, and the person is told by mail.

Services flush; the caller commits.
"""

from datetime import timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core import audit
from ..core.domain import DomainError
from ..core.enums import LabelledEnum
from ..core.mail import send_mail
from ..core.muting import is_muted
from ..core.permissions import Role, can
from ..core.time import format_moment, utcnow
from ..extensions import db
from . import services
from .models import User

REASON_MAX = 1000


class MuteDuration(LabelledEnum):
    """How long a mute lasts, in days."""

    DAY = "1", _l("1 day")
    WEEK = "7", _l("7 days")
    MONTH = "30", _l("30 days")


class AccountModerationError(DomainError):
    """An action on an account that cannot be taken; the message says why."""


class NotYourCall(AccountModerationError):
    message = _l("Moderators can mute and block residents' accounts only; an administrator "
                 "decides on the accounts of staff, moderators and administrators.")


class OwnAccount(AccountModerationError):
    message = _l("You cannot mute or block your own account.")


class ReasonRequired(AccountModerationError):
    message = _l("Please give a reason: the person reads it.")
    field = "reason"


class UnknownDuration(AccountModerationError):
    message = _l("Please choose how long the mute lasts.")
    field = "duration"


class NotMuted(AccountModerationError):
    message = _l("This account is not muted.")


class AlreadyBlocked(AccountModerationError):
    message = _l("This account is blocked already; only an administrator can unblock it.")


def may_act_on(actor, user: User) -> bool:
    """Whether `actor` may mute, unmute or block `user`."""
    return _refusal(actor, user) is None


def _refusal(actor, user: User) -> AccountModerationError | None:
    if not can(actor, "moderate"):
        return NotYourCall()
    if user.id == actor.id:
        return OwnAccount()
    if actor.role != Role.ADMIN and user.role != Role.CITIZEN:
        return NotYourCall()
    return None


def _check(actor, user: User, reason: str | None = None) -> str:
    refusal = _refusal(actor, user)
    if refusal is not None:
        raise refusal
    return (reason or "").strip()


def mute(actor, user: User, duration: str, reason: str) -> None:
    """Mute `user` for `duration` days from now (a new mute replaces a running one)."""
    reason = _check(actor, user, reason)
    if not reason:
        raise ReasonRequired
    if duration not in set(MuteDuration):
        raise UnknownDuration
    user.muted_until = utcnow() + timedelta(days=int(duration))
    user.muted_reason = reason
    db.session.flush()
    audit.record(actor, "user.mute", user, until=user.muted_until.isoformat(),
                 days=int(duration), reason=reason)
    _tell(user, lambda: _("Your account is muted"), "muted")


def unmute(actor, user: User) -> None:
    """End a running mute at once."""
    _check(actor, user)
    if not is_muted(user):
        raise NotMuted
    user.muted_until, user.muted_reason = None, ""
    db.session.flush()
    audit.record(actor, "user.unmute", user)


def block(actor, user: User, reason: str) -> None:
    """Block `user` (what admins do on accounts/admin.py, with the same mail and entry)."""
    reason = _check(actor, user, reason)
    if not reason:
        raise ReasonRequired
    if user.blocked_at is not None:
        raise AlreadyBlocked
    services.block(actor, user, reason)


def _tell(user: User, subject, template: str) -> None:
    if user.deleted_at is not None or not user.email:
        return
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = render_template(f"accounts/mail/{template}.txt", user=user,
                               reason=user.muted_reason, until=format_moment(user.muted_until))
        send_mail(user.email, str(subject()), body)
