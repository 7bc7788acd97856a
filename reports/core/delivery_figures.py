"""Key figures of the work delivered: hours by category and per citizen, the evidence of
delivery, and the progress marked on sub-goals. Pure.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from reports.core.evidence import Evidence, share
from reports.core.money import CATEGORIES, half_up, hours_from_minutes
from vocabulary.logbook import PROGRESS

PROGRESS_LABELS = PROGRESS
HOUR_BUCKETS = ((0, 5), (5, 10), (10, 20), (20, 40), (40, None))


@dataclass(frozen=True)
class ProgressMark:
    """One logbook entry's progress mark (-1, 0, 1) on one sub-goal."""

    sub_goal_id: int
    progress: int


@dataclass(frozen=True)
class GoalProgress:
    sub_goal_id: int
    title: str
    forward: int
    unchanged: int
    setback: int

    @property
    def total(self) -> int:
        return self.forward + self.unchanged + self.setback


@dataclass(frozen=True)
class EvidenceTotals:
    contact_minutes: int
    backed_minutes: int
    shown_minutes: int
    backed_share: Decimal
    shown_share: Decimal
    citizens_incomplete: int


@dataclass(frozen=True)
class CitizenHours:
    """Hours per citizen as a distribution (no names: key figures are for steering)."""

    citizens: int
    total: Decimal
    mean: Decimal | None
    median: Decimal | None
    maximum: Decimal | None
    buckets: list[tuple[str, int]] = field(default_factory=list)


def median(values: Iterable[int | Decimal]) -> Decimal | None:
    """The median (mean of the middle two for an even count), one decimal half-up."""
    ordered = sorted(Decimal(v) for v in values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    value = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return half_up(value, 1)


def progress_by_goal(
    marks: Iterable[ProgressMark], titles: Mapping[int, str]
) -> list[GoalProgress]:
    """Forward, unchanged and setback marks per sub-goal, most marks first."""
    counts: dict[int, Counter[int]] = defaultdict(Counter)
    for mark in marks:
        if mark.progress not in PROGRESS_LABELS:
            raise ValueError(f"progress must be -1, 0 or 1, got {mark.progress!r}")
        counts[mark.sub_goal_id][mark.progress] += 1
    goals = [
        GoalProgress(gid, titles.get(gid, f"Delmål {gid}"), c[1], c[0], c[-1])
        for gid, c in counts.items()
    ]
    return sorted(goals, key=lambda g: (-g.total, g.title, g.sub_goal_id))


def evidence_totals(evidence: Iterable[Evidence]) -> EvidenceTotals:
    """The evidence-of-delivery share over every citizen together."""
    contact = backed = shown = incomplete = 0
    for e in evidence:
        contact += e.contact_minutes
        backed += e.backed_minutes
        shown += e.shown_minutes
        incomplete += not e.complete
    return EvidenceTotals(
        contact, backed, shown, share(backed, contact), share(shown, contact), incomplete
    )


def hours_by_category(minutes: Mapping[str, int]) -> dict[str, Decimal]:
    """All five categories in order, as hours."""
    return {c: hours_from_minutes(int(minutes.get(c) or 0)) for c in CATEGORIES}


def citizen_hours(minutes_per_citizen: Iterable[int]) -> CitizenHours:
    """Hours per citizen: count, total, mean, median, maximum and a histogram."""
    hours = [hours_from_minutes(int(m)) for m in minutes_per_citizen]
    if not hours:
        return CitizenHours(0, Decimal("0.00"), None, None, None, [])
    total = sum(hours, Decimal("0.00"))
    mean = half_up(total / len(hours))
    buckets = []
    for low, high in HOUR_BUCKETS:
        label = f"{low}–{high} t" if high is not None else f"{low} t og derover"
        n = sum(1 for h in hours if h >= low and (high is None or h < high))
        buckets.append((label, n))
    return CitizenHours(len(hours), total, mean, median(hours), max(hours), buckets)
