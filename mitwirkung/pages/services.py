"""The site's own pages: imprint, privacy notice, accessibility statement and Leichte
Sprache, edited by admins; each shows its prefilled text until it is first saved."""

from flask_babel import gettext as _
from sqlalchemy import select

from ..core import audit
from ..extensions import db
from .defaults import PLACEHOLDER, SITE_PAGES
from .models import Page

STATEMENT = "barrierefreiheit"
EASY_LANGUAGE = "leichte-sprache"


def get_page(slug: str) -> Page | None:
    """The stored page; for a page every site has, a not yet saved one with its prefilled
    text; None for others."""
    page = db.session.scalar(select(Page).where(Page.slug == slug))
    if page is None and slug in SITE_PAGES:
        title, body = SITE_PAGES[slug]
        page = Page(slug=slug, title=title, body=body)
    return page


def save_page(actor, page: Page, title: str, body: str) -> None:
    page.title = title.strip()
    page.body = body
    page.updated_by_id = actor.id
    if page.id is None:
        db.session.add(page)
    db.session.flush()
    audit.record(actor, "page.edit", page, slug=page.slug)


def create_missing_pages(actor) -> None:
    """Save the prefilled text of each site page that was never saved (the demo)."""
    for slug in SITE_PAGES:
        page = get_page(slug)
        if page.id is None:
            save_page(actor, page, page.title, page.body)


def open_placeholders(page: Page) -> int:
    """How many gaps marked [BITTE ERGÄNZEN …] or [BITTE PRÜFEN …] the text still has."""
    return len(PLACEHOLDER.findall(page.body or ""))


def placeholder_text() -> str:
    return _("This page has not been written yet.")
