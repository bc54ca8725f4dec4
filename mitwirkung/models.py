"""Imports every feature's models so SQLAlchemy and Alembic see the whole schema."""

from .accounts.models import User  # noqa: F401
from .core.models import AuditEntry  # noqa: F401
from .pages.models import Page  # noqa: F401
from .projects.models import Document, Phase, Project  # noqa: F401
