"""A text as staff paste or upload it, split into sections: each heading (of the chosen
levels) starts one, the text before the first heading is the introduction. A section's key
comes from its heading, so the same heading in the next version finds the same section.

Headings are found by a Markdown parser, not by lines starting with "#": a "#" in a code
block or a quotation starts nothing, and underlined headings count too."""

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from markdown_it import MarkdownIt

from ..core.domain import DomainError
from .models import INTRO_KEY

MAX_CHARS = 200_000  # a long statute is about 60,000
MAX_SECTIONS = 300
HEADING_MAX = 300
KEY_MAX = 80
FALLBACK_KEY = "abschnitt"
_GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# Control characters other than tab and line breaks: a binary file, or a paste gone wrong.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Blocks only: splitting needs the headings and their lines, not the inline markup.
_BLOCKS = MarkdownIt("commonmark", {"html": False}).disable("inline")
_INLINE = MarkdownIt("commonmark", {"html": False})


class TextRejected(DomainError):
    """A text that cannot become sections; the message says why."""

    field = "markdown"


class TextEmpty(TextRejected):
    message = _l("Please paste the text or choose a file: the text is empty.")


class TextTooLong(TextRejected):
    # The number is written out so each language writes it its own way (MAX_CHARS).
    message = _l("The text has more than 200,000 characters; please split it into several "
                 "texts.")


class TooManySections(TextRejected):
    message = _l("The text has more than %(max)s sections; please split it into several "
                 "texts or start sections only at higher headings.")


class NotText(TextRejected):
    message = _l("The text contains control characters (such as NUL) and looks like a "
                 "binary file. Please paste or upload plain text (Markdown).")


class NotUtf8(TextRejected):
    message = _l("The file is not UTF-8 text. Please save it as UTF-8 (in most editors: "
                 "“Save as”, encoding UTF-8) and upload it again.")


@dataclass(frozen=True)
class Part:
    """A section of one version as parsed: its key, heading, level on the page and text."""

    key: str
    heading: str
    level: int
    text: str


def decode_upload(data: bytes) -> str:
    """An uploaded .md or .txt file as text (UTF-8, with or without a byte order mark)."""
    if b"\x00" in data:
        raise NotText
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotUtf8 from None


def check(markdown: str) -> str:
    """The text with line breaks made uniform, or TextRejected."""
    text = (markdown or "").replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        raise NotText
    if not text.strip():
        raise TextEmpty
    if len(text) > MAX_CHARS:
        raise TextTooLong
    return text


def split(markdown: str, depth: int = 6) -> list[Part]:
    """The sections of `markdown`: headings of levels 1 to `depth` start one each."""
    text = check(markdown)
    lines = text.split("\n")
    tokens = _BLOCKS.parse(text)
    # (first line, line after the heading, level, heading) of each section's heading.
    starts = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0 and int(token.tag[1]) <= depth:
            heading = _plain(tokens[index + 1].content)
            starts.append((token.map[0], token.map[1], int(token.tag[1]), heading))
    if len(starts) + 1 > MAX_SECTIONS:
        raise TooManySections(max=MAX_SECTIONS)
    parts = []
    used: set[str] = set()
    intro = _body(lines[:starts[0][0]] if starts else lines)
    if intro:
        parts.append(Part(INTRO_KEY, "", 2, intro))
    levels = _page_levels([level for _first, _after, level, _heading in starts])
    for number, (_first, after, _level, heading) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(lines)
        key = unique_key(section_key(heading), used)
        used.add(key)
        parts.append(Part(key, heading, levels[number], _body(lines[after:end])))
    return parts


def _body(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n").rstrip()


def _plain(source: str) -> str:
    """A heading's words without their markup ("Ziele *neu*" -> "Ziele neu")."""
    tokens = _INLINE.parseInline(source)
    children = (tokens[0].children or []) if tokens else []
    words = []
    for token in children:
        if token.type in ("text", "code_inline"):
            words.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            words.append(" ")
    return " ".join("".join(words).split())[:HEADING_MAX]


def _page_levels(levels: list[int]) -> list[int]:
    """Heading levels on the page (the text's title is the h1): a heading is one level
    below the nearest heading before it of a higher level, or h2 if there is none, so no
    level is skipped however the text numbers its headings."""
    shown: list[int] = []
    above: list[tuple[int, int]] = []  # (level in the text, level on the page)
    for level in levels:
        while above and above[-1][0] >= level:
            above.pop()
        page_level = min(above[-1][1] + 1, 6) if above else 2
        above.append((level, page_level))
        shown.append(page_level)
    return shown


def section_key(heading: str) -> str:
    """The key of a heading: lower-case ASCII words joined by hyphens, umlauts spelled out
    ("3. Beteiligung für alle" -> "3-beteiligung-fuer-alle")."""
    text = heading.lower().translate(_GERMAN_LETTERS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(key) > KEY_MAX:
        key = key[:KEY_MAX].rsplit("-", 1)[0] or key[:KEY_MAX]
    return key or FALLBACK_KEY


def unique_key(key: str, used: set[str]) -> str:
    """`key`, or `key-2`, `key-3` ... where the text already has it."""
    if key not in used:
        return key
    number = 2
    while f"{key}-{number}" in used:
        number += 1
    return f"{key}-{number}"


class NotATextFile(TextRejected):
    message = _l("Please choose a .md or .txt file.")


UPLOAD_SUFFIXES = (".md", ".markdown", ".txt")


def read_upload(filename: str, stream) -> str:
    """An uploaded .md or .txt file as text, read no further than a text may be long."""
    if not filename.lower().endswith(UPLOAD_SUFFIXES):
        raise NotATextFile
    data = stream.read(MAX_CHARS * 4 + 1)  # UTF-8 needs at most four bytes a character
    if len(data) > MAX_CHARS * 4:
        raise TextTooLong
    return check(decode_upload(data))
