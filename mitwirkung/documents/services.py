"""The rules of commented texts: creating a text and saving new versions (sections keep
their id while their key stays), who sees a text, when its sections take comments, and
what the pages and the export read. Services add and flush; the caller commits."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..comments.models import Comment
from ..comments.services import public_clause, public_counts
from ..core import audit
from ..core.domain import DomainError
from ..core.permissions import can
from ..core.sanitize import MarkdownTooComplex, render_markdown
from ..core.time import local_today
from ..extensions import db
from ..projects.models import Project
from . import diff, parsing
from .models import DocumentSection, SectionVersion, TextDocument, TextVersion

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_MAX = 80
TITLE_MAX = 200


class DocumentError(DomainError):
    """A text or version that cannot be saved; the message says why."""


class SlugTaken(DocumentError):
    message = _l("Another text of this project already uses this web address.")
    field = "slug"


class CommentDaysReversed(DocumentError):
    message = _l("Commenting must end on or after the day it starts.")
    field = "comments_until"


class SectionTooComplex(DocumentError):
    message = _l("Section “%(section)s”: %(problem)s")
    field = "markdown"


class NothingChanged(DocumentError):
    message = _l("This text is the same as version %(number)s, so no new version was "
                 "saved.")
    field = "markdown"


@dataclass(frozen=True)
class TextSettings:
    title: str
    slug: str = ""
    comments_from: date | None = None
    comments_until: date | None = None


@dataclass
class VersionReport:
    """What a saved version did to the sections (their headings, "" for the introduction),
    for the message and the audit log."""

    number: int
    unchanged: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def details(self) -> dict:
        return {"version": self.number, "unchanged": len(self.unchanged),
                "changed": self.changed, "added": self.added, "removed": self.removed}


# Who sees, when commenting is open -----------------------------------------------------------


def may_see(document: TextDocument, viewer) -> bool:
    """Texts are public with their project; staff see those of drafts too."""
    return document.project.is_public or can(viewer, "manage_projects")


def commenting_open(document: TextDocument, today: date | None = None) -> bool:
    """The project is running (published, not archived) and today is a commenting day."""
    today = today or local_today()
    if document.project.status != "published":
        return False
    if document.comments_from is not None and today < document.comments_from:
        return False
    return document.comments_until is None or today <= document.comments_until


def section_open(section: DocumentSection) -> bool:
    """Comments go to sections of the current version while the text takes comments."""
    return section.is_current and commenting_open(section.document)


# Creating and new versions -----------------------------------------------------------------


def create_text(project: Project, actor, settings: TextSettings, markdown: str,
                depth: int = 6) -> tuple[TextDocument, VersionReport]:
    """A new text on `project` with its first version."""
    _check_days(settings)
    slug = (settings.slug or "").strip().lower() or _free_slug(project, settings.title)
    if _slug_in_use(project, slug):
        raise SlugTaken
    parts = _rendered(markdown, depth)
    document = TextDocument(project_id=project.id, project=project, slug=slug,
                            title=settings.title.strip(), comments_from=settings.comments_from,
                            comments_until=settings.comments_until)
    db.session.add(document)
    db.session.flush()
    report = _save_version(document, actor, markdown, depth, parts)
    audit.record(actor, "text.create", document, sections=len(parts))
    return document, report


def new_version(document: TextDocument, actor, markdown: str,
                depth: int = 6) -> VersionReport:
    """The next version of `document`: sections whose key remains keep their id and
    comments, new keys add sections, sections no longer there stay as earlier ones."""
    parts = _rendered(markdown, depth)
    latest = latest_version(document)
    if latest is not None and _same(latest, parts, depth):
        raise NothingChanged(number=latest.number)
    report = _save_version(document, actor, markdown, depth, parts)
    audit.record(actor, "text.version", document, **report.details())
    return report


def update_settings(document: TextDocument, actor, settings: TextSettings) -> list[str]:
    """Title and commenting days; the web address stays (links to sections use it)."""
    _check_days(settings)
    values = {"title": settings.title.strip(), "comments_from": settings.comments_from,
              "comments_until": settings.comments_until}
    changed = [name for name, value in values.items() if getattr(document, name) != value]
    for name in changed:
        setattr(document, name, values[name])
    db.session.flush()
    audit.record(actor, "text.update", document, changed=changed)
    return changed


def _check_days(settings: TextSettings) -> None:
    if (settings.comments_from and settings.comments_until
            and settings.comments_until < settings.comments_from):
        raise CommentDaysReversed


def _rendered(markdown: str, depth: int) -> list[tuple[parsing.Part, str]]:
    """Each section with its HTML, all rendered before anything is written."""
    parts = parsing.split(markdown, depth)
    rendered = []
    for part in parts:
        try:
            rendered.append((part, render_markdown(part.text)))
        except MarkdownTooComplex as error:
            raise SectionTooComplex(section=part.heading or part.key,
                                    problem=error.message) from None
    return rendered


def _same(latest: TextVersion, parts, depth: int) -> bool:
    before = [(text.section_id, text.heading, text.text) for text in latest.section_texts]
    keys = {section.id: section.key for section in latest.document.sections}
    return latest.heading_depth == depth and [
        (keys[section_id], heading, text) for section_id, heading, text in before
    ] == [(part.key, part.heading, part.text) for part, _html in parts]


def _save_version(document: TextDocument, actor, markdown: str, depth: int,
                  parts) -> VersionReport:
    previous = document.current_version
    number = previous + 1
    version = TextVersion(document_id=document.id, number=number,
                          markdown=parsing.check(markdown), heading_depth=depth,
                          created_by_id=getattr(actor, "id", None))
    db.session.add(version)
    by_key = {section.key: section for section in document.sections}
    report = VersionReport(number)
    kept = set()
    for position, (part, html) in enumerate(parts):
        section = by_key.get(part.key)
        if section is None:
            section = DocumentSection(key=part.key, first_version=number, changed_in=number)
            document.sections.append(section)
            report.added.append(part.heading)
        elif section.last_version != previous:  # dropped earlier, back now
            section.changed_in = number
            report.added.append(part.heading)
        elif (section.heading, section.text) != (part.heading, part.text):
            section.changed_in = number
            report.changed.append(part.heading)
        else:
            report.unchanged.append(part.heading)
        section.heading, section.text, section.text_html = part.heading, part.text, html
        section.level, section.position, section.last_version = part.level, position, number
        kept.add(part.key)
        version.section_texts.append(SectionVersion(section=section, position=position,
                                                    heading=part.heading, text=part.text))
    report.removed = [section.heading for section in document.sections
                      if section.last_version == previous and section.key not in kept]
    document.current_version = number
    db.session.flush()
    return report


def _free_slug(project: Project, title: str) -> str:
    base = parsing.section_key(title or "text")[:SLUG_MAX].strip("-") or "text"
    slug, number = base, 2
    while _slug_in_use(project, slug):
        slug, number = f"{base}-{number}", number + 1
    return slug


def _slug_in_use(project: Project, slug: str) -> bool:
    return db.session.scalar(select(TextDocument.id).where(
        TextDocument.project_id == project.id, TextDocument.slug == slug)) is not None


# Reading -------------------------------------------------------------------------------------


def texts_with_totals(project: Project) -> list[tuple[TextDocument, int]]:
    """The project's texts with their published comments, in one query (the project page
    shows several features, each with a share of its queries)."""
    total = (select(func.count(Comment.id))
             .join(DocumentSection, DocumentSection.id == Comment.section_id)
             .where(DocumentSection.document_id == TextDocument.id, public_clause())
             .correlate(TextDocument).scalar_subquery())
    return [(document, count) for document, count in db.session.execute(
        select(TextDocument, total).where(TextDocument.project_id == project.id)
        .order_by(TextDocument.created_at, TextDocument.id))]


def find_text(project_slug: str, text_slug: str, viewer) -> TextDocument | None:
    """The text at this address if `viewer` may see it (one query, with its project)."""
    document = db.session.scalar(
        select(TextDocument).join(Project, Project.id == TextDocument.project_id)
        .where(Project.slug == project_slug, TextDocument.slug == text_slug))
    if document is None or not may_see(document, viewer):
        return None
    return document


def find_section(document: TextDocument, section_id: int) -> DocumentSection | None:
    section = db.session.get(DocumentSection, section_id)
    return section if section is not None and section.document_id == document.id else None


@dataclass
class SectionLine:
    """A section as the text's page lists it."""

    section: DocumentSection
    comments: int  # published
    earlier: int  # of those, made on a version before the section's present text


