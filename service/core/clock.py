"""Local time for a Danish municipality."""

from __future__ import annotations

from datetime import date, datetime

from service.core.settings import TIMEZONE


def local_now() -> datetime:
    """Return the current time in Europe/Copenhagen."""
    return datetime.now(TIMEZONE)


def today() -> date:
    """Return today's date in Europe/Copenhagen."""
    return local_now().date()
