from flask import Blueprint

from ..core import uploads

bp = Blueprint("projects", __name__)

from . import audit_sentences, services, views  # noqa: E402,F401

bp.record_once(lambda state: uploads.register_owner(state.app, services.upload_visibility))
