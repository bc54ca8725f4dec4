"""Forms for staff setting up a vote: the vote, its questions and their options."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from ...core.forms import Form
from ...core.image_fields import image_fields, require_alt_text
from ...core.markdown_field import markdown_field
from ...core.time import local_to_utc, utc_to_local
from ..models import ResultsVisibility, Vote
from . import questions as vote_questions
from . import services as setup

VISIBILITY_CHOICES = [SelectChoice(visibility.value, visibility.label) for visibility in
                      (ResultsVisibility.AFTER_CLOSE, ResultsVisibility.AFTER_FINAL,
                       ResultsVisibility.LIVE)]
YEARS = (2000, 2100)
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


class VoteForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Web address (slug)"),
        validators=[
            DataRequired(),
            Length(max=setup.SLUG_MAX),
            Regexp(
                setup.SLUG_PATTERN, message=_l("Use only lower-case letters, digits and hyphens.")
            ),
        ],
        description=_l("Appears in the link, e.g. pfalztheater. Fixed once ballots exist."),
    )
    description = markdown_field(_l("Description"))
    opens_at = DateTimeLocalField(
        _l("Opens at"),
        format=DATETIME_FORMATS,
        validators=[InputRequired(message=_l("Please enter a date and time."))],
        description=_l("Local time (Berlin)."),
    )
    closes_at = DateTimeLocalField(
        _l("Closes at"),
        format=DATETIME_FORMATS,
        validators=[InputRequired(message=_l("Please enter a date and time."))],
        description=_l("Local time (Berlin). Must be after the opening time."),
    )
    results_visibility = SelectField(
        _l("Results visible"),
        choices=VISIBILITY_CHOICES,
        default=ResultsVisibility.AFTER_CLOSE,
        validators=[InputRequired()],
    )
    double_entry = BooleanField(
        _l("Double entry of paper ballots"),
        description=_l(
            "A batch of paper ballots counts only once a second staff member has entered "
            "the same cards and both entries agree. Fixed once paper ballots are entered."
        ),
    )

    @classmethod
    def for_vote(cls, vote: Vote) -> "VoteForm":
        """The form filled from `vote`, its times shown in local time."""
        return cls(
            data={
                "title": vote.title,
                "slug": vote.slug,
                "description": vote.description,
                "opens_at": utc_to_local(vote.opens_at),
                "closes_at": utc_to_local(vote.closes_at),
                "results_visibility": vote.results_visibility,
                "double_entry": vote.double_entry,
            }
        )

    def validate_opens_at(self, field):
        _check_year(field)

    def validate_closes_at(self, field):
        _check_year(field)
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The closing time must be after the opening time."))

    def values(self, slug: str | None = None) -> dict:
        """The fields as keyword arguments for the setup operations, times in UTC.

        `slug` stands in when the slug field was removed because the vote is locked; without
        the double entry field (paper ballots exist) the setting stays as it is.
        """
        return {
            "slug": slug if slug is not None else self.slug.data,
            "title": self.title.data,
            "description": self.description.data or "",
            "opens_at": local_to_utc(self.opens_at.data),
            "closes_at": local_to_utc(self.closes_at.data),
            "results_visibility": self.results_visibility.data,
        } | ({"double_entry": self.double_entry.data} if "double_entry" in self else {})


def _check_year(field) -> None:
    # Far-off years would overflow the conversion to UTC; no vote runs then.
    if field.data and not YEARS[0] <= field.data.year <= YEARS[1]:
        raise ValidationError(_l("Please enter a year between 2000 and 2100."))


class NewVoteForm(VoteForm):
    project_id = SelectField(
        _l("Project"),
        coerce=int,
        # 0 is the "choose a project" placeholder.
        validators=[DataRequired(message=_l("Please choose a project."))],
    )

    # The project comes first on the page.
    def __iter__(self):
        project = self._fields["project_id"]
        yield project
        yield from (f for name, f in self._fields.items() if name != "project_id")


class QuestionForm(Form):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=vote_questions.QUESTION_CODE_MAX),
            Regexp(
                vote_questions.QUESTION_CODE_PATTERN,
                message=_l("Use only lower-case letters, digits, hyphens and underscores."),
            ),
        ],
        description=_l(
            "A short name, e.g. entwurf. It is the column name in paper-ballot CSV files."
        ),
    )
    title = StringField(_l("Question"), validators=[DataRequired(), Length(max=200)])
    help_text = TextAreaField(_l("Help text"), validators=[Optional(), Length(max=2000)])
    position = IntegerField(
        _l("Position"),
        validators=[Optional(), NumberRange(min=0, max=9999)],
        description=_l("Questions are shown in ascending order. Empty: at the end."),
    )

    def values(self) -> dict:
        return {
            "code": self.code.data,
            "title": self.title.data,
            "help_text": self.help_text.data or "",
            "position": self.position.data,
        }


class OptionForm(Form):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=vote_questions.OPTION_CODE_MAX),
            Regexp(vote_questions.OPTION_CODE_PATTERN, message=_l("Use only letters and digits.")),
        ],
        description=_l("Printed on the paper card, e.g. A, B, C. Stored in capitals."),
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    text = TextAreaField(_l("Text"), validators=[Optional(), Length(max=5000)])
    image_file, image_alt, remove_image = image_fields()
    position = IntegerField(
        _l("Position"),
        validators=[Optional(), NumberRange(min=0, max=9999)],
        description=_l("Options are shown in ascending order. Empty: at the end."),
    )

    # Set by the view when editing an option that already has an image.
    has_image = False

    validate_image_alt = require_alt_text

    def values(self) -> dict:
        return {
            "code": self.code.data,
            "title": self.title.data,
            "text": self.text.data or "",
            "image_alt": self.image_alt.data or "",
            "position": self.position.data,
        }
