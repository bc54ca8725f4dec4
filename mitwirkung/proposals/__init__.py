from flask import Blueprint

bp = Blueprint("proposals", __name__)

# One blueprint; each job's views register on it (as in votes/).
from . import links, models, search, supports  # noqa: E402,F401
from .ideas import views as idea_views  # noqa: E402,F401
from .listing import api as listing_api  # noqa: E402,F401
from .listing import exports as listing_exports  # noqa: E402,F401
from .listing import views as listing_views  # noqa: E402,F401
from .supporting import views as supporting_views  # noqa: E402,F401
