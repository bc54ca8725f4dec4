"""Forms for staff setting up a survey: its settings and its questions.

A question's form is built for its kind (question_form): only the fields that kind uses,
so a staff member at a desk tabs through what matters. Options and matrix statements are
typed one per line; in a quiz a correct option starts with "*".
"""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    Field,
    IntegerField,
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
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import TextInput

from ...core.forms import Form
from ...core.markdown_field import markdown_field
from ...core.time import local_to_utc, utc_to_local
from ...votes.setup.forms import DATETIME_FORMATS, YEARS
from ..answers import _number, format_number
from ..models import Audience, QuestionKind, Survey, SurveyQuestion
from . import questions
from . import services as setup

CORRECT_MARK = "*"


def _year(form, field):
    # Far-off years would overflow the conversion to UTC; no survey runs then.
    if field.data and not YEARS[0] <= field.data.year <= YEARS[1]:
        raise ValidationError(_l("Please enter a year between 2000 and 2100."))


def _moment_field(label, description):
    """A date and time in Berlin's local time, as the votes enter theirs."""
    return DateTimeLocalField(
        label, format=DATETIME_FORMATS, description=description,
        validators=[InputRequired(message=_l("Please enter a date and time.")), _year])


class SurveyForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=setup.TITLE_MAX)])
    slug = StringField(
        _l("Web address (slug)"),
        validators=[DataRequired(), Length(max=setup.SLUG_MAX), Regexp(
            setup.SLUG_PATTERN, message=_l("Use only lower-case letters, digits and hyphens."))],
        description=_l("Appears in the link, e.g. verpackungssteuer. Fixed once the survey "
                       "is published."))
    intro = markdown_field(_l("Introduction"))
    opens_at = _moment_field(_l("Opens at"), _l("Local time (Berlin)."))
    closes_at = _moment_field(_l("Closes at"),
                              _l("Local time (Berlin). Must be after the opening time."))
    audience = RadioField(
        _l("Who may answer"), choices=[SelectChoice(a.value, a.label) for a in Audience],
        default=Audience.CITIZENS, validators=[InputRequired(
            message=_l("Please choose who may answer."))],
        description=_l("Fixed once responses exist."))
    anonymous = BooleanField(
        _l("Anonymous"), default=True,
        description=_l("Responses are stored without the account, mixed with others before "
                       "they count. Fixed once responses exist."))
    confidential = BooleanField(
        _l("Confidential"),
        description=_l("The public sees only how many responded, never the figures."))
    results_public = BooleanField(
        _l("Results public after the close"),
        description=_l("Everyone who may see the survey may read its results once it has "
                       "closed. Staff always can."))
    changeable = BooleanField(
        _l("Responses can be changed until the close"),
        description=_l("Only when not anonymous: an anonymous response cannot be found "
                       "again."))
    quiz = BooleanField(
        _l("Quiz"),
        description=_l("Choice questions have correct answers, and each respondent sees "
                       "their score after sending. Fixed once responses exist."))

    @classmethod
    def for_survey(cls, survey: Survey) -> "SurveyForm":
        return cls(data={
            "title": survey.title, "slug": survey.slug, "intro": survey.intro,
            "opens_at": utc_to_local(survey.opens_at),
            "closes_at": utc_to_local(survey.closes_at), "audience": survey.audience,
            "anonymous": survey.anonymous, "confidential": survey.confidential,
            "results_public": survey.results_public, "changeable": survey.changeable,
            "quiz": survey.quiz})

    def validate_closes_at(self, field):
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The closing time must be after the opening time."))

    def validate_changeable(self, field):
        anonymous = self.anonymous.data if "anonymous" in self else self._anonymous
        if field.data and anonymous:
            raise ValidationError(setup.AnonymousFinal.message)

    # Set by the view when the anonymous field is removed (responses exist).
    _anonymous = False

    def settings(self, survey: Survey | None = None) -> setup.SurveySettings:
        """The fields as settings, times in UTC; a field the view removed (locked) keeps
        the survey's value."""

        def value(name):
            if name in self:
                return self[name].data
            return getattr(survey, name)

        return setup.SurveySettings(
            title=value("title") or "", slug=value("slug") or "",
            intro=value("intro") or "",
            opens_at=local_to_utc(self.opens_at.data),
            closes_at=local_to_utc(self.closes_at.data), audience=value("audience"),
            anonymous=bool(value("anonymous")), confidential=bool(value("confidential")),
            results_public=bool(value("results_public")),
            changeable=bool(value("changeable")), quiz=bool(value("quiz")))


class NewSurveyForm(SurveyForm):
    project_id = SelectField(_l("Project"), coerce=int, validators=[
        DataRequired(message=_l("Please choose a project."))])

    def __iter__(self):
        yield self._fields["project_id"]
        yield from (f for name, f in self._fields.items() if name != "project_id")


