"""Who may do what: one table of roles to capabilities, and a view decorator."""

from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

ROLES = ("citizen", "staff", "moderator", "admin")
ROLE_LABELS = {
    "citizen": _l("Citizen"),
    "staff": _l("City staff"),
    "moderator": _l("Moderator"),
    "admin": _l("Administrator"),
}

# Capability -> roles that hold it. Admins hold every capability.
CAPABILITIES = {
    "manage_projects": {"staff", "admin"},
    "moderate": {"moderator", "admin"},
    "manage_users": {"admin"},
    "edit_pages": {"admin"},
    "edit_settings": {"admin"},  # the city's name, logo, colour, sign-language video
    "read_feedback": {"admin"},  # messages sent through the accessibility feedback form
    "see_audit_log": {"admin"},
}


def can(user, capability: str) -> bool:
    """True when `user` is signed in, active and holds `capability`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if capability == "participate":
        return user.is_confirmed
    return user.role in CAPABILITIES[capability]


def require(capability: str):
    """View decorator: visitors are sent to log in, others without the capability get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            from ..extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not can(current_user, capability):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
