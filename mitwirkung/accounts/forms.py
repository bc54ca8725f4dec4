"""Account forms; labels are lazy so they follow the chosen language."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    RadioField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from ..core.forms import Form
from .passwords import MIN_LENGTH, password_problem
from .services import username_taken


def _new_password_field(label):
    return PasswordField(
        label,
        validators=[InputRequired(), Length(max=200)],
        description=_l("At least %(n)d characters and hard to guess, e.g. several unusual "
                       "words.", n=MIN_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )


def _repeat_password_field(label):
    return PasswordField(
        label,
        validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class NewPasswordMixin:
    """Checks `password` against the rules and the person's own name and address."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user

    def personal_values(self) -> tuple[str, ...]:
        user = self._user
        return (user.username, user.email, user.first_name, user.last_name) if user else ()

    def validate_password(self, field):
        problem = password_problem(field.data or "", *self.personal_values())
        if problem:
            raise ValidationError(problem)


class RegisterForm(NewPasswordMixin, Form):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(min=3, max=40),
            Regexp(r"^[\w.-]+$", message=_l("Use letters, digits, dots, hyphens or underscores.")),
        ],
        description=_l("Your name on this platform. Your real name and e-mail address are "
                       "never shown publicly."),
        render_kw={"autocomplete": "username"},
    )
    first_name = StringField(
        _l("First name"), validators=[DataRequired(), Length(max=80)],
        description=_l("Never shown to other users."), render_kw={"autocomplete": "given-name"},
    )
    last_name = StringField(
        _l("Last name"), validators=[DataRequired(), Length(max=80)],
        description=_l("Never shown to other users."), render_kw={"autocomplete": "family-name"},
    )
    email = EmailField(
        _l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)],
        description=_l("We send a confirmation link. Never shown to other users."),
        render_kw={"autocomplete": "email"},
    )
    password = _new_password_field(_l("Password"))
    password_confirm = _repeat_password_field(_l("Repeat password"))
    privacy = BooleanField(
        _l("I have read the privacy notice and agree to it."),
        validators=[DataRequired(message=_l("Please agree to the privacy notice."))],
    )

    def personal_values(self):
        return (self.username.data, self.email.data, self.first_name.data, self.last_name.data)

    def validate_username(self, field):
        if username_taken(field.data or ""):
            raise ValidationError(_l("This username is already taken."))


class LoginForm(Form):
    login = StringField(
        _l("Username or e-mail address"), validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Stay logged in on this device"))


class EmailForm(Form):
    email = EmailField(
        _l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )


class ResetPasswordForm(NewPasswordMixin, Form):
    password = _new_password_field(_l("New password"))
    password_confirm = _repeat_password_field(_l("Repeat new password"))


class ProfileForm(Form):
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=80)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(), Length(max=80)])


def _current_password_field(form_id: str):
    # The account page holds several forms asking for it: each needs an id of its own.
    return PasswordField(
        _l("Current password"), validators=[DataRequired()], id=f"{form_id}-current_password",
        render_kw={"autocomplete": "current-password"},
    )


class ChangeEmailForm(Form):
    new_email = EmailField(
        _l("New e-mail address"), validators=[DataRequired(), Email(), Length(max=254)],
        description=_l("We send a link to the new address; the old one stays until you click it."),
    )
    current_password = _current_password_field("email")


class ChangePasswordForm(NewPasswordMixin, Form):
    current_password = _current_password_field("password")
    password = _new_password_field(_l("New password"))
    password_confirm = _repeat_password_field(_l("Repeat new password"))


class DeleteAccountForm(Form):
    current_password = _current_password_field("delete")
    confirm = BooleanField(
        _l("Yes, delete my account. My contributions stay, without my name."),
        validators=[DataRequired(message=_l("Please confirm the deletion."))],
    )


class BlockForm(Form):
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(max=1000)],
        description=_l("The person reads it when logging in and in the mail that tells them "
                       "about the block. Write it so they understand what they did."),
    )


class MuteForm(Form):
    """A mute's length and reason (accounts/moderation.py)."""

    duration = RadioField(
        _l("For how long?"), default="7",
        choices=[SelectChoice("1", _l("1 day")), SelectChoice("7", _l("7 days")),
                 SelectChoice("30", _l("30 days"))],
        validators=[InputRequired(message=_l("Please choose how long the mute lasts."))])
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(message=_l("Please give a reason: the person reads it.")),
                    Length(max=1000)],
        description=_l("The person reads it on the forms they cannot use and in the mail "
                       "that tells them."))


def _check_year(field) -> None:
    # A day at the ends of the calendar would overflow the conversion to UTC; the log
    # holds nothing then.
    if field.data and not 2000 <= field.data.year <= 2100:
        raise ValidationError(_l("Please enter a year between 2000 and 2100."))


class AuditFilterForm(Form):
    """The audit log's filters, read from the query string. A value the form does not know
    (an unknown action, a date that is none) is reported and left out, never used."""

    class Meta:
        csrf = False

    actor = SelectField(_l("Person"), default="")
    action = SelectField(_l("Kind of action"), default="")
    target = SelectField(_l("Object"), default="")
    since = DateField(_l("From"), name="from", validators=[Optional()])
    until = DateField(_l("Until"), name="to", validators=[Optional()])
    q = SearchField(_l("Search"), validators=[Optional(), Length(max=100)],
                    description=_l("Names, titles, stations, reasons, kinds of action."))

    def __init__(self, formdata, *, actors, actions, targets):
        super().__init__(formdata=formdata)
        everything = [("", _l("All"))]
        self.actor.choices = everything + [(str(id_), name) for id_, name in actors]
        self.action.choices = {None: everything, **actions}
        self.target.choices = everything + list(targets)

    def validate_since(self, field):
        _check_year(field)

    def validate_until(self, field):
        _check_year(field)
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end of the period lies before its start."))

    def filters(self) -> dict:
        """The valid filters by name, as the query string spells them."""
        self.validate()
        values = {}
        for field in (self.actor, self.action, self.target, self.since, self.until, self.q):
            if field.errors or not field.data:
                continue
            values[field.name] = (field.data.isoformat() if hasattr(field.data, "isoformat")
                                  else field.data.strip())
        return {name: value for name, value in values.items() if value}
