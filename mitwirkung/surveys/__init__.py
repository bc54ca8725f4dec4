from flask import Blueprint

bp = Blueprint("surveys", __name__)

# One blueprint; each job's views register on it (as in votes/ and proposals/).
from . import models, personal_data, services  # noqa: E402,F401
from .answering import views as answering_views  # noqa: E402,F401
