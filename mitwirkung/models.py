"""Imports every feature's models so SQLAlchemy and Alembic see the whole schema."""

from .accounts.models import User  # noqa: F401
from .comments.models import Comment, CommentSettings  # noqa: F401
from .core.flags import Flag  # noqa: F401
from .core.models import AuditEntry, OutgoingMail  # noqa: F401
from .documents.models import DocumentSection, TextDocument  # noqa: F401
from .pages.models import AccessibilityFeedback, Page, SiteSettings  # noqa: F401
from .projects.models import Document, Phase, Project  # noqa: F401
from .votes.models import (  # noqa: F401
    Ballot,
    BallotAnswer,
    OnlineTally,
    Option,
    PaperBatch,
    PaperCardAuthor,
    Participation,
    Question,
    Vote,
)
