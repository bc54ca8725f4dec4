"""Tables shared by every feature."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .content_version import unseen
from .time import utcnow


class AuditEntry(db.Model):
    """One staff, moderator or admin action that changed what the public sees or what counts."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[int | None]
    # What the target was called when the entry was written (a title, a username; a JSON
    # value its kind knows how to show, core/audit.py), so the log needs no query per entry.
    target_label: Mapped[Any] = mapped_column(JSON, nullable=True)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    actor = relationship("User", lazy="raise")


class OutgoingMail(db.Model):
    """A mail waiting in the outbox, or the trace of one sent (its body erased)."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(100), unique=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    # Set by the worker that is sending it; another worker waits until it has passed.
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]  # given up after MAX_ATTEMPTS
    last_error: Mapped[str] = mapped_column(Text, default="")


# Shown on no page kept for visitors (core/page_cache.py): writes here leave the content
# version alone.
unseen(AuditEntry, OutgoingMail)