# Questions -------------------------------------------------------------------------------


class DecimalCommaField(Field):
    """A number typed as Germans do (8,5) or with a dot; empty is None."""

    widget = TextInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_number(self.data) if self.data is not None else ""

    def process_formdata(self, valuelist):
        self.data = None
        raw = (valuelist[0] if valuelist else "").strip()
        if raw:
            self.data = _number(raw[:40])
            if self.data is None:
                raise ValueError(_l("Please enter a number, such as 8 or 8,5."))


def _count_field(label, description, low=0, high=setup.OPTIONS_MAX):
    return IntegerField(label, description=description, validators=[
        Optional(), NumberRange(min=low, max=high)])


class QuestionFormBase(Form):
    title = StringField(_l("Question"), validators=[
        DataRequired(message=_l("Please enter the question.")), Length(max=setup.LABEL_MAX)])
    help_text = TextAreaField(_l("Help text"), validators=[Optional(), Length(max=2000)],
                              description=_l("Shown under the question."))


class QuestionSettings:
    """The fields of the kinds; question_form picks those of one kind."""

    options = TextAreaField(
        _l("Options"), validators=[Optional(), Length(max=30_000)],
        render_kw={"rows": 6},
        description=_l("One per line, in the order shown."))
    other = BooleanField(_l("Add “Other, please specify” as the last option"),
                         description=_l("Respondents who choose it type their own answer."))
    min_choices = _count_field(_l("At least this many choices"), _l("Empty: no minimum."))
    max_choices = _count_field(_l("At most this many choices"), _l("Empty: no maximum."),
                               low=1)
    max_length = _count_field(_l("Longest answer, in characters"),
                              _l("Empty: 5000, the most any answer may have."), low=1,
                              high=5000)
    number_min = DecimalCommaField(_l("Lowest number"), description=_l("Empty: no lower limit."))
    number_max = DecimalCommaField(_l("Highest number"),
                                   description=_l("Empty: no upper limit."))
    number_step = DecimalCommaField(
        _l("Step"), description=_l("E.g. 1 for whole numbers, 0,5 for halves. Empty: any "
                                   "number."))
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=setup.UNIT_MAX)],
                       description=_l("Shown after the field, e.g. Stunden."))
    scale = RadioField(_l("Scale"), choices=[SelectChoice("1-5", _l("1 to 5")),
                                                SelectChoice("0-10", _l("0 to 10"))],
                       default="1-5", validators=[InputRequired(
                           message=_l("Please choose a scale."))])
    statements = TextAreaField(
        _l("Statements"), validators=[Optional(), Length(max=20_000)], render_kw={"rows": 5},
        description=_l("One per line; each is answered on the scale."))
    scale_min_label = StringField(_l("Label of the lowest point"),
                                  validators=[Optional(), Length(max=setup.END_LABEL_MAX)],
                                  description=_l("E.g. stimme gar nicht zu."))
    scale_max_label = StringField(_l("Label of the highest point"),
                                  validators=[Optional(), Length(max=setup.END_LABEL_MAX)],
                                  description=_l("E.g. stimme voll zu."))
    correct = SelectField(_l("Correct answer"), validators=[Optional()])


KIND_FIELDS = {
    QuestionKind.SINGLE: ("options", "other"),
    QuestionKind.MULTIPLE: ("options", "other", "min_choices", "max_choices"),
    QuestionKind.TEXT: ("max_length",),
    QuestionKind.NUMBER: ("number_min", "number_max", "number_step", "unit"),
    QuestionKind.SCALE: ("scale", "scale_min_label", "scale_max_label"),
    QuestionKind.YES_NO: ("correct",),
    QuestionKind.MATRIX: ("statements", "scale", "scale_min_label", "scale_max_label"),
}
# Once responses exist only these stay (the wording).
WORDING_FIELDS = {"title", "help_text", "options", "statements", "scale_min_label",
                  "scale_max_label", "unit"}


