"""What every template may use."""

from flask import Flask
from flask_babel import format_decimal, format_number, get_locale

from .i18n import content, content_lang, template_gettext, template_ngettext
from .permissions import can
from .sanitize import stored_html
from .time import format_day, format_moment


def register(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(can=can, get_locale=get_locale, content_lang=content_lang)
    # In place of what Flask-Babel installed (core/i18n.py: the same strings, cheaper).
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext,
                                 ngettext=template_ngettext)
    app.jinja_env.filters.update(
        stored_html=stored_html,
        content=content,
        date=format_day,
        datetime=format_moment,
        format_number=format_number,
        format_percent=format_share,
    )


def format_share(percent: float) -> str:
    """60.5 -> '60,5 %' in German, '60.5 %' in English."""
    return format_decimal(percent, format="#,##0.0") + "\u00a0%"
