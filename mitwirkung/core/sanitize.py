"""The only module that touches bleach: user text becomes safe HTML here and nowhere else."""

import bleach
import markdown as markdown_lib
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4",
    "blockquote", "code", "pre", "hr",
}
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = {"http", "https", "mailto"}


def clean_html(html: str) -> str:
    """Strip everything but a small set of harmless tags and attributes."""
    return bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )


def render_markdown(text: str | None) -> Markup:
    """Markdown from a user, as sanitised HTML ready for a template."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"])
    linked = bleach.linkify(clean_html(html), callbacks=[_nofollow])
    return Markup(linked)


def _nofollow(attrs, new=False):
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs
