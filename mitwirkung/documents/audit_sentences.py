"""How the audit log names commented texts and says what was done to them."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core import audit
from ..core.audit import quoted
from ..extensions import db
from ..projects.models import Project
from .models import TextDocument

# What text.update lists as changed, named as the settings form names them.
FIELDS = {"title": _l("Title"), "comments_from": _l("Comments from"),
          "comments_until": _l("Comments until")}


def _label(document: TextDocument) -> dict:
    return {"title": document.title, "project": document.project.title}


def _load(ids) -> dict[int, dict]:
    rows = db.session.execute(
        select(TextDocument.id, TextDocument.title, Project.title)
        .join(Project, Project.id == TextDocument.project_id)
        .where(TextDocument.id.in_(ids)))
    return {id_: {"title": title, "project": project} for id_, title, project in rows}


def _context(label: dict) -> str | None:
    return _("Project %(project)s", project=quoted(label["project"])) \
        if label.get("project") else None


audit.register_target("text_documents", _l("Text for comments"), label=_label, load=_load,
                      show=lambda label: quoted(label["title"]), context=_context)


def _headings(headings) -> str:
    return ", ".join(quoted(heading or _("Introduction")) for heading in headings)


@audit.sentence("text.create", _l("Text for comments created"), target="text_documents")
def _create(line):
    return _("Text %(text)s created with %(count)s sections (version 1)", text=line.target,
             count=line.get("sections", 0))


@audit.sentence("text.version", _l("New version of a text"), target="text_documents")
def _version(line):
    parts = [_("%(count)s sections unchanged", count=line.get("unchanged", 0))]
    if line.get("changed", []):
        parts.append(_("changed: %(sections)s", sections=_headings(line.get("changed"))))
    if line.get("added", []):
        parts.append(_("added: %(sections)s", sections=_headings(line.get("added"))))
    if line.get("removed", []):
        parts.append(_("removed: %(sections)s", sections=_headings(line.get("removed"))))
    return _("Version %(number)s of text %(text)s saved; %(changes)s",
             number=line.get("version", "?"), text=line.target, changes="; ".join(parts))


@audit.sentence("text.update", _l("Text for comments edited"), target="text_documents")
def _update(line):
    changed = [str(FIELDS.get(name, name)) for name in line.get("changed", [])]
    if not changed:
        return _("Text %(text)s saved without changes", text=line.target)
    return _("Text %(text)s edited: %(fields)s", text=line.target, fields=", ".join(changed))
