from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class PageForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    body = TextAreaField(
        _l("Text"), validators=[Length(max=50_000)],
        description=_l("Markdown: blank line between paragraphs, ## for headings, * for lists."),
        render_kw={"rows": 18},
    )
