"""Comments on projects, ideas, vote options and document sections (comments/targets.py),
with one level of replies, each moderated like every contribution (core/moderation.py)."""

from flask import Blueprint

from ..core import project_sections

bp = Blueprint("comments", __name__)

# One blueprint; each job's views register on it (as in votes/).
from . import (  # noqa: E402,F401
    audit_sentences,
    models,
    moderation,
    personal_data,
    settings,
    targets,
    views,
)

bp.record_once(lambda state: project_sections.register(state.app, "staff",
                                                     settings.staff_section))
