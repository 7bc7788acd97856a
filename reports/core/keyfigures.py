"""Monthly key figures of the corps (DOMAIN.md "Coordination and follow-up"), pure.

The queries hand over small facts (one row per referral, mentor or sub-goal mark, and
minutes already summed by the database); `referral_figures` and `delivery_figures` count
them, and `build_key_figures` gathers the month's figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reports.core.danish import month_bounds
from reports.core.delivery_figures import (
    CitizenHours,
    EvidenceTotals,
    GoalProgress,
    ProgressMark,
    citizen_hours,
    evidence_totals,
    hours_by_category,
    median,
    progress_by_goal,
)
from reports.core.evidence import Evidence
from reports.core.referral_figures import (
    CaseloadRow,
    MentorCapacity,
    ReferralSpan,
    active_with_mentor,
    caseloads,
    days_to_mentor,
    outcomes,
    stale_referrals,
    waiting,
)


@dataclass(frozen=True)
class KeyFigures:
    month: date  # first day
    as_of: date  # the day the point-in-time figures are taken (month end, or today)
    active_with_mentor: int
    waiting: int
    median_days_to_mentor: Decimal | None
    assigned_in_month: int
    hours_by_category: dict[str, Decimal]
    citizen_hours: CitizenHours
    stale: int
    evidence: EvidenceTotals
    outcomes: dict[str, int]
    progress: list[GoalProgress]
    caseloads: list[CaseloadRow]

    @property
    def total_hours(self) -> Decimal:
        return sum(self.hours_by_category.values(), Decimal("0.00"))

    @property
    def progress_totals(self) -> dict[int, int]:
        return {
            1: sum(g.forward for g in self.progress),
            0: sum(g.unchanged for g in self.progress),
            -1: sum(g.setback for g in self.progress),
        }


def build_key_figures(
    *,
    month: date,
    as_of: date,
    spans: list[ReferralSpan],
    working_days: Callable[[date, date], int],
    category_minutes: Mapping[str, int],
    minutes_per_citizen: Iterable[int],
    last_entry: Mapping[int, date],
    evidence: Iterable[Evidence],
    marks: Iterable[ProgressMark],
    goal_titles: Mapping[int, str],
    mentors: Iterable[MentorCapacity],
) -> KeyFigures:
    """Every key figure of the month from the facts the queries deliver."""
    first, last = month_bounds(month)
    day = min(last, as_of)
    delays = days_to_mentor(spans, first, last, working_days)
    return KeyFigures(
        month=first,
        as_of=day,
        active_with_mentor=active_with_mentor(spans, first, day),
        waiting=waiting(spans, day),
        median_days_to_mentor=median(delays),
        assigned_in_month=len(delays),
        hours_by_category=hours_by_category(category_minutes),
        citizen_hours=citizen_hours(minutes_per_citizen),
        stale=len(stale_referrals(spans, last_entry, day)),
        evidence=evidence_totals(evidence),
        outcomes=outcomes(spans, first, last),
        progress=progress_by_goal(marks, goal_titles),
        caseloads=caseloads(mentors, spans, day),
    )
