"""Key figures counted from the referrals: with a mentor, waiting, days to a mentor,
outcomes, courses without recent logbook entries, and the mentors' caseloads. Pure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from reports.core.evidence import share

STALE_DAYS = 14
OUTCOME_ORDER = (
    "job",
    "flex_job",
    "education",
    "other_course",
    "no_longer_needed",
    "no_effect",
    "citizen_withdrew",
    "moved",
    "other",
)


@dataclass(frozen=True)
class ReferralSpan:
    """What the key figures need of one referral (dates in local time)."""

    referral_id: int
    citizen_id: int
    mentor_id: int | None
    submitted_on: date
    assigned_on: date | None
    closed_on: date | None
    start_date: date
    end_date: date
    outcome: str | None = None


@dataclass(frozen=True)
class MentorCapacity:
    mentor_id: int
    name: str
    max_caseload: int
    active: bool = True


@dataclass(frozen=True)
class CaseloadRow:
    mentor_id: int
    name: str
    caseload: int
    capacity: int
    utilisation: Decimal  # caseload / capacity, 4 decimals half-up; 0 without capacity

    @property
    def over(self) -> bool:
        return self.caseload > self.capacity


def _open_on(span: ReferralSpan, day: date) -> bool:
    """Not closed by the end of the day."""
    return span.closed_on is None or span.closed_on > day


def _with_mentor_on(span: ReferralSpan, day: date) -> bool:
    return span.mentor_id is not None and span.assigned_on is not None and span.assigned_on <= day


def active_with_mentor(spans: Iterable[ReferralSpan], first: date, last: date) -> int:
    """Citizens with a mentor at some time in the month, within their course's period."""
    return len(
        {
            s.citizen_id
            for s in spans
            if _with_mentor_on(s, last)
            and (s.closed_on is None or s.closed_on >= first)
            and s.start_date <= last
            and s.end_date >= first
        }
    )


def waiting(spans: Iterable[ReferralSpan], day: date) -> int:
    """Referrals received by the day, still open and without a mentor at its end."""
    return sum(
        1
        for s in spans
        if s.submitted_on <= day and _open_on(s, day) and not _with_mentor_on(s, day)
    )


def days_to_mentor(
    spans: Iterable[ReferralSpan],
    first: date,
    last: date,
    working_days: Callable[[date, date], int],
) -> list[int]:
    """Working days from referral to mentor, for the mentors assigned in the month."""
    return [
        working_days(s.submitted_on, s.assigned_on)
        for s in spans
        if s.assigned_on is not None and first <= s.assigned_on <= last
    ]


def outcomes(spans: Iterable[ReferralSpan], first: date, last: date) -> dict[str, int]:
    """Outcomes of the courses closed in the month, in the vocabulary's order."""
    counts = Counter(
        s.outcome or "other"
        for s in spans
        if s.closed_on is not None and first <= s.closed_on <= last
    )
    ordered = {o: counts[o] for o in OUTCOME_ORDER if counts[o]}
    ordered.update({o: n for o, n in counts.items() if o not in ordered})
    return ordered


def stale_referrals(
    spans: Iterable[ReferralSpan], last_entry: Mapping[int, date], day: date, days: int = STALE_DAYS
) -> list[int]:
    """Referrals with a mentor on the day whose newest logbook entry is `days` or more old."""
    limit = day - timedelta(days=days)
    stale = []
    for s in spans:
        if not (_with_mentor_on(s, day) and _open_on(s, day) and s.start_date <= day <= s.end_date):
            continue
        newest = last_entry.get(s.referral_id)
        assert s.assigned_on is not None  # _with_mentor_on checked it
        reference = newest if newest is not None else max(s.assigned_on, s.start_date)
        if reference <= limit:
            stale.append(s.referral_id)
    return stale


def caseloads(
    mentors: Iterable[MentorCapacity], spans: Iterable[ReferralSpan], day: date
) -> list[CaseloadRow]:
    """Open referrals per active mentor on the day against the mentor's capacity."""
    load = Counter(s.mentor_id for s in spans if _with_mentor_on(s, day) and _open_on(s, day))
    rows = []
    for m in mentors:
        if not m.active and not load[m.mentor_id]:
            continue
        used = load[m.mentor_id]
        ratio = share(used, m.max_caseload) if m.max_caseload else Decimal("0.0000")
        rows.append(CaseloadRow(m.mentor_id, m.name, used, m.max_caseload, ratio))
    return sorted(rows, key=lambda r: (-r.utilisation, r.name))
