"""The only module that touches bleach: user text becomes safe HTML here and nowhere else.

Markdown is rendered once, when it is saved; pages show the stored HTML. Rendering is bounded
before it starts: a text whose markup would take the parser or the sanitiser long (25,000
brackets took Python-Markdown over 30 s; 500 nested list markers crashed it) is refused
with a message, so every text that is accepted renders in well under 100 ms.
"""

from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter
from flask_babel import lazy_gettext as _l
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4",
    "blockquote", "code", "pre", "hr",
}
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = {"http", "https", "mailto"}

# The work of rendering grows with the markup more than with the length; the bounds below
# are measured (docs/benchmarks.md). Brackets cost most: link parsing is quadratic in them.
MAX_BRACKETS = 500
# What may start markup, weighted by what it costs (a line may open several blocks, a bare
# address becomes a link, an entity is decoded and escaped again): the weighted count
# bounds the work before parsing.
MARKUP_WEIGHTS = {"\n": 3, "://": 5, "www.": 5, "@": 4, "&": 2, "`": 2,
                  **dict.fromkeys("*_~[<!\\", 1)}
MAX_MARKUP = 2000
MAX_TOKENS = 2000  # blocks and inline pieces, counted after parsing
PROBLEMS = {
    "brackets": _l("The text has more than %(limit)d square brackets; please shorten it "
                   "or use fewer links."),
    "markup": _l("The text has too many lines or too much formatting (emphasis marks, links, "
                 "web and e-mail addresses); please shorten or simplify it."),
    "tokens": _l("The text is built from too many parts (paragraphs, list items, links, "
                 "emphasis); please split or simplify it."),
}


class MarkdownTooComplex(ValueError):
    """The text would take too long to render; `message` says why, for the person."""

    def __init__(self, code: str, limit: int):
        super().__init__(code)
        self.code, self.limit = code, limit

    @property
    def message(self) -> str:
        return str(PROBLEMS[self.code]) % {"limit": self.limit}


# Raw HTML in the text stays text; nesting deeper than 20 levels stays text too.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "maxNesting": 20})
# The same, with every line break kept: addresses and texts in Leichte Sprache (one
# sentence a line) are written line by line, and their authors expect to see them so.
_MARKDOWN_BREAKS = MarkdownIt("commonmark", {"html": False, "maxNesting": 20, "breaks": True})


def _nofollow(attrs, new=False):
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs


# Cleaning and linking in one pass of html5lib: that pass is most of a text's rendering time.
_CLEANER = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_nofollow])],
)


def clean_html(html: str) -> str:
    """Strip everything but a small set of harmless tags and attributes; link bare URLs."""
    return _CLEANER.clean(html)


def markdown_problem(text: str | None) -> str | None:
    """Why `text` cannot be rendered (a message for the person), or None."""
    try:
        _tokens(text or "")
    except MarkdownTooComplex as error:
        return error.message
    return None


def render_markdown(text: str | None, hard_breaks: bool = False) -> str:
    """Markdown from a user as sanitised HTML, to be stored; raises MarkdownTooComplex.
    With `hard_breaks` a line break inside a paragraph stays a line break."""
    # Blank text renders to nothing, however long: the form's Optional() lets it through
    # unchecked, and 700 line breaks once passed the markup bound here (a 500).
    if not text or text.isspace():
        return ""
    tokens = _tokens(text)
    markdown = _MARKDOWN_BREAKS if hard_breaks else _MARKDOWN
    return clean_html(markdown.renderer.render(tokens, markdown.options, {}))


def _tokens(text: str):
    """The parsed text, after the bounds that keep parsing and cleaning short."""
    if text.count("[") > MAX_BRACKETS:
        raise MarkdownTooComplex("brackets", MAX_BRACKETS)
    if sum(weight * text.count(mark) for mark, weight in MARKUP_WEIGHTS.items()) > MAX_MARKUP:
        raise MarkdownTooComplex("markup", MAX_MARKUP)
    tokens = _MARKDOWN.parse(text)
    if len(tokens) + sum(len(token.children or ()) for token in tokens) > MAX_TOKENS:
        raise MarkdownTooComplex("tokens", MAX_TOKENS)
    return tokens


def _ugc(attrs, new=False):
    attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs


# Residents' plain text (ideas, comments): everything escaped, then only bare addresses
# become links, marked as user content so search engines do not follow them.
_LINKER = bleach.Linker(callbacks=[_ugc], parse_email=False)


def render_plain_text(text: str | None) -> str:
    """A resident's plain text as HTML to be stored: paragraphs at blank lines, line breaks
    kept, every character escaped, web addresses made links with rel="nofollow ugc"."""
    if not text:
        return ""
    paragraphs = [part.strip("\n") for part in
                  text.replace("\r\n", "\n").replace("\r", "\n").split("\n\n")]
    html = "".join(
        "<p>" + _LINKER.linkify(str(escape(part)).replace("\n", "<br>\n")) + "</p>"
        for part in paragraphs if part.strip())
    return html


def stored_html(html: str | None) -> Markup:
    """HTML that render_markdown produced and a model stored, ready for a template."""
    return Markup(html or "")
