from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from ..core.forms import Form
from ..core.markdown_field import markdown_field
from . import settings
from .feedback import MAX_MESSAGE, MAX_PAGE

# One line of text: no line breaks or other control characters (the name goes into the
# From header of mails).
ONE_LINE = Regexp(r"^[^\x00-\x1f\x7f]*$", message=_l("Please write it on one line."))


class PageForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    body = markdown_field(
        _l("Text"),
        description=_l("Markdown: blank line between paragraphs, ## for headings, * for lists. "
                       "Each line break stays a line break."),
        rows=18,
    )


class FeedbackForm(Form):
    message = TextAreaField(
        _l("What is the problem?"),
        validators=[DataRequired(message=_l("Please describe the problem.")),
                    Length(max=MAX_MESSAGE)],
        description=_l("Describe what you wanted to do and what did not work, for example a "
                       "text you could not read or a button you could not reach."),
        render_kw={"rows": 8},
    )
    page = StringField(
        _l("Page with the problem"), validators=[Optional(), Length(max=MAX_PAGE)],
        description=_l("The address or the name of the page, if you know it."),
    )
    name = StringField(
        _l("Your name"), validators=[Optional(), Length(max=120), ONE_LINE],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("Your e-mail address"),
        validators=[Optional(), Email(message=_l("Please enter a valid e-mail address.")),
                    Length(max=254)],
        description=_l("Only if you would like an answer."),
        render_kw={"autocomplete": "email"},
    )


class SettingsForm(Form):
    city_name = StringField(
        _l("Name of the city"), validators=[Optional(), Length(max=120), ONE_LINE],
        description=_l("Shown in the header beside MitWirkung and as the sender of mails, "
                       "e.g. Stadt Kaiserslautern."),
        render_kw={"autocomplete": "off"},
    )
    logo_file = FileField(_l("Logo"), description=_l(
        "JPEG, PNG or WebP, at most 5 MB; shown in the header, 40 pixels high."))
    logo_alt = StringField(
        _l("Logo description (alt text)"), validators=[Optional(), Length(max=300), ONE_LINE],
        description=_l("What the logo shows, for people who cannot see it, e.g. "
                       "“Coat of arms of the city”."),
    )
    remove_logo = BooleanField(_l("Remove the current logo"))
    accent_color = StringField(
        _l("Colour of the city"), validators=[Optional(), Length(max=7)],
        description=_l("A hexadecimal colour code such as #0b5a8a for the header, links and "
                       "buttons. It must be dark enough for white text on it and for links on "
                       "light backgrounds (contrast at least 4.5:1). Empty: the usual blue."),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    feedback_email = EmailField(
        _l("Address for accessibility feedback"),
        validators=[Optional(), Email(message=_l("Please enter a valid e-mail address.")),
                    Length(max=254)],
        description=_l("Messages sent with “Report a barrier” are mailed here. Empty: to "
                       "every administrator."),
    )

    # Set by the view when a logo is stored already.
    has_logo = False

    def validate_accent_color(self, field):
        try:
            colour = settings.normalise_colour(field.data)
            if colour:
                settings.check_contrast(colour)
        except settings.SettingsError as error:
            raise ValidationError(str(error)) from error

    def validate_logo_alt(self, field):
        keeps_logo = (self.has_logo and not self.remove_logo.data) or self.logo_file.data
        if keeps_logo and not (field.data or "").strip():
            raise ValidationError(str(settings.LogoNeedsDescription()))

    def values(self) -> settings.SettingsValues:
        return settings.SettingsValues(
            city_name=self.city_name.data or "", logo_alt=self.logo_alt.data or "",
            accent_color=self.accent_color.data or "",
            feedback_email=self.feedback_email.data or "",
        )


class SignVideoForm(Form):
    video = FileField(_l("Video in German Sign Language"),
                      description=_l("MP4 or WebM, at most 100 MB."))
    captions = FileField(
        _l("Captions (WebVTT)"),
        description=_l("A .vtt text file that starts with WEBVTT, at most 512 KB. A new video "
                       "needs its captions."),
    )
    remove = BooleanField(_l("Remove the video and its captions"))
