"""Account operations: registration, confirmation, login, reset, profile, deletion, roles.

Services add and flush; the calling view or command commits.
"""

import secrets

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, or_, select

from ..core import audit, data_rights
from ..core.mail import send_mail
from ..core.models import AuditEntry
from ..core.permissions import ROLES, Role
from ..core.time import utcnow
from ..extensions import db
from . import throttle, tokens
from .models import User, new_session_token
from .passwords import hash_password, verify_password


class AccountError(Exception):
    """A request about an account that cannot be carried out; the message is for the user."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def username_taken(username: str) -> bool:
    query = select(User.id).where(func.lower(User.username) == username.strip().lower())
    return db.session.scalar(query) is not None


# Built once: every signed-in request loads its user, and a prebuilt select costs less than
# Session.get() (about 0.2 M instructions a request, 4 % of a cast; docs/benchmarks.md).
_USER_BY_ID = select(User).where(User.id == bindparam("user_id"))


def get_user(user_id) -> User | None:
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    return db.session.execute(_USER_BY_ID, {"user_id": user_id}).scalar_one_or_none()


def load_session_user(session_id: str) -> User | None:
    """The user behind a login cookie, if its session token is still current."""
    user_id, _sep, token = session_id.partition(":")
    user = get_user(user_id)
    if user is None or not token or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def register(username, first_name, last_name, email, password) -> User | None:
    """Create an unconfirmed account and mail its confirmation link.

    If the address is taken, its owner gets a notice instead and the caller sees the same
    outcome, so nobody learns which addresses have accounts.
    """
    email = normalize_email(email)
    password_hash = hash_password(password)
    existing = find_by_email(email)
    if existing is not None:
        _mail(existing.email, _("Registration attempt"), "already_registered", user=existing)
        return None
    user = User(
        username=username.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        password_hash=password_hash,
        privacy_accepted_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    send_confirmation(user)
    return user


def send_confirmation(user: User, email: str | None = None) -> None:
    """Mail a link that confirms the account's address, or a new address waiting in `email`."""
    address = email or user.email
    link = _external("accounts.confirm", token=tokens.confirmation_token(user, address))
    _mail(address, _("Please confirm your e-mail address"), "confirm", user=user, link=link)


def resend_confirmation(email: str) -> None:
    """Send the link again if an unconfirmed account has this address, else a notice that
    there is nothing to confirm: one mail either way, so neither the answer nor its time
    tells whether the address has an account."""
    user = find_by_email(email)
    if user is not None and not user.is_confirmed and user.is_active:
        send_confirmation(user)
    else:
        _nothing_to_send(email, _("Please confirm your e-mail address"),
                         _("confirmation of the address"))


def confirm(token: str) -> User:
    """Confirm an account, or switch it to a new address; raises InvalidToken."""
    data = tokens.read_confirmation_token(token)
    user = get_user(data.get("uid"))
    if user is None or user.deleted_at is not None:
        raise tokens.InvalidToken
    email = data.get("email")
    if email == user.email:
        user.confirmed_at = user.confirmed_at or utcnow()
    elif email and email == user.pending_email:
        if find_by_email(email) is not None:
            raise tokens.InvalidToken
        old_email = user.email
        user.email, user.pending_email = email, None
        user.confirmed_at = user.confirmed_at or utcnow()
        # The old address hears of it: if the account was taken over, its owner learns so.
        _mail(old_email, _("Your e-mail address was changed"), "email_changed", user=user,
              masked=mask_email(email))
    else:
        raise tokens.InvalidToken
    db.session.flush()
    return user


class LoginSlowedDown(AccountError):
    """Too many failed tries for this login lately: one try per minute (throttle.py)."""


def authenticate(login: str, password: str) -> User | None:
    """The account for a username or e-mail and password, or None (same work either way);
    raises LoginSlowedDown after too many failed tries for the account or name."""
    login = login.strip()
    user = db.session.scalar(
        select(User).where(
            or_(User.email == login.lower(), func.lower(User.username) == login.lower()),
            User.deleted_at.is_(None),
        )
    )
    counter = throttle.key(login, user)
    if not throttle.may_try(counter):
        raise LoginSlowedDown(_("Too many failed tries for this account. For a while, one try "
                                "per minute is possible: please wait a minute."))
    if not verify_password(user.password_hash if user else None, password):
        if throttle.record_failure(counter) and user is not None and user.email:
            _mail(user.email, _("Failed logins to your account"), "failed_logins", user=user,
                  failures=throttle.FAILURES.amount)
        return None
    return user


def request_password_reset(email: str) -> None:
    """Mail a reset link if an active account has this address, else a notice that there is
    nothing to reset: the same work either way (a query, a mail rendered and queued), so
    neither the answer nor its time tells whether the address has an account."""
    user = find_by_email(email)
    if user is not None and user.is_active:
        link = _external("accounts.reset_password", token=tokens.reset_token(user))
        _mail(user.email, _("Reset your password"), "reset", user=user, link=link)
    else:
        _nothing_to_send(email, _("Reset your password"), _("password reset"))


def _nothing_to_send(email: str, subject: str, purpose: str) -> None:
    _mail(normalize_email(email), subject, "nothing_to_send", purpose=purpose)


def user_for_reset(token: str) -> User:
    return tokens.read_reset_token(token, get_user)


def set_password(user: User, password: str) -> None:
    """Store a new password, end every session of the account and tell its address."""
    user.password_hash = hash_password(password)
    end_all_sessions(user)
    if user.email:
        _mail(user.email, _("Your password was changed"), "password_changed", user=user,
              when=utcnow())


