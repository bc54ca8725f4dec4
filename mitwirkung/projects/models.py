"""Projects (Beteiligungen) with their phases and documents."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..core.sanitize import render_markdown
from ..core.time import utcnow
from ..extensions import db

STATUSES = ("draft", "published", "archived")


class Project(db.Model):
    """A participation project; drafts are seen by staff only."""

    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published', 'archived')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    teaser: Mapped[str] = mapped_column(String(400), default="")
    # Markdown, and the HTML it renders to, kept in step by _render_description.
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Stored name under the upload folder, as returned by core.uploads.save_image.
    image: Mapped[str | None] = mapped_column(String(64))
    image_alt: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    phases: Mapped[list["Phase"]] = relationship(
        back_populates="project",
        order_by="(Phase.start_date, Phase.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    documents: Mapped[list["Document"]] = relationship(
        back_populates="project",
        order_by="(Document.created_at, Document.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def is_public(self) -> bool:
        return self.status != "draft"

    @validates("description")
    def _render_description(self, _key, text):
        # Rendered once, when saved: pages show the stored HTML (core/sanitize.py).
        self.description_html = render_markdown(text)
        return text

    def __repr__(self) -> str:
        return f"<Project {self.slug} {self.status}>"


class Phase(db.Model):
    """A dated step of a project, e.g. idea workshop, vote, implementation."""

    __tablename__ = "project_phases"
    __table_args__ = (CheckConstraint("end_date >= start_date", name="dates"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)

    project: Mapped[Project] = relationship(back_populates="phases")


class Document(db.Model):
    """A PDF published with a project, e.g. the minutes of a working group."""

    __tablename__ = "project_documents"
    __table_args__ = (CheckConstraint("size >= 0", name="size"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    project: Mapped[Project] = relationship(back_populates="documents")

    @property
    def size_kb(self) -> int:
        """Size in whole kilobytes, rounded up, for display."""
        return max(1, -(-self.size // 1024))
