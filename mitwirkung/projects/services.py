"""Project operations and queries: what views and the demo loader call."""

import io
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from ..core import audit, uploads
from ..core.permissions import can
from ..core.time import utcnow
from ..extensions import db
from .models import Document, Phase, Project

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_MAX = 80
STAGES = ("running", "upcoming", "finished")
_GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


class ProjectError(Exception):
    """An operation on a project was refused; the view turns it into a message."""


class SlugTaken(ProjectError):
    """Another project already uses this address."""


class InvalidDates(ProjectError):
    """A phase would end before it starts."""


class StatusChangeRefused(ProjectError):
    """The project is not in a status this change starts from."""


@dataclass(frozen=True)
class ProjectCard:
    """A public project with what its card and page show."""

    project: Project
    stage: str
    current_phase: Phase | None


# Rules ---------------------------------------------------------------------------------


def stage(project: Project, today: date) -> str:
    """running, upcoming or finished, derived from the status and the phases' dates."""
    if project.status == "archived":
        return "finished"
    if project.phases:
        if min(p.start_date for p in project.phases) > today:
            return "upcoming"
        if max(p.end_date for p in project.phases) < today:
            return "finished"
    return "running"


def current_phase(project: Project, today: date) -> Phase | None:
    """The phase running today; of overlapping phases the one that started last."""
    running = [p for p in project.phases if p.start_date <= today <= p.end_date]
    return max(running, key=lambda p: (p.start_date, p.id or 0), default=None)


def card(project: Project, today: date) -> ProjectCard:
    """Bundle a project with its stage and current phase."""
    return ProjectCard(project, stage(project, today), current_phase(project, today))


def slugify(text: str) -> str:
    """A URL slug from a title: lower-case ASCII letters, digits and hyphens."""
    text = text.lower().translate(_GERMAN_LETTERS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:SLUG_MAX].rstrip("-") or "project"


# Queries -------------------------------------------------------------------------------


def public_projects_by_stage(today: date) -> dict[str, list[ProjectCard]]:
    """Published and archived projects for the home page, grouped by stage."""
    projects = db.session.scalars(
        select(Project)
        .where(Project.status.in_(("published", "archived")))
        .options(selectinload(Project.phases))
        .order_by(Project.published_at.desc(), Project.id.desc())
    ).all()
    groups: dict[str, list[ProjectCard]] = {name: [] for name in STAGES}
    for project in projects:
        entry = card(project, today)
        groups[entry.stage].append(entry)
    groups["upcoming"].sort(key=lambda c: min(p.start_date for p in c.project.phases))
    return groups


def project_page(slug: str, viewer, today: date) -> ProjectCard | None:
    """A project for its page; None when it does not exist or `viewer` may not see a draft."""
    # Its phases and documents joined in the same query (a few of each): the page has
    # features' sections and a comment thread to pay for within its ten queries.
    project = db.session.scalars(
        select(Project)
        .where(Project.slug == slug)
        .options(joinedload(Project.phases), joinedload(Project.documents))
    ).unique().one_or_none()
    if project is None or (not project.is_public and not can(viewer, "manage_projects")):
        return None
    return card(project, today)


def upload_visibility(name: str) -> bool | None:
    """Whether a stored file (a project's image or document) is public; None if no project
    has it."""
    status = db.session.scalar(
        select(Project.status).outerjoin(Document)
        .where(or_(Project.image == name, Document.file_name == name)).limit(1)
    )
    return None if status is None else status != "draft"


def all_projects() -> list[Project]:
    """Every project, newest change first, for the staff list."""
    return list(
        db.session.scalars(select(Project).order_by(Project.updated_at.desc(), Project.id.desc()))
    )


def project_with_parts(project_id: int) -> Project | None:
    """One project with its phases and documents loaded, for the edit page: the phases
    (a few) joined to the project's row, so the page keeps its queries for the sections
    that features add (core/project_sections.py)."""
    return db.session.scalars(
        select(Project)
        .where(Project.id == project_id)
        .options(joinedload(Project.phases), selectinload(Project.documents))
    ).unique().one_or_none()


# Projects ------------------------------------------------------------------------------


def create_project(
    actor, *, title: str, slug: str, teaser: str, description: str, image_alt: str, image=None
) -> Project:
    """Create a draft project; an empty slug is suggested from the title."""
    slug = _checked_slug(slug, title, project_id=None)
    stored = uploads.save_image(image) if image is not None else None
    project = Project(
        title=title.strip(),
        slug=slug,
        teaser=teaser.strip(),
        description=description,
        image=stored,
        image_alt=image_alt.strip(),
        status="draft",
        created_by_id=getattr(actor, "id", None),
    )
    with _slug_guard(stored):
        db.session.add(project)
    audit.record(actor, "project.create", project, slug=project.slug)
    return project


