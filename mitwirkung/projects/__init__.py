from flask import Blueprint

bp = Blueprint("projects", __name__)

from . import views  # noqa: E402,F401
