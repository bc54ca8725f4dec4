from flask import Blueprint

from ..core import project_sections, uploads

bp = Blueprint("votes", __name__)

# One blueprint; each job's views register on it.
from . import audit_sentences, comment_target, personal_data, services  # noqa: E402,F401
from . import sections as vote_sections  # noqa: E402
from .casting import views as casting_views  # noqa: E402,F401
from .paper import check_views as paper_check_views  # noqa: E402,F401
from .paper import tally_views as paper_tally_views  # noqa: E402,F401
from .paper import views as paper_views  # noqa: E402,F401
from .results import api as results_api  # noqa: E402,F401
from .results import final_views as results_final_views  # noqa: E402,F401
from .results import views as results_views  # noqa: E402,F401
from .setup import views as setup_views  # noqa: E402,F401

bp.record_once(lambda state: uploads.register_owner(state.app, services.upload_visibility))
bp.record_once(lambda state: project_sections.register(state.app, "public",
                                                     vote_sections.public_section))
bp.record_once(lambda state: project_sections.register(state.app, "staff",
                                                     vote_sections.staff_section))
