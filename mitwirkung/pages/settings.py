"""The site's settings: the city's name, logo and colour, where accessibility feedback goes,
and the sign-language video of the Leichte Sprache page. One row, read once per request."""

import math
import re
from dataclasses import dataclass

from flask import current_app, g, has_request_context
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import SQLAlchemyError

from ..core import audit, content_version, uploads
from ..core.domain import DomainError
from ..extensions import db
from .models import SiteSettings

# The light backgrounds of static/css/site.css that links and buttons in the accent colour
# sit on (page, tinted boxes and footer, a chosen option, a warning); white text sits on
# the colour itself. WCAG AA asks 4.5:1 for text against each of them.
LIGHT_BACKGROUNDS = ("#ffffff", "#f3f5f7", "#eef5fa", "#fff6e0")
MIN_CONTRAST = 4.5
COLOUR = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
DARKER = 0.7  # the hover and header shade: the colour with each channel scaled down


class SettingsError(DomainError):
    """A setting refused."""


class ColourTooLight(SettingsError):
    message = _l("This colour has a contrast ratio of only %(ratio)s:1 with the light "
                 "backgrounds of the pages; text and buttons need at least 4.5:1 (WCAG AA). "
                 "Please choose a darker colour.")
    field = "accent_color"


class NotAColour(SettingsError):
    message = _l("Please enter a colour as a hexadecimal code such as #0b5a8a.")
    field = "accent_color"


class LogoNeedsDescription(SettingsError):
    message = _l("Please describe the logo.")
    field = "logo_alt"


class VideoNeedsCaptions(SettingsError):
    message = _l("Please add the captions for the video (a WebVTT file).")
    field = "captions"


class NotAVideo(SettingsError):
    message = _l("This is not an MP4 or WebM video.")
    field = "video"


class VideoTooLarge(SettingsError):
    message = _l("The video is larger than 100 MB.")
    field = "video"


class NotCaptions(SettingsError):
    message = _l("This is not a WebVTT captions file: it must be UTF-8 text that starts with "
                 "WEBVTT.")
    field = "captions"


class CaptionsTooLarge(SettingsError):
    message = _l("The captions file is larger than 512 KB.")
    field = "captions"


class NothingChosen(SettingsError):
    message = _l("Please choose a video with its captions, new captions, or removal.")
    field = "video"


class CaptionsNeedVideo(SettingsError):
    message = _l("There is no video yet that these captions could belong to; please upload "
                 "the video with them.")
    field = "video"


# Built once: every page reads the row, and building a statement costs SQLAlchemy more than
# running it (session.get builds one each time the row is not in the session yet).
_SETTINGS_ROW = select(SiteSettings).where(SiteSettings.id == 1)


def get_settings() -> SiteSettings:
    """The settings row, or the defaults (not saved) while no admin has saved any; read once
    per request."""
    if has_request_context() and "site_settings" in g:
        return g.site_settings
    settings = db.session.scalar(_SETTINGS_ROW) or SiteSettings(
        id=1, city_name="", logo_alt="", version=0)
    if has_request_context():
        g.site_settings = settings
    return settings


# The settings as the pages show them, kept in each process under the content version
# they were read at: a save writes the row, which replaces that version in the same
# transaction (core/content_version.py). Taken only by a request that has read the version
# anyway, with a query of its own (the survey pages' check, a page kept for visitors).
_shown: tuple[int, SiteSettings] | None = None


def settings_for_display() -> SiteSettings:
    """The settings for the header and footer of a page; the defaults if the database
    cannot answer, so that even an error page about that renders."""
    global _shown
    version, kept = content_version.noted(), _shown
    if version is not None and kept is not None and kept[0] == version:
        return kept[1]
    try:
        settings = get_settings()
    except SQLAlchemyError:
        db.session.rollback()
        return SiteSettings(id=1, city_name="", logo_alt="", version=0)
    if version is not None:  # read after the version: at worst newer, then read again
        _shown = (version, _detached_copy(settings))
    return settings


def _detached_copy(settings: SiteSettings) -> SiteSettings:
    """A copy in no session, which no commit expires."""
    return SiteSettings(**{column.key: getattr(settings, column.key)
                           for column in SiteSettings.__table__.columns})


def forget_shown() -> None:
    """Forget the kept settings (tests; after a restore the app servers restart)."""
    global _shown
    _shown = None


@dataclass
class SettingsValues:
    city_name: str
    logo_alt: str
    accent_color: str
    feedback_email: str


def save_settings(actor, values: SettingsValues, logo=None, remove_logo: bool = False
                  ) -> SiteSettings:
    """Check and store the settings; `logo` is an uploaded image stream or None. Raises a
    SettingsError (or uploads.UploadRejected for a bad image) and changes nothing then."""
    settings = get_settings()
    colour = normalise_colour(values.accent_color)
    if colour:
        check_contrast(colour)
    keeps_logo = (settings.logo is not None and not remove_logo) or logo is not None
    if keeps_logo and not values.logo_alt.strip():
        raise LogoNeedsDescription()
    new_logo = uploads.save_image(logo) if logo is not None else None
    old_logo = settings.logo if (new_logo or remove_logo) else None
    before = _snapshot(settings)
    settings.city_name = values.city_name.strip()
    settings.logo_alt = values.logo_alt.strip() if keeps_logo else ""
    settings.accent_color = colour
    settings.feedback_email = values.feedback_email.strip().lower() or None
    if new_logo or remove_logo:
        settings.logo = new_logo
    _saved(actor, settings, before)
    if old_logo:
        uploads.delete(old_logo)
    return settings


