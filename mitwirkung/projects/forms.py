"""Forms for staff: project, phase and document."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from ..core.forms import Form
from ..core.image_fields import image_fields, require_alt_text
from ..core.markdown_field import markdown_field
from .services import SLUG_MAX, SLUG_PATTERN


class ProjectForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Web address (slug)"),
        validators=[
            Optional(),
            Length(max=SLUG_MAX),
            Regexp(SLUG_PATTERN, message=_l("Use only lower-case letters, digits and hyphens.")),
        ],
        description=_l(
            "Appears in the link, e.g. pfalztheater. Leave empty to derive it from the title."
        ),
    )
    teaser = TextAreaField(
        _l("Teaser"),
        validators=[DataRequired(), Length(max=400)],
        description=_l("One or two sentences shown on the project card."),
    )
    description = markdown_field(_l("Description"))
    image_file, image_alt, remove_image = image_fields()

    # Set by the view when editing a project that already has an image.
    has_image = False

    validate_image_alt = require_alt_text

    def values(self) -> dict:
        """The text fields as keyword arguments for the services."""
        return {
            "title": self.title.data,
            "slug": self.slug.data or "",
            "teaser": self.teaser.data,
            "description": self.description.data or "",
            "image_alt": self.image_alt.data or "",
        }


class PhaseForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    start_date = DateField(
        _l("Start date"), validators=[InputRequired(message=_l("Please enter a date."))]
    )
    end_date = DateField(
        _l("End date"), validators=[InputRequired(message=_l("Please enter a date."))]
    )

    def validate_end_date(self, field):
        if self.start_date.data and field.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date must not be before the start date."))

    def values(self) -> dict:
        """The fields as keyword arguments for the services."""
        return {
            "title": self.title.data,
            "description": self.description.data or "",
            "start_date": self.start_date.data,
            "end_date": self.end_date.data,
        }


class DocumentForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    file = FileField(
        _l("PDF file"),
        validators=[FileRequired(message=_l("Please choose a PDF file."))],
        description=_l("PDF, at most 5 MB."),
    )
