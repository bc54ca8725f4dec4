"""Forms for staff setting up an idea board and its categories."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from ...core.forms import Form
from ...core.markdown_field import markdown_field
from . import services as setup

YEARS = (2000, 2100)


def _year(form, field):
    if field.data and not YEARS[0] <= field.data.year <= YEARS[1]:
        raise ValidationError(_l("Please enter a year between 2000 and 2100."))


def _day_field(label, description):
    return DateField(label, validators=[Optional(), _year], description=description)


class BoardForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=setup.TITLE_MAX)])
    slug = StringField(
        _l("Web address (slug)"),
        validators=[DataRequired(), Length(max=setup.SLUG_MAX), Regexp(
            setup.SLUG_PATTERN,
            message=_l("Use only lower-case letters, digits and hyphens."))],
        description=_l("Appears in the link, e.g. stadt-raum-wir. Fixed once the board is "
                       "published."))
    description = markdown_field(_l("Description"))
    submit_until = _day_field(_l("Ideas can be submitted until"),
                              _l("The last day, included. Empty: no end."))
    support_from = _day_field(_l("Supporting opens on"),
                              _l("Empty on both: no supporting. In a competition the "
                                 "admissibility check ends when supporting opens."))
    support_until = _day_field(_l("Supporting is open until"), _l("The last day, included."))
    support_limit = IntegerField(
        _l("Supports per person"), validators=[Optional(), NumberRange(min=1, max=10_000)],
        description=_l("How many ideas of this board one person may support. Empty: any "
                       "number."))
    premoderation = BooleanField(
        _l("Pre-moderation"),
        description=_l("New ideas are public only once a moderator has approved them."),
        default=True)
    map_enabled = BooleanField(_l("Map"),
                               description=_l("Ideas may have a point on a map."))
    competition = BooleanField(
        _l("Competition"),
        description=_l("Rules are shown before submitting; staff check each idea's "
                       "admissibility before supporting opens and keep a shortlist."))
    rules = markdown_field(_l("Rules of the competition"),
                           description=_l("Needed for a competition. Markdown."))

    def validate_support_until(self, field):
        start = self.support_from.data
        if start and field.data and field.data < start:
            raise ValidationError(_l("Supporting must end on or after the day it starts."))

    def settings(self, slug: str | None = None) -> setup.BoardSettings:
        return setup.BoardSettings(
            title=self.title.data or "", slug=slug if slug is not None else self.slug.data,
            description=self.description.data or "", submit_until=self.submit_until.data,
            support_from=self.support_from.data, support_until=self.support_until.data,
            support_limit=self.support_limit.data, map_enabled=self.map_enabled.data,
            premoderation=self.premoderation.data, competition=self.competition.data,
            rules=self.rules.data or "")


class NewBoardForm(BoardForm):
    project_id = SelectField(_l("Project"), coerce=int, validators=[
        DataRequired(message=_l("Please choose a project."))])

    def __iter__(self):
        yield self._fields["project_id"]
        yield from (f for name, f in self._fields.items() if name != "project_id")


class CategoryForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=setup.CATEGORY_MAX)],
                       description=_l("Always shown as text, beside its colour."))
    colour = StringField(
        _l("Colour"),
        validators=[Optional(), Regexp(setup.COLOUR_PATTERN, message=_l(
            "Please write the colour as # and six hexadecimal digits, e.g. #0b5a8a."))],
        description=_l("As # and six hexadecimal digits, e.g. #0b5a8a."))
