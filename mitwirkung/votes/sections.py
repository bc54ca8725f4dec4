"""The votes of a project, as sections of its public page and of its staff page
(core/project_sections.py)."""

from ..core.permissions import can
from ..core.project_sections import Section
from . import services


def public_section(project, viewer) -> Section | None:
    """The votes the viewer may see; staff also get "New vote" when there are none yet."""
    votes = services.votes_of_project(project, viewer)
    may_manage = can(viewer, "manage_projects")
    if not votes and not may_manage:
        return None
    return Section("votes/_project_section.html", {
        "votes": [(vote, services.phase(vote)) for vote in votes], "may_manage": may_manage})


def staff_section(project, viewer) -> Section:
    """Every vote of the project, drafts too, with where it stands and its dates."""
    votes = services.votes_of_project(project, viewer)
    return Section("votes/manage/_project_votes.html",
                   {"votes": [(vote, services.standing(vote)) for vote in votes]})
