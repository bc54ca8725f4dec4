from flask import Blueprint

from ..core import project_sections

bp = Blueprint("surveys", __name__)

# One blueprint; each job's views register on it (as in votes/ and proposals/).
from . import audit_sentences, models, personal_data, services  # noqa: E402,F401
from . import sections as survey_sections  # noqa: E402
from .answering import views as answering_views  # noqa: E402,F401
from .results import exports as results_exports  # noqa: E402,F401
from .results import views as results_views  # noqa: E402,F401
from .setup import views as setup_views  # noqa: E402,F401

bp.record_once(lambda state: project_sections.register(state.app, "public",
                                                     survey_sections.public_section))
bp.record_once(lambda state: project_sections.register(state.app, "staff",
                                                     survey_sections.staff_section))
