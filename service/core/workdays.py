"""Working days in Denmark: Monday to Friday except Danish public holidays."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _danish_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DK", years=year))


def is_working_day(day: date) -> bool:
    """True on a weekday that is no Danish public holiday."""
    return day.weekday() < 5 and day not in _danish_holidays(day.year)


def working_days_between(a: date, b: date) -> int:
    """Working days after `a` up to and including `b` (0 when `b` is not after `a`)."""
    count = 0
    day = a + timedelta(days=1)
    while day <= b:
        if is_working_day(day):
            count += 1
        day += timedelta(days=1)
    return count


def working_days_in(first: date, last: date) -> int:
    """Working days from `first` to `last`, both included."""
    return working_days_between(first - timedelta(days=1), last)
