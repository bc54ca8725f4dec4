from flask import Blueprint

from ..core import uploads

bp = Blueprint("votes", __name__)

from . import api, batch_views, double_entry_views, manage, services, views  # noqa: E402,F401

bp.record_once(lambda state: uploads.register_owner(state.app, services.upload_visibility))
