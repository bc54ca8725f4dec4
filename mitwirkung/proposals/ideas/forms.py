"""Forms of an idea's life: submitting (in two steps), editing, withdrawing; the staff's
answer, admissibility check and shortlist."""

import secrets

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
)

from ...core.forms import Form
from ...core.image_fields import image_fields, require_alt_text
from ...core.maps import point_fields
from ..models import TEXT_MAX, TITLE_MAX, Feasibility, IdeaStatus, WithdrawReason
from .services import IdeaFields

PLACE_MAX = 200
NOTE_MAX = 1000
ANSWER_MAX = 5000
# The random key a submission carries from its first step to saving (token_urlsafe(16)).
KEY_PATTERN = r"^[A-Za-z0-9_-]{16,43}$"


def _coerce_category(value):
    """The chosen category's id; anything that is not a number is no choice."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class IdeaForm(Form):
    """What a resident writes: title, text, category, place (and, on a board with a map,
    its coordinates)."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)],
                        description=_l("At most %(max)d characters.", max=TITLE_MAX))
    text = TextAreaField(
        _l("Your idea"), validators=[DataRequired(), Length(max=TEXT_MAX)],
        description=_l("What should happen, where and for whom? At most %(max)d characters. "
                       "Web addresses become links.", max=TEXT_MAX))
    category_id = SelectField(_l("Category"), coerce=_coerce_category,
                              validators=[DataRequired(message=_l("Please choose a category."))])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=PLACE_MAX)],
                        description=_l("An address or a description of the place, e.g. "
                                       "Stiftsplatz."))
    # Coordinates, shown only on a board with a map (core/maps.py checks them as a pair).
    latitude, longitude = point_fields()

    def for_board(self, board):
        """Fit the form to `board`: its categories (none: no field), coordinates only where
        the board has a map."""
        if board.categories:
            self.category_id.choices = [SelectChoice(0, _l("Choose a category"))] + [
                SelectChoice(category.id, category.name) for category in board.categories]
        else:
            del self.category_id
        if not board.map_enabled:
            del self.latitude
            del self.longitude
        return self

    def fields(self) -> IdeaFields:
        def number(name):
            return self[name].data if name in self else None

        return IdeaFields(
            title=self.title.data or "", text=self.text.data or "",
            category_id=self.category_id.data if "category_id" in self else None,
            place=self.place.data or "", latitude=number("latitude"),
            longitude=number("longitude"))

    @classmethod
    def from_idea(cls, idea, **kwargs):
        return cls(data={"title": idea.title, "text": idea.text,
                         "category_id": idea.category_id or 0, "place": idea.place,
                         "latitude": idea.latitude, "longitude": idea.longitude,
                         "image_alt": idea.image_alt}, **kwargs)


# The fields of the first step, carried as hidden fields through the second.
FIRST_STEP = ("title", "text", "category_id", "place", "latitude", "longitude", "accept_rules",
              "submission_key")


class SubmitForm(IdeaForm):
    """A new idea: the first step asks what it is (and, in a competition, that the rules
    are accepted); the second shows similar ideas and asks for an optional image."""

    accept_rules = BooleanField(
        _l("I have read the rules of the competition and accept them."),
        validators=[DataRequired(message=_l("Please accept the rules to take part."))])
    submission_key = HiddenField(validators=[InputRequired(), Regexp(KEY_PATTERN)],
                                 default=lambda: secrets.token_urlsafe(16))
    image_file, image_alt, remove_image = image_fields()

    validate_image_alt = require_alt_text

    def for_board(self, board):
        super().for_board(board)
        if not board.competition:
            del self.accept_rules
        del self.remove_image  # nothing to remove yet
        return self

    def first_step_errors(self) -> bool:
        return any(self[name].errors for name in FIRST_STEP if name in self)


class EditForm(IdeaForm):
    image_file, image_alt, remove_image = image_fields()
    has_image = False  # set when the idea has one
    validate_image_alt = require_alt_text


class WithdrawForm(Form):
    reason = RadioField(_l("Why do you withdraw the idea?"),
                        choices=[SelectChoice(reason.value, reason.label)
                                 for reason in WithdrawReason],
                        validators=[InputRequired(message=_l("Please choose a reason."))])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=NOTE_MAX)],
                         description=_l("For example, which idea it duplicates. Only you, "
                                        "the moderators and city staff read it."))


class AnswerForm(Form):
    status = SelectField(_l("Status"), choices=[SelectChoice(status.value, status.label)
                                                for status in IdeaStatus],
                         validators=[InputRequired()])
    answer = TextAreaField(
        _l("Official answer"), validators=[DataRequired(message=_l(
            "Please write the answer: the public and the author read it.")),
            Length(max=ANSWER_MAX)],
        description=_l("Public, in the idea's history; the author gets it by e-mail."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="answer", **kwargs)


class FeasibilityForm(Form):
    feasibility = RadioField(_l("Admissibility"),
                             choices=[SelectChoice(value.value, value.label)
                                      for value in Feasibility],
                             validators=[InputRequired(message=_l(
                                 "Please choose admissible or not admissible."))])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=ANSWER_MAX)],
                           description=_l("Needed when the idea is not admissible. Public."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="feasibility", **kwargs)