@dataclass
class TextPage:
    document: TextDocument
    current: list[SectionLine]
    earlier: list[SectionLine]  # sections that the current version no longer has
    open: bool


def text_page(document: TextDocument) -> TextPage:
    """The sections in order with their counts: three queries whatever the text holds."""
    sections = list(db.session.scalars(
        select(DocumentSection).where(DocumentSection.document_id == document.id)
        .order_by(DocumentSection.position, DocumentSection.id)))
    counts = public_counts("section", [section.id for section in sections])
    earlier = _earlier_counts(document)
    lines = [SectionLine(section, counts.get(section.id, 0), earlier.get(section.id, 0))
             for section in sections]
    return TextPage(
        document,
        [line for line in lines if line.section.is_current],
        sorted((line for line in lines if not line.section.is_current),
               key=lambda line: (-line.section.last_version, line.section.position)),
        commenting_open(document))


def _earlier_counts(document: TextDocument) -> dict[int, int]:
    """Published comments made on a version before their section's present text."""
    rows = db.session.execute(
        select(Comment.section_id, func.count(Comment.id))
        .join(DocumentSection, DocumentSection.id == Comment.section_id)
        .where(DocumentSection.document_id == document.id, public_clause(),
               Comment.version < DocumentSection.changed_in)
        .group_by(Comment.section_id))
    return dict(rows.all())


