"""How the audit log names projects and says what was done to them."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core import audit
from ..core.audit import quoted
from ..extensions import db
from .models import Project


def _load(ids) -> dict[int, str]:
    query = select(Project.id, Project.title).where(Project.id.in_(ids))
    return {id_: title for id_, title in db.session.execute(query)}


audit.register_target("projects", _l("Project"), label=lambda project: project.title,
                      load=_load, show=quoted)


def _sentence(action, name):
    return audit.sentence(action, name, target="projects")


@_sentence("project.create", _l("Project created"))
def _create(line):
    return _("Project %(project)s created", project=line.target)


@_sentence("project.update", _l("Project edited"))
def _update(line):
    return _("Project %(project)s edited", project=line.target)


@_sentence("project.publish", _l("Project published"))
def _publish(line):
    return _("Project %(project)s published", project=line.target)


@_sentence("project.archive", _l("Project archived"))
def _archive(line):
    return _("Project %(project)s archived", project=line.target)


def _part(line, id_key: str) -> str:
    """The phase's or document's title, quoted; its number in entries written without it."""
    if line.get("title"):
        return quoted(line.get("title"))
    return _("no. %(id)s", id=line.get(id_key, "?"))


@_sentence("project.phase_add", _l("Phase added"))
def _phase_add(line):
    return _("Phase %(phase)s added to project %(project)s", phase=_part(line, "phase_id"),
             project=line.target)


@_sentence("project.phase_update", _l("Phase edited"))
def _phase_update(line):
    return _("Phase %(phase)s of project %(project)s edited", phase=_part(line, "phase_id"),
             project=line.target)


@_sentence("project.phase_delete", _l("Phase deleted"))
def _phase_delete(line):
    return _("Phase %(phase)s of project %(project)s deleted", phase=_part(line, "phase_id"),
             project=line.target)


@_sentence("project.document_add", _l("Document added"))
def _document_add(line):
    return _("Document %(document)s added to project %(project)s",
             document=_part(line, "document_id"), project=line.target)


@_sentence("project.document_delete", _l("Document deleted"))
def _document_delete(line):
    return _("Document %(document)s of project %(project)s deleted",
             document=_part(line, "document_id"), project=line.target)
