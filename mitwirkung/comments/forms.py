"""The comment form: the text, the comment it answers (if a reply) and a key against
double clicks."""

import secrets

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp
from wtforms.widgets import HiddenInput

from ..core.forms import Form
from .models import TEXT_MAX

KEY_PATTERN = r"^[A-Za-z0-9_-]{16,43}$"


class CommentForm(Form):
    text = TextAreaField(
        _l("Your comment"),
        validators=[DataRequired(message=_l("Please write your comment.")),
                    Length(max=TEXT_MAX, message=_l(
                        "A comment can have at most %(max)d characters.", max=TEXT_MAX))],
        description=_l("Plain text, up to %(max)d characters. Links become clickable.",
                       max=TEXT_MAX))
    parent_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    submission_key = HiddenField(validators=[InputRequired(), Regexp(KEY_PATTERN)],
                                 default=lambda: secrets.token_urlsafe(16))


class DeleteForm(Form):
    """Only the CSRF token: the comment is in the address."""
