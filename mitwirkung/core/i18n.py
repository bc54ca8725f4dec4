"""Locale choice: the language a person picked, else German."""

import flask_babel
from flask import current_app, g, has_request_context, session
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
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


# Translations in templates ---------------------------------------------------------------
#
# Flask-Babel finds the translations anew for every string: three look-ups of the context
# and the locale's name, about 10 microseconds, and Jinja's i18n extension wraps that in
# three more calls; a list of twenty ideas says some fifty strings. These keep the
# request's translations beside Flask-Babel's own locale and domain, and take them again
# whenever either is another object (force_locale, a domain made default).
_CACHE = "mitwirkung_translations"


def translations():
    """The translations for the current locale, as flask_babel.get_translations()."""
    try:
        namespace = g._flask_babel  # Flask-Babel's per-context namespace
        locale, domain = namespace.babel_locale, namespace.babel_domain
    except (AttributeError, RuntimeError):  # no context, or nothing translated yet
        return get_translations()
    cached = namespace.__dict__.get(_CACHE)
    if cached is not None and cached[0] is locale and cached[1] is domain:
        return cached[2]
    found = get_translations()
    setattr(namespace, _CACHE, (locale, domain, found))
    return found


def translated(text) -> str:
    """`text` as a str in the current locale: a lazy_gettext string through translations()
    (str() of it asks Flask-Babel anew, about 10 microseconds), anything else by str()."""
    if isinstance(text, LazyString) and text._func is flask_babel.gettext and len(text._args) == 1:
        found = translations().ugettext(text._args[0])
        return found % text._kwargs if text._kwargs else found
    return str(text)


# What Jinja's i18n extension does with "newstyle" callables (jinja2.ext._make_new_gettext):
# always %-formatted, Markup where the template escapes, so `%(num)d` and `%%` read alike
# (a text without "%" and without variables is itself).
@pass_eval_context
def template_gettext(eval_ctx, string: str, **variables):
    text = translations().ugettext(string)
    if eval_ctx.autoescape:
        text = Markup(text)
    return text % variables if variables or "%" in text else text


@pass_eval_context
def template_ngettext(eval_ctx, singular: str, plural: str, num: int, **variables):
    variables.setdefault("num", num)
    text = translations().ungettext(singular, plural, num)
    return (Markup(text) if eval_ctx.autoescape else text) % variables
