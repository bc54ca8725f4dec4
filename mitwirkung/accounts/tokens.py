"""Signed, expiring links for e-mail confirmation and password reset."""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer


class InvalidToken(Exception):
    """The link is forged, expired, already used or no longer fits the account."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"mitwirkung.{purpose}")


def _fingerprint(value: str | None) -> str:
    return hashlib.sha256((value or "").encode()).hexdigest()[:16]


def confirmation_token(user, email: str) -> str:
    """A link token that confirms `email` for `user`."""
    return _serializer("confirm").dumps({"uid": user.id, "email": email})


def read_confirmation_token(token: str) -> dict:
    max_age = current_app.config["CONFIRM_MAX_AGE"]
    try:
        return _serializer("confirm").loads(token, max_age=max_age)
    except BadSignature as exc:
        raise InvalidToken from exc


def reset_token(user) -> str:
    """A reset link token; it dies as soon as the password (hash) changes, so it works once."""
    return _serializer("reset").dumps({"uid": user.id, "pw": _fingerprint(user.password_hash)})


def read_reset_token(token: str, load_user):
    """Return the user the token is for, if it is still valid."""
    max_age = current_app.config["RESET_MAX_AGE"]
    try:
        data = _serializer("reset").loads(token, max_age=max_age)
    except BadSignature as exc:
        raise InvalidToken from exc
    user = load_user(data.get("uid"))
    if user is None or not user.is_active or data.get("pw") != _fingerprint(user.password_hash):
        raise InvalidToken
    return user
