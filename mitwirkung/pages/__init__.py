from flask import Blueprint

from ..core import mail, uploads

bp = Blueprint("pages", __name__)

from . import audit_sentences, settings, views  # noqa: E402,F401

bp.record_once(lambda state: uploads.register_owner(state.app, settings.upload_visibility))
bp.record_once(lambda state: mail.register_sender(state.app, settings.mail_sender))
