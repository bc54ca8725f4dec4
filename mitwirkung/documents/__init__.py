"""Texts commented section by section: staff paste or upload a Markdown text, each heading
starts a section with its own comments, a new version keeps the sections whose heading
stays (and their comments)."""

from flask import Blueprint

from ..core import project_sections

bp = Blueprint("documents", __name__)

from . import (  # noqa: E402,F401
    audit_sentences,
    comment_target,
    manage,
    models,
    views,
)
from . import sections as text_sections  # noqa: E402

bp.record_once(lambda state: project_sections.register(state.app, "public",
                                                     text_sections.public_section))
bp.record_once(lambda state: project_sections.register(state.app, "staff",
                                                     text_sections.staff_section))
