"""Clock helpers: everything is stored in UTC and shown in the city's zone, Europe/Berlin.
The one place that knows the local zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Europe/Berlin")


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
