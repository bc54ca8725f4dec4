"""Accounts: one row per person, with a role."""

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.permissions import Role
from ..core.time import utcnow
from ..extensions import db


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(Role.check("role"), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    first_name: Mapped[str] = mapped_column(String(80), default="")
    last_name: Mapped[str] = mapped_column(String(80), default="")
    # Stored lower-case; NULL once the account is deleted.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    # A new address waits here until its confirmation link is clicked.
    pending_email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.CITIZEN)
    privacy_accepted_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    blocked_at: Mapped[datetime | None]
    # Why the account is blocked, as the admin wrote it: the person reads it when logging
    # in and in the mail that tells them; empty while not blocked.
    blocked_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Muted by a moderator until then: no comments, ideas or reports; supports and votes
    # stay allowed (core/muting.py). The reason, as the moderator wrote it, is what the
    # person reads on the form pages and in the mail; empty while not muted.
    muted_until: Mapped[datetime | None]
    muted_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    deleted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of the login cookie; replacing it ends every session of the account.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.blocked_at is None and self.deleted_at is None

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def role_label(self):
        return Role.label_of(self.role)

    @property
    def greeting_name(self) -> str:
        """How a mail greets the person: the first name, else the username."""
        return self.first_name or self.username

    @property
    def display_name(self) -> str:
        """The public name: the username, or a neutral label once the account is deleted."""
        if self.deleted_at is not None:
            from flask_babel import gettext as _

            return _("deleted account")
        return self.username

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"
