"""Hours used against hours granted: the arithmetic, and each referral's week and month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, col, func, select

from logbook.models import TimeEntry
from reports.core.danish import month_bounds
from reports.core.money import half_up, hours_from_minutes
from service.core import clock
from service.corps.models import Referral

WARN_AT = Decimal("0.80")
FULL_AT = Decimal("1.00")


def overlap_days(a_start: dt.date, a_end: dt.date, b_start: dt.date, b_end: dt.date) -> int:
    """Days (inclusive) the two periods share."""
    start, end = max(a_start, b_start), min(a_end, b_end)
    return max(0, (end - start).days + 1)


def granted_hours(
    weekly: Decimal, start: dt.date, end: dt.date, ref_start: dt.date, ref_end: dt.date
) -> Decimal:
    """Hours granted in start..end: the weekly grant pro rata for the days inside the referral."""
    days = overlap_days(start, end, ref_start, ref_end)
    return half_up(Decimal(weekly) * days / 7)


@dataclass(frozen=True)
class Usage:
    """Hours used against hours granted, with the warning level (80 % and 100 %)."""

    used: Decimal
    granted: Decimal
    level: str  # "ok" | "warning" (≥ 80 %) | "full" (≥ 100 %)

    @property
    def percent(self) -> int | None:
        if not self.granted:
            return None
        return int(half_up(self.used / self.granted * 100, 0))

    @property
    def label(self) -> str:
        return {"ok": "", "warning": "80 % brugt", "full": "Bevilling opbrugt"}[self.level]


def usage(used_minutes: int, granted: Decimal) -> Usage:
    """Classify hours used against granted: warning from 80 %, full from 100 %."""
    used = hours_from_minutes(used_minutes)
    granted = half_up(Decimal(granted))
    if granted <= 0:
        level = "full" if used > 0 else "ok"
    elif used >= granted * FULL_AT:
        level = "full"
    elif used >= granted * WARN_AT:
        level = "warning"
    else:
        level = "ok"
    return Usage(used, granted, level)


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the day's ISO week."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def minutes_used(
    session: Session, referral_ids: Sequence[int], start: dt.date, end: dt.date
) -> dict[int, int]:
    """Minutes registered per referral in start..end (all categories)."""
    if not referral_ids:
        return {}
    rows = session.exec(
        select(TimeEntry.referral_id, func.sum(TimeEntry.minutes))
        .where(
            col(TimeEntry.referral_id).in_(list(referral_ids)),
            TimeEntry.date >= start,
            TimeEntry.date <= end,
        )
        .group_by(col(TimeEntry.referral_id))
    )
    return {rid: int(total or 0) for rid, total in rows}


def hours_used(session: Session, referral_id: int, start: dt.date, end: dt.date) -> Decimal:
    """Hours registered on the referral in start..end, as a two-decimal Decimal."""
    return hours_from_minutes(minutes_used(session, [referral_id], start, end).get(referral_id, 0))


def hours_used_total(session: Session, referral_id: int) -> Decimal:
    """Hours registered on the referral in all (every time entry), two decimals half-up."""
    query = select(func.coalesce(func.sum(TimeEntry.minutes), 0)).where(
        TimeEntry.referral_id == referral_id
    )
    return hours_from_minutes(int(session.exec(query).one()))


def referral_usage(
    session: Session, referrals: Sequence[Referral], today: dt.date | None = None
) -> dict[int, dict[str, Usage]]:
    """Per referral: {"week": Usage, "month": Usage} for the week and month of today."""
    today = today or clock.today()
    week, month = week_bounds(today), month_bounds(today)
    ids = [r.id for r in referrals]
    used_week = minutes_used(session, ids, *week)
    used_month = minutes_used(session, ids, *month)
    result = {}
    for r in referrals:
        granted_w = granted_hours(r.granted_hours_per_week, *week, r.start_date, r.end_date)
        granted_m = granted_hours(r.granted_hours_per_week, *month, r.start_date, r.end_date)
        result[r.id] = {
            "week": usage(used_week.get(r.id, 0), granted_w),
            "month": usage(used_month.get(r.id, 0), granted_m),
        }
    return result
