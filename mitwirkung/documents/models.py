"""Texts commented section by section (the city's guidelines, a draft statute): a text on a
project, its versions, and its sections. A section keeps its id from version to version
while its key (from its heading) stays, so its comments stay with it."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db


class TextDocument(db.Model):
    __tablename__ = "text_documents"
    __table_args__ = (UniqueConstraint("project_id", "slug", name="uq_text_documents_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    project = relationship("Project", lazy="joined")
    sections: Mapped[list["DocumentSection"]] = relationship(
        back_populates="document", order_by="DocumentSection.position",
        cascade="all, delete-orphan", passive_deletes=True)


class DocumentSection(db.Model):
    """One heading's part of a text. `key` is made from the heading when the section first
    appears; a new version that keeps the key keeps the section (and its comments)."""

    __tablename__ = "document_sections"
    __table_args__ = (UniqueConstraint("document_id", "key", name="uq_document_sections_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("text_documents.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(120))
    heading: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")  # Markdown of the latest version
    text_html: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    document: Mapped[TextDocument] = relationship(back_populates="sections", lazy="joined")
