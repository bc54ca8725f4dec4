"""What every template may use."""

from flask import Flask
from flask_babel import format_date, format_datetime, get_locale

from .permissions import ROLE_LABELS, can
from .sanitize import render_markdown


def register(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(can=can, get_locale=get_locale, role_labels=ROLE_LABELS)
    app.jinja_env.filters.update(
        markdown=render_markdown, date=format_date, datetime=format_datetime
    )
