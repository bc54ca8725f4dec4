"""Imports every feature's models so SQLAlchemy and Alembic see the whole schema."""

from .accounts.models import User  # noqa: F401
from .comments.models import Comment, CommentSettings  # noqa: F401
from .core.flags import Flag  # noqa: F401
from .core.models import AuditEntry, OutgoingMail  # noqa: F401
from .core.moderation_reminders import ModerationReminder  # noqa: F401
from .core.reject_reasons import RejectReason  # noqa: F401
from .documents.models import (  # noqa: F401
    DocumentSection,
    SectionVersion,
    TextDocument,
    TextVersion,
)
from .pages.models import AccessibilityFeedback, Page, SiteSettings  # noqa: F401
from .projects.models import Document, Phase, Project  # noqa: F401
from .surveys.models import (  # noqa: F401
    Survey,
    SurveyAnswer,
    SurveyInbox,
    SurveyOption,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatement,
    SurveyTally,
)
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
