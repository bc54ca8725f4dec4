from flask import Blueprint

bp = Blueprint("votes", __name__)

from . import api, batch_views, double_entry_views, manage, views  # noqa: E402,F401