def update_project(
    project: Project,
    actor,
    *,
    title: str,
    slug: str,
    teaser: str,
    description: str,
    image_alt: str,
    image=None,
    remove_image: bool = False,
) -> Project:
    """Change a project's text and image; a new image replaces the old one."""
    slug = _checked_slug(slug, title, project_id=project.id)
    old_image = project.image
    new_image = uploads.save_image(image) if image is not None else None
    with _slug_guard(new_image):
        project.slug = slug
        project.title = title.strip()
        project.teaser = teaser.strip()
        project.description = description
        project.image_alt = image_alt.strip()
        if new_image or remove_image:
            project.image = new_image
    if old_image and old_image != project.image:
        uploads.delete(old_image)
    audit.record(actor, "project.update", project, slug=project.slug)
    return project


def publish_project(project: Project, actor) -> Project:
    """Make a draft or archived project public."""
    return _change_status(project, actor, "published", allowed_from=("draft", "archived"))


def archive_project(project: Project, actor) -> Project:
    """Close a published project; it stays readable and counts as finished."""
    return _change_status(project, actor, "archived", allowed_from=("published",))


def _change_status(project: Project, actor, status: str, allowed_from: tuple) -> Project:
    if project.status not in allowed_from:
        raise StatusChangeRefused(project.status)
    previous = project.status
    project.status = status
    if status == "published":
        project.published_at = utcnow()
    db.session.flush()
    action = "project.publish" if status == "published" else "project.archive"
    audit.record(actor, action, project, previous=previous)
    return project


def _checked_slug(slug: str, title: str, project_id: int | None) -> str:
    slug = (slug or "").strip().lower()
    if slug:
        if _slug_in_use(slug, project_id):
            raise SlugTaken(slug)
        return slug
    # A suggested slug is ours to change, so a clash gets a number instead of an error.
    base = slugify(title)
    candidate, n = base, 2
    while _slug_in_use(candidate, project_id):
        suffix = f"-{n}"
        candidate, n = base[: SLUG_MAX - len(suffix)] + suffix, n + 1
    return candidate


def _slug_in_use(slug: str, project_id: int | None) -> bool:
    query = select(Project.id).where(Project.slug == slug)
    if project_id is not None:
        query = query.where(Project.id != project_id)
    return db.session.scalar(query) is not None


@contextmanager
def _slug_guard(stored_image: str | None):
    # The unique constraint decides when two staff members pick the same slug at once; the
    # savepoint undoes the change in the session, so nothing half-written is left behind.
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError as exc:
        uploads.delete(stored_image)
        raise SlugTaken() from exc


# Phases --------------------------------------------------------------------------------


def add_phase(
    project: Project, actor, *, title: str, description: str, start_date: date, end_date: date
) -> Phase:
    """Add a dated phase to a project."""
    _check_dates(start_date, end_date)
    phase = Phase(
        title=title.strip(), description=description, start_date=start_date, end_date=end_date
    )
    project.phases.append(phase)
    db.session.flush()
    audit.record(actor, "project.phase_add", project, phase_id=phase.id, title=phase.title)
    return phase


def update_phase(
    phase: Phase, actor, *, title: str, description: str, start_date: date, end_date: date
) -> Phase:
    """Change a phase's title, text or dates."""
    _check_dates(start_date, end_date)
    phase.title = title.strip()
    phase.description = description
    phase.start_date, phase.end_date = start_date, end_date
    db.session.flush()
    audit.record(actor, "project.phase_update", phase.project, phase_id=phase.id,
                 title=phase.title)
    return phase


def delete_phase(phase: Phase, actor) -> None:
    """Remove a phase from its project."""
    project = phase.project
    audit.record(actor, "project.phase_delete", project, phase_id=phase.id, title=phase.title)
    project.phases.remove(phase)
    db.session.flush()


def _check_dates(start_date: date, end_date: date) -> None:
    if end_date < start_date:
        raise InvalidDates()


# Documents -----------------------------------------------------------------------------


def add_document(project: Project, actor, *, title: str, stream) -> Document:
    """Store an uploaded PDF and list it with the project."""
    # Read once with the limit so the stored size is known; save_pdf checks it again.
    data = stream.read(uploads.MAX_PDF_BYTES + 1)
    name = uploads.save_pdf(io.BytesIO(data))
    document = Document(
        title=title.strip(),
        file_name=name,
        size=len(data),
        uploaded_by_id=getattr(actor, "id", None),
    )
    project.documents.append(document)
    db.session.flush()
    audit.record(actor, "project.document_add", project, document_id=document.id,
                 title=document.title)
    return document


def delete_document(document: Document, actor) -> None:
    """Remove a document and its file."""
    project = document.project
    audit.record(actor, "project.document_delete", project, document_id=document.id,
                 title=document.title)
    project.documents.remove(document)
    db.session.flush()
    uploads.delete(document.file_name)
