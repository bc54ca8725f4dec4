"""Forms for paper ballots: CSV upload and its confirmation, batches typed by hand, voiding."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ...core.forms import Form
from ..models import Vote
from .batches import MAX_EXPECTED_CARDS, STATION_MAX_LENGTH
from .cards import answer_guide, question_specs
from .parse import SERIAL_MAX_LENGTH


def _station():
    return StringField(
        _l("Place"),
        validators=[
            DataRequired(message=_l("Please name the place.")),
            Length(max=STATION_MAX_LENGTH),
        ],
        description=_l("Where the cards were collected: a stall, such as the one at the "
                       "Wochenmarkt, or a ballot box, such as the one at the Rathaus."),
    )


def _collected_on():
    return DateField(
        _l("Date collected"),
        validators=[InputRequired(message=_l("Please enter a date."))],
    )


def _expected_cards():
    return IntegerField(
        _l("Number of cards"),
        validators=[Optional(), NumberRange(min=1, max=MAX_EXPECTED_CARDS,
                                            message=_l("Please enter a whole number from 1 "
                                                       "to %(max)s.", max=MAX_EXPECTED_CARDS))],
        description=_l("How many cards the stack holds, if they were counted: the number "
                       "of cards entered is checked against it."),
        render_kw={"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off",
                   "class": "count"},
    )


class ImportForm(Form):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(message=_l("Please choose a file."))],
        description=_l(
            "Columns: serial, then one per question code; separated by comma or semicolon."
        ),
    )
    station = _station()
    collected_on = _collected_on()
    expected_cards = _expected_cards()


class CheckFileForm(Form):
    """A CSV file of a batch's cards, typed independently, as its check entry."""

    file = FileField(
        _l("CSV file of the check entry"),
        validators=[FileRequired(message=_l("Please choose a file."))],
        description=_l(
            "The same cards, typed again from the paper: serial, then one column per question."
        ),
    )


class ConfirmImportForm(Form):
    """The preview's confirmation: the file travels back in the page, so nothing is kept."""

    content = HiddenField(validators=[DataRequired()])
    sha256 = HiddenField(validators=[DataRequired(), Length(min=64, max=64)])
    file_name = HiddenField()
    station = HiddenField(validators=[DataRequired(), Length(max=STATION_MAX_LENGTH)])
    collected_on = HiddenField(validators=[DataRequired()])
    expected_cards = HiddenField()


class BatchForm(Form):
    station = _station()
    collected_on = _collected_on()
    expected_cards = _expected_cards()


class VoidForm(Form):
    reason = StringField(
        _l("Reason for voiding"),
        validators=[DataRequired(message=_l("Please give a reason.")), Length(max=2000)],
    )


class _Required:
    """Marks a field as required (label and input); the service checks it with the card."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        pass


class CardForm(Form):
    """A paper card: its number and one typed cell per question (added by card_form)."""

    serial = StringField(
        _l("Card number"),
        validators=[_Required(), Length(max=SERIAL_MAX_LENGTH)],
        render_kw={"autocomplete": "off"},
    )

    question_fields: list[tuple[str, str]] = []
    # The card number is the proposal for the next card (cards.serial_guide).
    proposed = False

    def focus(self) -> str:
        """The name of the field the cursor starts in: the first with an error; else the
        card number, or the first answer when the number is proposed (without JavaScript
        the cursor would land before the proposal; Shift+Tab selects it to type over it)."""
        for field in self:
            if field.errors and field.type not in ("HiddenField", "CSRFTokenField"):
                return field.name
        if self.proposed and self.question_fields:
            return self.question_fields[0][1]
        return self.serial.name

    def propose(self, serial: str | None) -> None:
        """Fill in the proposed number for the next card, if there is one."""
        if serial:
            self.serial.data = serial
            self.proposed = True

    def cells(self) -> dict[str, str]:
        """Question code -> typed text."""
        return {code: self[name].data or "" for code, name in self.question_fields}

    def field_for(self, key: str):
        """The field an error of the service belongs to ("serial" or a question code)."""
        names = dict(self.question_fields)
        return self[names[key]] if key in names else self.serial

    def show_errors(self, rejected) -> None:
        """Put each error of a refused card (cards.CardRejected) beside its field."""
        for key, problem in rejected.errors.items():
            self.field_for(key).errors.append(problem.message)


def question_field_name(code: str) -> str:
    return f"q-{code}"


def card_form(vote: Vote, *, entry: bool = False, **kwargs) -> CardForm:
    """A card form with one text field per question of `vote`, what may be typed as hint;
    `entry` for the form that takes card after card (its card number may be proposed)."""

    class VoteCardForm(CardForm):
        pass

    names = []
    for question, spec in zip(vote.questions, question_specs(vote), strict=True):
        name = question_field_name(question.code)
        setattr(VoteCardForm, name, StringField(
            question.title, validators=[Length(max=200)], description=answer_guide(spec),
            render_kw={"autocomplete": "off"},
        ))
        names.append((question.code, name))
    VoteCardForm.question_fields = names
    form = VoteCardForm(**kwargs)
    if entry:
        form.serial.description = _l("From the second card on, the number after the last "
                                     "card is proposed: type over it if the card shows "
                                     "another.")
    return form
