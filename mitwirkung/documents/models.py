"""Texts commented section by section (the city's guidelines, a draft statute): a text on a
project, its versions, and its sections. A section keeps its id from version to version
while its key (from its heading) stays, so its comments stay with it.

Every version keeps its whole Markdown (TextVersion) and each section's text in it
(SectionVersion), so what changed in a section since any version can be shown. A section
that a later version drops stays, with its comments, as a section of earlier versions.
"""

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db

INTRO_KEY = "_intro"  # the text before the first heading; no heading's key starts with _


class TextDocument(db.Model):
    __tablename__ = "text_documents"
    __table_args__ = (
        UniqueConstraint("project_id", "slug", name="uq_text_documents_slug"),
        CheckConstraint("comments_until IS NULL OR comments_from IS NULL "
                        "OR comments_from <= comments_until", name="comment_days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The number of the latest version (0 only while the first one is being saved).
    current_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Commenting is open on these local days, both included; empty: no limit that side.
    comments_from: Mapped[date | None]
    comments_until: Mapped[date | None]

    project = relationship("Project", lazy="joined")
    sections: Mapped[list["DocumentSection"]] = relationship(
        back_populates="document", order_by="DocumentSection.position",
        cascade="all, delete-orphan", passive_deletes=True)
    versions: Mapped[list["TextVersion"]] = relationship(
        back_populates="document", order_by="TextVersion.number",
        cascade="all, delete-orphan", passive_deletes=True)


class DocumentSection(db.Model):
    """One heading's part of a text. `key` is made from the heading when the section first
    appears; a new version that keeps the key keeps the section (and its comments)."""

    __tablename__ = "document_sections"
    __table_args__ = (
        UniqueConstraint("document_id", "key", name="uq_document_sections_key"),
        CheckConstraint("first_version <= changed_in AND changed_in <= last_version",
                        name="versions"),
        CheckConstraint("level BETWEEN 2 AND 6", name="level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("text_documents.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(120))
    heading: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")  # Markdown of the latest version
    text_html: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    # The heading level on the page (the text's title is the h1).
    level: Mapped[int] = mapped_column(default=2, server_default="2")
    # The first and the latest version that contain it: it is in the current text when
    # last_version is the document's current version.
    first_version: Mapped[int] = mapped_column(default=1, server_default="1")
    last_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # The version whose text it has now: later than first_version when it was changed.
    changed_in: Mapped[int] = mapped_column(default=1, server_default="1")

    document: Mapped[TextDocument] = relationship(back_populates="sections", lazy="joined")

    @property
    def is_current(self) -> bool:
        return self.last_version == self.document.current_version

    @property
    def is_intro(self) -> bool:
        return self.key == INTRO_KEY

    @property
    def was_changed(self) -> bool:
        return self.changed_in > self.first_version

    @property
    def title(self) -> str:
        """The heading as shown: the introduction and a heading without words get a name."""
        if self.is_intro:
            return _("Introduction")
        return self.heading or _("Section without heading")


class TextVersion(db.Model):
    """A version of a text as staff saved it: its whole Markdown and how it was split."""

    __tablename__ = "text_versions"
    __table_args__ = (
        UniqueConstraint("document_id", "number", name="uq_text_versions_number"),
        CheckConstraint("number >= 1", name="number"),
        CheckConstraint("heading_depth BETWEEN 1 AND 6", name="heading_depth"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("text_documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    markdown: Mapped[str] = mapped_column(Text)
    # Headings of levels 1 to this start a section; deeper ones stay in a section's text.
    heading_depth: Mapped[int] = mapped_column(default=6)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))

    document: Mapped[TextDocument] = relationship(back_populates="versions")
    section_texts: Mapped[list["SectionVersion"]] = relationship(
        back_populates="version", order_by="SectionVersion.position",
        cascade="all, delete-orphan", passive_deletes=True)


class SectionVersion(db.Model):
    """A section's heading and text as one version had it."""

    __tablename__ = "section_versions"
    __table_args__ = (
        UniqueConstraint("version_id", "section_id", name="uq_section_versions_section"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("text_versions.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(
        ForeignKey("document_sections.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    heading: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[TextVersion] = relationship(back_populates="section_texts")
    section: Mapped[DocumentSection] = relationship()
