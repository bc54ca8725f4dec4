"""An idea's public history in words: what each entry says happened, and by which role."""

from flask_babel import gettext as _

from ...core.permissions import Role
from ..models import EventKind, Feasibility, IdeaStatus
from .services import SHORTLIST_ON


def event_title(event) -> str:
    """One entry as a sentence: "Status changed from under review to accepted"."""
    if event.kind == EventKind.STATUS:
        new = IdeaStatus.label_of(event.to_value)
        if event.from_value == event.to_value:
            return _("Answer updated, status still: %(status)s", status=new)
        return _("Status changed from “%(old)s” to “%(new)s”",
                 old=IdeaStatus.label_of(event.from_value), new=new)
    if event.kind == EventKind.FEASIBILITY:
        if event.to_value == Feasibility.FEASIBLE:
            return _("Checked: admissible")
        return _("Checked: not admissible")
    if event.to_value == SHORTLIST_ON:
        return _("Put on the shortlist")
    return _("Taken off the shortlist")


def role_label(role: str | None) -> str:
    """The role that acted, as the public sees it (never the person's name)."""
    try:
        return str(Role.label_of(role))
    except ValueError:
        return _("the city")
