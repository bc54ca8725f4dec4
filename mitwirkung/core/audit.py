"""The one way to write the audit log."""

from ..extensions import db
from .models import AuditEntry


def record(actor, action: str, target, **details) -> AuditEntry:
    """Log that `actor` did `action` to `target` (a model instance); the caller commits."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=type(target).__tablename__,
        target_id=getattr(target, "id", None),
        details=details,
    )
    db.session.add(entry)
    return entry


def entries(page: int, per_page: int = 50):
    """The newest audit entries first, with their actors loaded in the same query."""
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload

    from ..accounts.models import User  # noqa: F401  (the actor relationship's target)

    query = select(AuditEntry).options(joinedload(AuditEntry.actor)).order_by(
        AuditEntry.id.desc()
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
