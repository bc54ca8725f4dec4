from flask import Blueprint

bp = Blueprint("accounts", __name__)

from . import audit_sentences, personal_data, views  # noqa: E402,F401