def save_sign_video(actor, video=None, captions=None, remove: bool = False) -> SiteSettings:
    """Store, replace or remove the sign-language video and its WebVTT captions. A new video
    comes with its captions; captions alone replace those of the stored video."""
    settings = get_settings()
    if remove:
        old = (settings.sign_video, settings.sign_captions)
        before = _snapshot(settings)
        settings.sign_video = settings.sign_captions = None
        _saved(actor, settings, before)
        for name in old:
            uploads.delete(name)
        return settings
    if video is not None and captions is None:
        raise VideoNeedsCaptions()
    if video is None and captions is not None and settings.sign_video is None:
        raise CaptionsNeedVideo()
    if video is None and captions is None:
        raise NothingChosen()
    try:
        new_captions = uploads.save_captions(captions)
    except uploads.UploadRejected as error:
        raise (CaptionsTooLarge() if error.args[0] == "size" else NotCaptions()) from error
    try:
        new_video = uploads.save_video(video) if video is not None else None
    except uploads.UploadRejected as error:
        uploads.delete(new_captions)
        raise (VideoTooLarge() if error.args[0] == "size" else NotAVideo()) from error
    old = [settings.sign_captions] + ([settings.sign_video] if new_video else [])
    before = _snapshot(settings)
    settings.sign_captions = new_captions
    if new_video:
        settings.sign_video = new_video
    _saved(actor, settings, before)
    for name in old:
        uploads.delete(name)
    return settings


def _snapshot(settings: SiteSettings) -> dict:
    return {column: getattr(settings, column) for column in (
        "city_name", "logo", "logo_alt", "accent_color", "feedback_email", "sign_video",
        "sign_captions")}


def _saved(actor, settings: SiteSettings, before: dict) -> None:
    """Count the new version, add a first save, and audit which settings changed."""
    changed = sorted(key for key, value in _snapshot(settings).items() if before[key] != value)
    settings.version = (settings.version or 0) + 1
    settings.updated_by_id = actor.id
    if settings not in db.session:
        db.session.add(settings)
    db.session.flush()
    audit.record(actor, "settings.edit", settings, changed=changed)


# Colour ---------------------------------------------------------------------------------


def normalise_colour(text: str | None) -> str | None:
    """'#0B5A8A', '0b5a8a' or '#05a' -> '#0b5a8a' (or '#0055aa'); empty -> None; raises
    NotAColour for anything else."""
    text = (text or "").strip()
    if not text:
        return None
    match = COLOUR.match(text)
    if match is None:
        raise NotAColour()
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return "#" + digits


def relative_luminance(colour: str) -> float:
    """WCAG 2.1's relative luminance of a '#rrggbb' colour."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1's contrast ratio of two '#rrggbb' colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def accent_contrast(colour: str) -> float:
    """The lowest contrast of the colour with any light background it is shown on."""
    return min(contrast_ratio(colour, background) for background in LIGHT_BACKGROUNDS)


def check_contrast(colour: str) -> None:
    """Raise ColourTooLight unless text in `colour` keeps 4.5:1 on every light background
    (and so white text on the colour does too)."""
    ratio = accent_contrast(colour)
    if ratio < MIN_CONTRAST:
        shown = math.floor(ratio * 100) / 100  # never round 4.499 up to the 4.5 it misses
        raise ColourTooLight(ratio=format_decimal(shown, format="0.0#"))


def darker(colour: str) -> str:
    red, green, blue = (round(int(colour[i:i + 2], 16) * DARKER) for i in (1, 3, 5))
    return f"#{red:02x}{green:02x}{blue:02x}"


def theme_css(settings: SiteSettings) -> str:
    """The stylesheet that gives the pages the city's colour (empty without one)."""
    if not settings.accent_color:
        return "/* No colour of the city is set: site.css keeps its own. */\n"
    colour = settings.accent_color
    return (f"/* The city's colour, from the site settings. */\n"
            f":root {{ --brand: {colour}; --brand-dark: {darker(colour)}; }}\n")


# What other parts of the app ask --------------------------------------------------------


def mail_sender() -> tuple[str | None, str | None]:
    """The From name and the signature line of every mail: the city's name, if set."""
    name = get_settings().city_name
    if not name:
        return None, None
    return f"{name} – MitWirkung", f"{name} – MitWirkung\n{current_app.config['SITE_URL']}/"


def upload_visibility(name: str) -> bool | None:
    """The logo, video and captions are public; None for files that are not ours."""
    found = db.session.scalar(select(SiteSettings.id).where(or_(
        SiteSettings.logo == name, SiteSettings.sign_video == name,
        SiteSettings.sign_captions == name)))
    return True if found is not None else None
