"""The surveys of a project, as sections of its public page and of its staff page
(core/project_sections.py)."""

from flask import url_for

from ..core.permissions import can
from ..core.project_sections import Section
from . import services


def public_section(project, viewer) -> Section | None:
    """The surveys the viewer may see (staff-only ones only for staff), with their phase
    and dates; staff also get "New survey"."""
    surveys = services.surveys_of_project(project, viewer)
    may_manage = can(viewer, "manage_projects")
    if not surveys and not may_manage:
        return None
    return Section("surveys/_project_section.html", {
        "surveys": [(survey, services.phase(survey), url_for("surveys.show", slug=survey.slug))
                    for survey in surveys],
        "may_manage": may_manage})


def staff_section(project, viewer) -> Section:
    """Every survey of the project, drafts too, with links to manage them."""
    surveys = services.surveys_of_project(project, viewer)
    return Section("surveys/manage/_project_surveys.html", {
        "surveys": [(survey, services.phase(survey)) for survey in surveys]})
