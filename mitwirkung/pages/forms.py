from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..core.markdown_field import markdown_field


class PageForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    body = markdown_field(
        _l("Text"),
        description=_l("Markdown: blank line between paragraphs, ## for headings, * for lists."),
        rows=18,
    )