def latest_version(document: TextDocument) -> TextVersion | None:
    return db.session.scalar(select(TextVersion).where(
        TextVersion.document_id == document.id,
        TextVersion.number == document.current_version))


def versions_of(document: TextDocument) -> list[TextVersion]:
    return list(db.session.scalars(select(TextVersion).where(
        TextVersion.document_id == document.id).order_by(TextVersion.number.desc())))


# What changed in a section -------------------------------------------------------------------


@dataclass
class SectionChanges:
    section: DocumentSection
    since: int | None  # the version compared with the section's present text
    heading_before: str
    changes: diff.Changes | None
    versions: list[int]  # the versions that had this section, for choosing another


def section_changes(section: DocumentSection, since: int | None = None) -> SectionChanges:
    """What changed in `section` from version `since` (by default, the version before its
    present text) to its present text (the current one, or its last one if it was
    dropped)."""
    rows = db.session.execute(
        select(TextVersion.number, SectionVersion.heading, SectionVersion.text)
        .join(TextVersion, TextVersion.id == SectionVersion.version_id)
        .where(SectionVersion.section_id == section.id)
        .order_by(TextVersion.number)).all()
    texts = {number: (heading, text) for number, heading, text in rows}
    earlier = [number for number in texts if number < section.changed_in]
    if since not in texts or since >= section.changed_in:
        since = earlier[-1] if earlier else None
    if since is None:
        return SectionChanges(section, None, section.heading, None, sorted(texts))
    heading, text = texts[since]
    return SectionChanges(section, since, heading, diff.compare(text, section.text),
                          sorted(texts))


# Export --------------------------------------------------------------------------------------


def comments_for_export(document: TextDocument, everything: bool) -> list:
    """(section, comment) pairs for the CSV, section by section (current ones first, in
    their order), oldest comment first; published comments only unless `everything`."""
    query = (select(DocumentSection, Comment)
             .join(Comment, Comment.section_id == DocumentSection.id)
             .where(DocumentSection.document_id == document.id)
             .options(joinedload(Comment.author))
             .order_by((DocumentSection.last_version == document.current_version).desc(),
                       DocumentSection.position, DocumentSection.id, Comment.created_at,
                       Comment.id))
    if not everything:
        query = query.where(public_clause())
    return list(db.session.execute(query).all())
