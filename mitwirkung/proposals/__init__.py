from flask import Blueprint

from ..core import project_sections, uploads

bp = Blueprint("proposals", __name__)

# One blueprint; each job's views register on it (as in votes/).
from . import (  # noqa: E402,F401
    audit_sentences,
    comment_target,
    links,
    models,
    personal_data,
    search,
    services,
    supports,
)
from . import sections as board_sections  # noqa: E402
from .ideas import moderation  # noqa: E402,F401
from .ideas import views as idea_views  # noqa: E402,F401
from .listing import api as listing_api  # noqa: E402,F401
from .listing import exports as listing_exports  # noqa: E402,F401
from .listing import views as listing_views  # noqa: E402,F401
from .setup import views as setup_views  # noqa: E402,F401
from .supporting import views as supporting_views  # noqa: E402,F401

bp.record_once(lambda state: uploads.register_owner(state.app, services.upload_visibility,
                                                    services.upload_viewers))
bp.record_once(lambda state: project_sections.register(state.app, "public",
                                                     board_sections.public_section))
bp.record_once(lambda state: project_sections.register(state.app, "staff",
                                                     board_sections.staff_section))
