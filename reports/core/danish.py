"""Danish wording for dates and periods (no Babel: twelve month names suffice)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

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
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def long_date(day: date) -> str:
    """A date the Danish way: "1. januar 2026"."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def period(start: date, end: date) -> str:
    """A period the Danish way: "1. januar 2026 – 31. marts 2026"."""
    return f"{long_date(start)} – {long_date(end)}"


def local_naive(moment: datetime) -> datetime:
    """Copenhagen wall-clock time without tzinfo (Excel cannot store offsets)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(COPENHAGEN).replace(tzinfo=None)


def utc_naive(moment: datetime) -> datetime:
    """UTC without tzinfo, as the workbook's document properties expect."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def yes_no(flag: bool) -> str:
    """Ja or Nej."""
    return "Ja" if flag else "Nej"
