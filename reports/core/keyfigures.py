"""Monthly key figures of the corps (DOMAIN.md "Coordination and follow-up"), pure.

The queries hand over small facts (one row per referral, mentor or sub-goal mark, and
minutes already summed by the database); everything here is arithmetic on those.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import BinaryIO

from openpyxl import Workbook

from reports.core.danish import local_naive, month_bounds, month_name, utc_naive
from reports.core.evidence import Evidence, share
from reports.core.money import CATEGORIES, CATEGORY_LABELS, hours_from_minutes
from reports.core.tables import HOURS, INT, SHARE, TEXT, CellValue
from reports.core.xlsxcells import BOLD, TITLE, RowWriter, text_cell

STALE_DAYS = 14
PROGRESS_LABELS = {1: "Fremskridt", 0: "Uændret", -1: "Tilbageskridt"}
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
    utilisation: Decimal  # caseload / capacity, 4 decimals rounded down; 0 without capacity

    @property
    def over(self) -> bool:
        return self.caseload > self.capacity


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


def median(values: Iterable[int | Decimal]) -> Decimal | None:
    """The median (mean of the middle two for an even count), one decimal half-up."""
    ordered = sorted(Decimal(v) for v in values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    value = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


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


HOUR_BUCKETS = ((0, 5), (5, 10), (10, 20), (20, 40), (40, None))


def citizen_hours(minutes_per_citizen: Iterable[int]) -> CitizenHours:
    """Hours per citizen: count, total, mean, median, maximum and a histogram."""
    hours = [hours_from_minutes(int(m)) for m in minutes_per_citizen]
    if not hours:
        return CitizenHours(0, Decimal("0.00"), None, None, None, [])
    total = sum(hours, Decimal("0.00"))
    mean = (total / len(hours)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    buckets = []
    for low, high in HOUR_BUCKETS:
        label = f"{low}–{high} t" if high is not None else f"{low} t og derover"
        n = sum(1 for h in hours if h >= low and (high is None or h < high))
        buckets.append((label, n))
    return CitizenHours(len(hours), total, mean, median(hours), max(hours), buckets)


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


# --- the Excel export -----------------------------------------------------------------------


def _summary_rows(
    kf: KeyFigures, outcome_labels: Mapping[str, str]
) -> list[tuple[str, CellValue, str]]:
    """(label, value, kind) rows of the Nøgletal sheet."""
    ev = kf.evidence
    rows: list[tuple[str, CellValue, str]] = [
        ("Borgere med aktiv mentor", kf.active_with_mentor, INT),
        ("Henvisninger, der venter på mentor", kf.waiting, INT),
        ("Mentorer tildelt i måneden", kf.assigned_in_month, INT),
        ("Median arbejdsdage fra henvisning til mentor", kf.median_days_to_mentor, HOURS),
        (f"Forløb uden logbogsnotat i {STALE_DAYS} dage", kf.stale, INT),
        ("Timer i alt", kf.total_hours, HOURS),
        *((f"Timer: {CATEGORY_LABELS[c]}", h, HOURS) for c, h in kf.hours_by_category.items()),
        ("Borgere med registreret tid", kf.citizen_hours.citizens, INT),
        ("Gennemsnitlige timer pr. borger", kf.citizen_hours.mean, HOURS),
        ("Median timer pr. borger", kf.citizen_hours.median, HOURS),
        ("Kontakttimer dokumenteret med logbogsnotat (andel)", ev.backed_share, SHARE),
        ("Heraf vist for borgeren (andel)", ev.shown_share, SHARE),
        ("Borgere med udokumenterede kontakttimer", ev.citizens_incomplete, INT),
        *((f"Afsluttet: {outcome_labels.get(o, o)}", n, INT) for o, n in kf.outcomes.items()),
        *((f"Udvikling: {PROGRESS_LABELS[p]}", n, INT) for p, n in kf.progress_totals.items()),
    ]
    return rows


def write_key_figures_workbook(
    out: BinaryIO,
    kf: KeyFigures,
    *,
    created_at: datetime,
    created_by: str,
    outcome_labels: Mapping[str, str],
) -> None:
    """Key figures as a write-only workbook: Nøgletal, Delmål, Mentorer; text stays text."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Nøgletal")
    ws.column_dimensions["A"].width = 55
    ws.column_dimensions["B"].width = 18
    ws.append([text_cell(ws, f"Nøgletal – {month_name(kf.month)}", TITLE)])
    ws.append([text_cell(ws, "Opgjort pr."), text_cell(ws, kf.as_of.strftime("%d-%m-%Y"))])
    ws.append([text_cell(ws, "Udarbejdet af"), text_cell(ws, created_by)])
    ws.append(
        [
            text_cell(ws, "Udarbejdet"),
            text_cell(ws, local_naive(created_at).strftime("%d-%m-%Y %H:%M")),
        ]
    )
    ws.append([])
    for label, value, kind in _summary_rows(kf, outcome_labels):
        RowWriter(ws, [TEXT, kind]).append((label, value))

    goals = wb.create_sheet("Delmål")
    goals.column_dimensions["A"].width = 60
    goals.freeze_panes = "A2"
    goals.append(
        [text_cell(goals, h, BOLD) for h in ("Delmål", *PROGRESS_LABELS.values(), "I alt")]
    )
    writer = RowWriter(goals, [TEXT, INT, INT, INT, INT])
    for g in kf.progress:
        writer.append((g.title, g.forward, g.unchanged, g.setback, g.total))
    goals.auto_filter.ref = f"A1:E{len(kf.progress) + 1}"

    loads = wb.create_sheet("Mentorer")
    loads.column_dimensions["A"].width = 30
    loads.freeze_panes = "A2"
    headers = ("Mentor", "Forløb", "Kapacitet", "Belægning (andel)")
    loads.append([text_cell(loads, h, BOLD) for h in headers])
    writer = RowWriter(loads, [TEXT, INT, INT, SHARE])
    for row in kf.caseloads:
        writer.append((row.name, row.caseload, row.capacity, row.utilisation))
    loads.auto_filter.ref = f"A1:D{len(kf.caseloads) + 1}"
    wb.properties.creator = created_by
    wb.properties.title = f"Nøgletal {month_name(kf.month)}"
    wb.properties.created = wb.properties.modified = utc_naive(created_at)
    wb.save(out)
