"""The form of a tally sheet: the number of cards and one count per option, blank and
invalid of every question; a new sheet also names its station and day."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import TextInput

from ...core.forms import Form
from ..models import AnswerKind, Vote
from .forms import _collected_on, _station
from .tally_sheets import MAX_COUNT, SheetFigures, choices

# Text with a numeric keyboard, not type=number: a scroll wheel or arrow key would change
# a count unnoticed.
NUMBER = {"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off", "class": "count"}


class TallySheetForm(Form):
    cards = IntegerField(
        _l("Number of cards"),
        validators=[InputRequired(message=_l("Please enter the number of cards.")),
                    NumberRange(min=1, max=MAX_COUNT)],
        widget=TextInput(),
        description=_l("All cards of this box, blank and invalid ones included."),
        render_kw=NUMBER,
    )

    # Per question: (question, [(field name, kind, option code or None)]); set by tally_form.
    question_fields: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Sum errors of a whole question, by question code (shown on its fieldset).
        self.question_errors: dict[str, str] = {}

    def figures(self) -> SheetFigures:
        counts: dict[str, dict] = {}
        for question, fields in self.question_fields:
            entry = counts.setdefault(question.code, {"options": {}})
            for name, kind, option in fields:
                n = self[name].data or 0  # an empty field is none of these
                if kind == AnswerKind.OPTION:
                    entry["options"][option] = n
                else:
                    entry[kind] = n
        return SheetFigures(self.cards.data or 0, counts)

    def show_errors(self, rejected) -> None:
        """Put each error of a refused sheet (tally_sheets.SheetRejected) in its place."""
        for key, message in rejected.errors.items():
            if key == "cards":
                self.cards.errors.append(message)
            else:
                self.question_errors[key] = message

    def has_errors(self) -> bool:
        return bool(self.errors or self.question_errors)


def field_name(question_code: str, kind: str, option: str | None) -> str:
    return f"t-{question_code}-" + (f"o-{option}" if kind == AnswerKind.OPTION else kind)


def tally_form(vote: Vote, *, new: bool, figures: SheetFigures | None = None,
               **kwargs) -> TallySheetForm:
    """A tally-sheet form for `vote`; `new` adds station and day; `figures` fill it in."""

    class VoteTallyForm(TallySheetForm):
        pass

    if new:
        VoteTallyForm.station = _station()
        VoteTallyForm.collected_on = _collected_on()
    groups: dict[int, tuple] = {}
    data = {} if figures is None else {"cards": figures.cards}
    for question, kind, option in choices(vote):
        name = field_name(question.code, kind, option)
        label = (next(f"{o.code} – {o.title}" for o in question.options if o.code == option)
                 if kind == AnswerKind.OPTION else
                 _l("No answer (blank)") if kind == AnswerKind.BLANK else _l("Invalid"))
        setattr(VoteTallyForm, name, IntegerField(
            label, validators=[Optional(), NumberRange(min=0, max=MAX_COUNT)],
            widget=TextInput(), render_kw=NUMBER))
        groups.setdefault(question.id, (question, []))[1].append((name, kind, option))
        if figures is not None:
            data[name] = figures.of(question.code, kind, option)
    VoteTallyForm.question_fields = list(groups.values())
    return VoteTallyForm(data=data, **kwargs)
