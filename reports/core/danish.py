"""The Danish calendar and wording, defined once: month names, the time zone, the month.

Pure (no Babel, no service): the reports use it directly, and `service/core/formatting.py`
builds the template filters on it, so a date reads "22. november 2026" everywhere.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Europe/Copenhagen")
MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def long_date(day: date) -> str:
    """A date the Danish way: "1. januar 2026"."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def month_name(day: date) -> str:
    """The day's month the Danish way: "januar 2026"."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def period(start: date, end: date) -> str:
    """A period the Danish way: "1. januar 2026 – 31. marts 2026"."""
    return f"{long_date(start)} – {long_date(end)}"


def month_bounds(day: date) -> tuple[date, date]:
    """First and last day of the day's month."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def local_date(moment: datetime) -> date:
    """The Copenhagen date of an aware moment."""
    return moment.astimezone(TIMEZONE).date()


def local_midnight(day: date) -> datetime:
    """The moment the day begins in Copenhagen (aware)."""
    return datetime.combine(day, time.min, TIMEZONE)


def local_naive(moment: datetime) -> datetime:
    """Copenhagen wall-clock time without tzinfo (Excel cannot store offsets)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(TIMEZONE).replace(tzinfo=None)


def utc_naive(moment: datetime) -> datetime:
    """UTC without tzinfo, as the workbook's document properties expect."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def yes_no(flag: bool) -> str:
    """Ja or Nej."""
    return "Ja" if flag else "Nej"
