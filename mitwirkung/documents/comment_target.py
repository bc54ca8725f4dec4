"""A text's sections can be commented on (comments/targets.py), each on its own page
linked from the text: sections of the current version, on the text's commenting days.
A comment records the version it was made on ("zu Fassung 1")."""

from flask import url_for
from flask_babel import gettext as _

from ..comments import targets
from ..comments.models import LinkKind
from ..core.audit import quoted
from . import services
from .models import DocumentSection


def section_url(section: DocumentSection) -> str:
    document = section.document
    return url_for("documents.section", slug=document.project.slug, text_slug=document.slug,
                   section_id=section.id)


targets.register(targets.TargetKind(
    kind=LinkKind.SECTION, model=DocumentSection,
    project_id=lambda section: section.document.project_id,
    title=lambda section: _("%(section)s – %(text)s", section=section.title,
                            text=section.document.title),
    url=section_url,
    may_see=lambda section, viewer: services.may_see(section.document, viewer),
    open=services.section_open,
    context=lambda section: _("Text %(text)s, section %(section)s",
                              text=quoted(section.document.title),
                              section=quoted(section.title)),
    version=lambda section: section.document.current_version,
))
