"""The account's own part of a person's data: the profile, and its erasure."""

import secrets

from ..core import data_rights
from ..core.permissions import Role
from ..core.time import utcnow
from .models import User, new_session_token


def _iso(value):
    return value.isoformat() + "Z" if value else None


def export_account(user: User) -> dict:
    """What the account row holds about the person (never the password hash or a token)."""
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "pending_email": user.pending_email,
        "role": user.role,
        "role_label": str(user.role_label),
        "privacy_accepted_at": _iso(user.privacy_accepted_at),
        "confirmed_at": _iso(user.confirmed_at),
        "created_at": _iso(user.created_at),
        "blocked_at": _iso(user.blocked_at),
        "blocked_reason": user.blocked_reason or None,
        "muted_until": _iso(user.muted_until),
        "muted_reason": user.muted_reason or None,
    }


def erase_account(user: User) -> None:
    """Leave the row as a tombstone with nothing personal: a random name no one can log in
    with, no names, addresses or password, no role. Its id stays so that the records that
    must stay complete (the audit log, who entered a paper batch) keep pointing at one
    person, now deleted, and pages name it "deleted account"."""
    user.username = f"deleted-{secrets.token_hex(6)}"
    user.first_name = user.last_name = ""
    user.email = user.pending_email = user.password_hash = None
    user.role = Role.CITIZEN
    user.privacy_accepted_at = user.confirmed_at = user.blocked_at = None
    user.blocked_reason = user.muted_reason = ""
    user.muted_until = None
    user.deleted_at = utcnow()
    user.session_token = new_session_token()  # every session ends


data_rights.register("account", export=export_account, erase=erase_account, account=True)
