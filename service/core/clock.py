"""The one clock: every "now" and "today" of the application is read here.

Tests freeze the day with `monkeypatch.setattr(clock, "today", ...)`, so callers write
`clock.today()` (never `from service.core.clock import today`). Pure cores (`matching/`,
`reports/core/`) read no clock: they take the day as a parameter.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from reports.core.danish import TIMEZONE


def utcnow() -> datetime:
    """Return the current time, aware, in UTC (what the database stores)."""
    return datetime.now(UTC)


def local_now() -> datetime:
    """Return the current time in Europe/Copenhagen."""
    return datetime.now(TIMEZONE)


def today() -> date:
    """Return today's date in Europe/Copenhagen."""
    return local_now().date()
