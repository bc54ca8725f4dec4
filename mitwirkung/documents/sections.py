"""A project's texts for comments, as sections of its public page and of its staff page
(core/project_sections.py)."""

from ..core.permissions import can
from ..core.project_sections import Section
from . import services


def public_section(project, viewer) -> Section | None:
    """The project's texts with their comments and whether they take comments now."""
    texts = services.texts_with_totals(project)
    if not texts:
        return None
    return Section("documents/_project_section.html", {
        "texts": [(text, total, services.commenting_open(text)) for text, total in texts],
        "may_manage": can(viewer, "manage_projects")})


def staff_section(project, viewer) -> Section:
    """Every text of the project, with its version and comments, and "create a text"."""
    return Section("documents/manage/_project_texts.html", {
        "texts": [(text, total, services.commenting_open(text))
                  for text, total in services.texts_with_totals(project)]})
