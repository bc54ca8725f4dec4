"""Editable pages (imprint, privacy notice, accessibility statement, Leichte Sprache), the
site's own settings (the city's name, logo and colour) and accessibility feedback."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, validates

from ..core.content_version import unseen
from ..core.redirects import safe_next
from ..core.sanitize import render_markdown
from ..core.time import utcnow
from ..extensions import db


class Page(db.Model):
    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    # Markdown, and the HTML it renders to, kept in step by _render_body. Line breaks stay:
    # an address, or Leichte Sprache with one sentence a line, is written line by line.
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @validates("body")
    def _render_body(self, _key, text):
        self.body_html = render_markdown(text, hard_breaks=True)
        return text


class SiteSettings(db.Model):
    """The one row of what an admin sets for the whole site; absent until first saved."""

    __tablename__ = "site_settings"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1, autoincrement=False)
    city_name: Mapped[str] = mapped_column(String(120), default="")
    # Stored upload names (core/uploads.py); the logo's text for people who cannot see it.
    logo: Mapped[str | None] = mapped_column(String(64))
    logo_alt: Mapped[str] = mapped_column(String(300), default="")
    # "#rrggbb", dark enough for white text and for links on the light backgrounds; None
    # keeps the stylesheet's own colour.
    accent_color: Mapped[str | None] = mapped_column(String(7))
    # Where accessibility feedback is mailed; None: to every admin.
    feedback_email: Mapped[str | None] = mapped_column(String(254))
    sign_video: Mapped[str | None] = mapped_column(String(64))
    sign_captions: Mapped[str | None] = mapped_column(String(64))
    # Grows with every save: the colour stylesheet's URL carries it, so caches may keep
    # each version for ever.
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class AccessibilityFeedback(db.Model):
    """A message sent through the feedback form of the accessibility statement."""

    __tablename__ = "accessibility_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    message: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    # The page the problem is on, as the person gave it (a local path when prefilled).
    page: Mapped[str] = mapped_column(String(500), default="")

    @property
    def page_link(self) -> str | None:
        """The page as a link, when it is a path on this site; None for anything else."""
        return safe_next(self.page, "") or None


# Shown on no page kept for visitors (core/page_cache.py): writes here leave the content
# version alone.
unseen(AccessibilityFeedback)