def find_by_username(username: str) -> User | None:
    """An account that is not deleted, by its username in any case."""
    return db.session.scalar(select(User).where(
        func.lower(User.username) == username.strip().lower(), User.deleted_at.is_(None)
    ))


def set_password_by_operator(user: User, password: str) -> None:
    """A new password given on the command line (a forgotten demo password, a locked-out
    admin): as a reset, and audited, the operator being no account."""
    set_password(user, password)
    audit.record(None, "user.password_set", user)


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise AccountError(_("The current password is not correct."))
    set_password(user, new)


def end_all_sessions(user: User) -> None:
    """Invalidate every login cookie of the account (they carry the old token)."""
    user.session_token = new_session_token()
    db.session.flush()


def update_profile(user: User, first_name: str, last_name: str) -> None:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    db.session.flush()


def request_email_change(user: User, new_email: str, password: str) -> None:
    """Keep the new address pending and mail a link to it; the old one stays until confirmed."""
    if not verify_password(user.password_hash, password):
        raise AccountError(_("The current password is not correct."))
    new_email = normalize_email(new_email)
    if new_email == user.email:
        raise AccountError(_("This is already your e-mail address."))
    user.pending_email = new_email
    db.session.flush()
    # The address in use hears of the request (without the new address in full), whether
    # or not the new one is free: one mail here either way.
    _mail(user.email, _("Change of your e-mail address requested"), "email_change_requested",
          user=user, masked=mask_email(new_email))
    owner = find_by_email(new_email)
    if owner is None:
        send_confirmation(user, new_email)
    else:
        # One mail either way: the answer and its time say nothing about the address.
        _mail(owner.email, _("Your e-mail address"), "email_taken", user=owner)


def mask_email(address: str) -> str:
    """An address shown in part, to tell it apart without giving it away: e***@b***.de."""
    local, _at, domain = address.partition("@")
    name, dot, top = domain.rpartition(".")
    if not dot:
        name, top = domain, ""
    return f"{local[:1]}***@{name[:1]}***{dot}{top}"


def delete_account(user: User, password: str) -> None:
    """Erase or anonymise everything stored about the person, part by part (each feature
    registers its own, core/data_rights.py); contributions stay and show as a deleted
    account, and the audit log stays complete."""
    if not verify_password(user.password_hash, password):
        raise AccountError(_("The current password is not correct."))
    data_rights.erase(user)
    db.session.flush()


def export_data(user: User) -> dict:
    """Everything we store about a person, for the 'download my data' button."""
    return {"exported_at": utcnow().isoformat() + "Z", **data_rights.export(user)}


def actors_in_audit_log() -> list[tuple[int, str]]:
    """(id, username) of every account, not deleted, that has done something on record."""
    acted = select(AuditEntry.actor_id).where(AuditEntry.actor_id.is_not(None))
    return list(db.session.execute(
        select(User.id, User.username)
        .where(User.id.in_(acted), User.deleted_at.is_(None))
        .order_by(func.lower(User.username))
    ))


def list_users(search: str = "", page: int = 1, per_page: int = 50):
    """Accounts for the admin page, newest first, optionally filtered by name or e-mail."""
    query = select(User).where(User.deleted_at.is_(None)).order_by(User.id.desc())
    term = search.strip().lower()
    if term:
        like = f"%{term}%"
        query = query.where(
            or_(func.lower(User.username).like(like), User.email.like(like),
                func.lower(User.last_name).like(like))
        )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def set_role(actor: User, user: User, role: str) -> None:
    if role not in ROLES:
        raise AccountError(_("Unknown role."))
    if user.id == actor.id:
        raise AccountError(_("You cannot change your own role."))
    if user.role != role:
        audit.record(actor, "user.role", user, old=user.role, new=Role(role).value)
        user.role = Role(role)
        db.session.flush()


def block(actor: User, user: User, reason: str) -> None:
    """Block an account for `reason`, which the person reads when logging in and in the mail
    that tells them; every session of the account ends."""
    reason = (reason or "").strip()
    if user.id == actor.id:
        raise AccountError(_("You cannot block yourself."))
    if not reason:
        raise AccountError(_("Please give a reason: the person reads it."))
    if user.blocked_at is not None:
        return
    user.blocked_at, user.blocked_reason = utcnow(), reason
    end_all_sessions(user)
    audit.record(actor, "user.block", user, reason=reason)
    if user.email:
        _mail(user.email, _("Your account is blocked"), "blocked", user=user, reason=reason)


def unblock(actor: User, user: User) -> None:
    """Lift a block; the person is told by mail."""
    if user.blocked_at is None:
        return
    user.blocked_at, user.blocked_reason = None, ""
    db.session.flush()
    audit.record(actor, "user.unblock", user)
    if user.email:
        _mail(user.email, _("Your account is unblocked"), "unblocked", user=user)


def create_user(username: str, email: str, password: str, role: str) -> User:
    """An already confirmed account, for the command line."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}")
    if username_taken(username):
        raise AccountError(f"username {username!r} is taken")
    if find_by_email(email) is not None:
        raise AccountError(f"e-mail {email!r} is taken")
    user = User(
        username=username,
        email=normalize_email(email),
        password_hash=hash_password(password),
        role=role,
        confirmed_at=utcnow(),
        privacy_accepted_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    return user


def _external(endpoint: str, **values) -> str:
    """An absolute link built from SITE_URL, never from the request's Host header."""
    return current_app.config["SITE_URL"] + url_for(endpoint, **values)


def _mail(to: str, subject: str, template: str, **context) -> None:
    body = render_template(f"accounts/mail/{template}.txt", **context)
    send_mail(to, subject, body)
