"""What every template may use."""

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, format_number, get_locale

from .permissions import can
from .sanitize import stored_html


def register(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(can=can, get_locale=get_locale)
    app.jinja_env.filters.update(
        stored_html=stored_html,
        date=format_date,
        datetime=format_datetime,
        format_number=format_number,
        format_percent=format_share,
    )


def format_share(percent: float) -> str:
    """60.5 -> '60,5 %' in German, '60.5 %' in English."""
    return format_decimal(percent, format="#,##0.0") + "\u00a0%"
