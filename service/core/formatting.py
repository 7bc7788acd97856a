"""Danish display of dates, amounts, hours and CPR numbers (the template filters).

Dates build on the pure `reports.core.danish` (month names, time zone), hours on
`reports.core.money.hours_from_minutes`; numbers get Danish separators from Babel.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from babel import Locale
from babel.numbers import format_decimal

from reports.core.danish import TIMEZONE, local_date, long_date
from reports.core.money import half_up, hours_from_minutes

# Parsed once: a locale given by name is looked up again on every call (issue 16).
DANISH = Locale.parse("da_DK")


def dato(value: date | datetime | None) -> str:
    """22. november 2026."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_date(value)
    return long_date(value)


def tidspunkt(value: datetime | None) -> str:
    """22. november 2026 kl. 14.05 (local time)."""
    if value is None:
        return ""
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(TIMEZONE)
    return f"{long_date(local.date())} kl. {local:%H.%M}"


def kr(value: Decimal | int | float | None) -> str:
    """1.234,50 kr."""
    if value is None:
        return ""
    return f"{tal(value)} kr."


def tal(value: Decimal | int | float | None, places: int = 2) -> str:
    """1.234,50 (Danish separators), rounded half-up to `places` (Babel alone rounds half
    to even: 0,125 would show 0,12)."""
    if value is None:
        return ""
    exact = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(half_up(exact, places), pattern, locale=DANISH)


def timer(value: Decimal | int | float | None) -> str:
    """Hours with a decimal comma: 2,50 t."""
    if value is None:
        return ""
    return f"{tal(value)} t"


def timer_lang(value: Decimal | int | float | None) -> str:
    """Hours written out, for sentences and messages: 3,00 timer."""
    if value is None:
        return ""
    return f"{tal(value)} timer"


def minutter_som_timer(minutes: int | None) -> str:
    """Minutes shown as hours: 90 → 1,50 t."""
    if minutes is None:
        return ""
    return timer(hours_from_minutes(minutes))


def cpr_masked(cpr: str | None) -> str:
    """070374-xxxx: the date part only."""
    if not cpr:
        return ""
    return f"{cpr[:6]}-xxxx"


def cpr_full(cpr: str | None) -> str:
    """070374-1234."""
    if not cpr:
        return ""
    return f"{cpr[:6]}-{cpr[6:]}"
