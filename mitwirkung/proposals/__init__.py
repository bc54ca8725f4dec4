from flask import Blueprint

bp = Blueprint("proposals", __name__)

# One blueprint; each job's views register on it (as in votes/).
from . import models, search  # noqa: E402,F401
