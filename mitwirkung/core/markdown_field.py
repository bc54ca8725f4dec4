"""The form field for Markdown texts (descriptions, pages): length and rendering bounds
checked with the form, so a refused text comes back with a message and nothing is lost."""

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField, ValidationError
from wtforms.validators import Length, Optional

from .sanitize import markdown_problem

MAX_LENGTH = 50_000
HINT = _l("Markdown: **bold**, *italic*, lists, [links](https://...).")


def _renderable(form, field):
    problem = markdown_problem(field.data)
    if problem:
        raise ValidationError(problem)


def markdown_field(label, description=HINT, **render_kw) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), Length(max=MAX_LENGTH), _renderable],
                         description=description, render_kw=render_kw or None)
