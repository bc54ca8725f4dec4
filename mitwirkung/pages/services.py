"""Legal pages: the imprint and the privacy notice, edited by admins."""

from flask_babel import gettext as _
from sqlalchemy import select

from ..core import audit
from ..extensions import db
from .models import Page

# The pages every site must have, with the title they start with.
LEGAL_PAGES = {"impressum": "Impressum", "datenschutz": "Datenschutzerklärung"}


def get_page(slug: str) -> Page | None:
    """The stored page, or a not yet saved empty one for a legal page; None for others."""
    page = db.session.scalar(select(Page).where(Page.slug == slug))
    if page is None and slug in LEGAL_PAGES:
        page = Page(slug=slug, title=LEGAL_PAGES[slug], body="")
    return page


def save_page(actor, page: Page, title: str, body: str) -> None:
    page.title = title.strip()
    page.body = body
    page.updated_by_id = actor.id
    if page.id is None:
        db.session.add(page)
    db.session.flush()
    audit.record(actor, "page.edit", page, slug=page.slug)


def placeholder_text() -> str:
    return _("This page has not been written yet.")
