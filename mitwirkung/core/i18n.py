"""Locale choice: the language a person picked, else German."""

from flask import current_app, has_request_context, session
from flask_babel import get_locale
from markupsafe import Markup, escape


def select_locale() -> str:
    chosen = session.get("lang") if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


# The language the city's staff write content in (projects, votes, pages). In an interface
# of another language that content keeps its language, marked as such (WCAG 3.1.2), so a
# screen reader reads "Theatergarten" in German in the English interface too.
CONTENT_LANGUAGE = "de"


def _other_language() -> bool:
    locale = get_locale()
    return locale is not None and locale.language != CONTENT_LANGUAGE


def content_lang() -> Markup:
    """The attribute for an element that holds content: ` lang="de"` where the interface
    speaks another language, else nothing."""
    return Markup(f' lang="{CONTENT_LANGUAGE}"') if _other_language() else Markup("")


def content(text) -> Markup:
    """Content text, escaped, in a span marked with its language where the interface speaks
    another language (for content inside a sentence of the interface, or a link)."""
    if not _other_language():
        return escape(text)
    return Markup('<span lang="{}">{}</span>').format(CONTENT_LANGUAGE, text)
