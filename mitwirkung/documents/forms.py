"""Forms for staff: a new text, a new version, a text's settings."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from ..core.forms import Form
from . import parsing, services

DEPTHS = [
    SelectChoice(6, _l("Every heading (# to ######)")),
    SelectChoice(3, _l("Headings of levels 1 to 3 (# to ###); deeper ones stay inside "
                       "their section")),
    SelectChoice(2, _l("Headings of levels 1 and 2 (# and ##)")),
    SelectChoice(1, _l("Only headings of level 1 (#)")),
]
YEARS = (2000, 2100)


class NeededUnlessUploaded:
    """Marks the text as needed on the form (a file may stand in for it, which the hint
    says); parsing refuses an empty text with its own message."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        pass


def _year(form, field):
    if field.data and not YEARS[0] <= field.data.year <= YEARS[1]:
        raise ValidationError(_l("Please enter a year between 2000 and 2100."))


class SourceFields:
    """The text, pasted or as a file, and where sections start (new text, new version)."""

    markdown = TextAreaField(
        _l("Text (Markdown)"), validators=[NeededUnlessUploaded()],
        description=_l("Each heading starts a section (# Heading, ## Subheading ...); text "
                       "before the first heading is the introduction. A section keeps its "
                       "comments in later versions while its heading stays the same."),
        render_kw={"rows": 18, "spellcheck": "true"})
    source_file = FileField(
        _l("Or upload a file"),
        description=_l("A .md or .txt file in UTF-8. A chosen file replaces the text above."))
    heading_depth = RadioField(_l("Sections start at"), choices=DEPTHS, coerce=int, default=6,
                               validators=[InputRequired()])

    def source(self) -> str:
        """The uploaded file's text if one was chosen, else the pasted text (or
        parsing.TextRejected, put on the field it is about)."""
        upload = self.source_file.data
        if upload is None or not getattr(upload, "filename", ""):
            return self.markdown.data or ""
        try:
            return parsing.read_upload(upload.filename, upload.stream)
        except parsing.TextRejected as error:
            error.field = "source_file"
            raise


def _day_fields():
    return (DateField(_l("Comments from"), validators=[Optional(), _year],
                      description=_l("The first day on which sections take comments. Empty: "
                                     "from now on.")),
            DateField(_l("Comments until"), validators=[Optional(), _year],
                      description=_l("The last day, included. Empty: no end (until the "
                                     "project is archived).")))


class TextForm(SourceFields, Form):
    title = StringField(_l("Title"), validators=[DataRequired(),
                                                 Length(max=services.TITLE_MAX)])
    slug = StringField(
        _l("Web address (slug)"),
        validators=[Optional(), Length(max=services.SLUG_MAX), Regexp(
            services.SLUG_PATTERN, message=_l("Use only lower-case letters, digits and "
                                              "hyphens."))],
        description=_l("Appears in the link, e.g. leitlinien. Empty: made from the title. "
                       "Fixed once the text is created."))
    comments_from, comments_until = _day_fields()

    def __iter__(self):
        order = ("csrf_token", "title", "slug", "markdown", "source_file", "heading_depth",
                 "comments_from", "comments_until")
        yield from (self._fields[name] for name in order if name in self._fields)

    def settings(self) -> services.TextSettings:
        return services.TextSettings(title=self.title.data or "", slug=self.slug.data or "",
                                     comments_from=self.comments_from.data,
                                     comments_until=self.comments_until.data)


class VersionForm(SourceFields, Form):
    def __iter__(self):
        order = ("csrf_token", "markdown", "source_file", "heading_depth")
        yield from (self._fields[name] for name in order if name in self._fields)


class SettingsForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(),
                                                 Length(max=services.TITLE_MAX)])
    comments_from, comments_until = _day_fields()

    def settings(self) -> services.TextSettings:
        return services.TextSettings(title=self.title.data or "",
                                     comments_from=self.comments_from.data,
                                     comments_until=self.comments_until.data)