def question_form(kind: QuestionKind, *, quiz: bool, locked: bool, condition_choices=None,
                  **kwargs) -> Form:
    """A form for a question of `kind`; `locked`: the wording only. `condition_choices`:
    the options a condition may point to, as optgroups per question."""
    fields = [name for name in KIND_FIELDS[kind] if name != "correct" or quiz]
    if locked:
        fields = [name for name in fields if name in WORDING_FIELDS]
    attrs = {name: getattr(QuestionSettings, name) for name in fields}
    if not locked:
        attrs["required"] = BooleanField(_l("Answer required"))
        attrs["page"] = IntegerField(
            _l("Page"), validators=[InputRequired(message=_l("Please enter a page number.")),
                                    NumberRange(min=1, max=setup.PAGES_MAX)],
            description=_l("Questions are asked page by page. A new number starts a new page "
                           "after the last one."))
        attrs["condition"] = SelectField(
            _l("Show only when an earlier answer includes"),
            validators=[Optional()],
            description=_l("Empty: always shown. Only answers to earlier questions can "
                           "decide."))
        attrs["condition_negated"] = RadioField(
            _l("The question is shown when that option"),
            choices=[SelectChoice("", _l("is chosen")),
                     SelectChoice("1", _l("is not chosen"))], default="",
            validators=[Optional()])
    form_class = type("QuestionForm", (QuestionFormBase,), attrs)
    form = form_class(**kwargs)
    form.quiz = quiz
    if "options" in form and quiz and not locked:
        form.options.description = _l("One per line, in the order shown. Start each correct "
                                      "answer with *, e.g. *Brüssel.")
    if locked and "options" in form:
        form.options.description = _l("One line for each option, in the same order: only "
                                      "the wording can change.")
    if locked and "statements" in form:
        form.statements.description = _l("One line for each statement, in the same order: "
                                         "only the wording can change.")
    if "correct" in form:
        form.correct.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(i), label) for i, label in enumerate(questions.yes_no_labels())]
    if "condition" in form:
        always = {None: [SelectChoice("", _l("Always show"))]}
        form.condition.choices = always | (condition_choices or {})
    return form


def condition_choices(survey: Survey, question: SurveyQuestion | None) -> dict:
    """Optgroups per choice question (but this one): "2. Wer sind Sie? (Seite 1)"."""
    from flask_babel import gettext as _

    groups = {}
    for number, source in enumerate(survey.questions, start=1):
        if source is question or source not in questions.condition_sources(survey):
            continue
        label = _("%(number)d. %(title)s (page %(page)d)", number=number, title=source.title,
                  page=source.page)
        groups[label] = [SelectChoice(str(option.id), option.label) for option in source.options]
    return groups


def fill(form, question: SurveyQuestion, quiz: bool) -> None:
    """Put a stored question's values into a new form (GET)."""
    data = questions.question_data(question)
    for name in ("title", "help_text", "min_choices", "max_choices", "max_length",
                 "number_min", "number_max", "number_step", "unit", "scale",
                 "scale_min_label", "scale_max_label", "required", "page"):
        if name in form:
            form[name].data = getattr(data, name)
    if "options" in form:
        marked = "correct" not in form and quiz and "page" in form
        form.options.data = "\n".join(
            (CORRECT_MARK if marked and i in data.correct else "") + label
            for i, label in enumerate(data.options))
    if "statements" in form:
        form.statements.data = "\n".join(data.statements)
    if "other" in form:
        form.other.data = data.other
    if "correct" in form:
        form.correct.data = str(data.correct[0]) if data.correct else ""
    if "condition" in form:
        form.condition.data = str(data.condition_option_id or "")
        form.condition_negated.data = "1" if data.condition_negated else ""


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n")
            if line.strip()]


def question_values(form, kind: QuestionKind) -> questions.QuestionData:
    """The form as question data (an unlocked question)."""
    options, correct = [], []
    for line in _lines(form.options.data) if "options" in form else []:
        if form.quiz and line.startswith(CORRECT_MARK):
            line = line[len(CORRECT_MARK):].strip()
            correct.append(len(options))
        if line:
            options.append(line)
    if "correct" in form and form.correct.data:
        correct = [int(form.correct.data)]

    def value(name, default=None):
        return form[name].data if name in form else default

    condition = form.condition.data
    return questions.QuestionData(
        kind=kind.value, title=form.title.data or "", help_text=form.help_text.data or "",
        page=form.page.data or 1, required=bool(form.required.data), options=options,
        correct=correct, other=bool(value("other", False)),
        min_choices=value("min_choices"), max_choices=value("max_choices"),
        max_length=value("max_length"), number_min=value("number_min"),
        number_max=value("number_max"), number_step=value("number_step"),
        unit=value("unit", "") or "", scale=value("scale", "1-5") or "1-5",
        scale_min_label=value("scale_min_label", "") or "",
        scale_max_label=value("scale_max_label", "") or "",
        statements=_lines(value("statements", "")),
        condition_option_id=int(condition) if condition else None,
        condition_negated=form.condition_negated.data == "1")


def wording_values(form, question: SurveyQuestion) -> questions.Wording:
    """The form of a locked question as its corrected wording."""
    current = questions.wording_of(question)

    def value(name, default):
        return (form[name].data or "") if name in form else default

    return questions.Wording(
        title=form.title.data or "", help_text=form.help_text.data or "",
        options=_lines(form.options.data) if "options" in form else current.options,
        statements=_lines(form.statements.data) if "statements" in form
        else current.statements,
        scale_min_label=value("scale_min_label", current.scale_min_label),
        scale_max_label=value("scale_max_label", current.scale_max_label),
        unit=value("unit", current.unit))
