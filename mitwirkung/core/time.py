"""Clock helpers: everything is stored in UTC and shown in the city's zone, Europe/Berlin.
The one place that knows the local zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask_babel import format_date, format_datetime, get_locale

LOCAL_ZONE = ZoneInfo("Europe/Berlin")
# One way to show a moment and a day everywhere (pages, mails, exports), per language.
MOMENT_PATTERNS = {"de": "dd.MM.yyyy, HH:mm 'Uhr'", "en": "d MMM yyyy, HH:mm"}
DAY_PATTERNS = {"de": "dd.MM.yyyy", "en": "d MMM yyyy"}


def utcnow() -> datetime:
    """The current time in UTC, naive, as stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_today() -> date:
    """Today's date in the city's time zone; phases and paper batches are days there."""
    return datetime.now(LOCAL_ZONE).date()


def local_to_utc(moment: datetime) -> datetime:
    """A naive local time as typed by staff -> naive UTC as stored."""
    return moment.replace(tzinfo=LOCAL_ZONE).astimezone(UTC).replace(tzinfo=None)


def utc_to_local(moment: datetime) -> datetime:
    """A stored naive UTC time -> naive local time, e.g. for a datetime-local input."""
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).replace(tzinfo=None)


def _language() -> str:
    locale = get_locale()
    return locale.language if locale and locale.language in DAY_PATTERNS else "de"


def format_moment(moment: datetime) -> str:
    """A stored UTC time as the city's clock shows it: '10.01.2027, 21:00 Uhr' in German,
    '10 Jan 2027, 21:00' in English."""
    return format_datetime(moment, MOMENT_PATTERNS[_language()])


def format_day(day: date) -> str:
    """A day: '10.01.2027' in German, '10 Jan 2027' in English."""
    return format_date(day, DAY_PATTERNS[_language()])
