"""Who may do what: one table of roles to capabilities, and a view decorator."""

from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .enums import LabelledEnum


class Role(LabelledEnum):
    """What an account may do; the label is what every page, mail and log entry shows."""

    CITIZEN = "citizen", _l("Citizen")
    STAFF = "staff", _l("City staff")
    MODERATOR = "moderator", _l("Moderator")
    ADMIN = "admin", _l("Administrator")


ROLES = tuple(Role)

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
