"""Key figure computations on small worlds (pure: no database)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest

from reports.core import delivery_figures, keyfigures, keyfigures_workbook, referral_figures
from reports.core.evidence import ContactDay, evidence_for

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def span(
    rid,
    citizen=None,
    mentor=1,
    submitted=date(2026, 2, 2),
    assigned=date(2026, 2, 9),
    closed=None,
    start=date(2026, 2, 1),
    end=date(2026, 12, 31),
    outcome=None,
):
    return referral_figures.ReferralSpan(
        rid, citizen or rid, mentor, submitted, assigned, closed, start, end, outcome
    )


def calendar_days(a, b):
    return (b - a).days


def test_active_with_mentor_counts_citizens_once():
    spans = [
        span(1, citizen=1),
        span(2, citizen=1),  # a second course of the same citizen
        span(3, mentor=None, assigned=None),  # waiting
        span(4, closed=date(2026, 2, 20)),  # closed before March
        span(5, assigned=date(2026, 4, 2)),  # mentor only in April
        span(6, closed=date(2026, 3, 10), outcome="job"),  # closed in March: counts
    ]
    assert referral_figures.active_with_mentor(spans, *MARCH) == 2


def test_waiting_and_median_days_to_mentor():
    spans = [
        span(1, submitted=date(2026, 3, 2), assigned=date(2026, 3, 5)),
        span(2, submitted=date(2026, 3, 2), assigned=date(2026, 3, 12)),
        span(3, mentor=None, assigned=None, submitted=date(2026, 3, 20)),
        span(4, mentor=None, assigned=None, submitted=date(2026, 4, 2)),  # after the day
        span(5, mentor=None, assigned=None, closed=date(2026, 3, 25)),  # closed unassigned
        span(6, submitted=date(2026, 3, 2), assigned=date(2026, 4, 8)),  # waiting at March end
    ]
    assert referral_figures.waiting(spans, MARCH[1]) == 2
    days = referral_figures.days_to_mentor(spans, *MARCH, calendar_days)
    assert sorted(days) == [3, 10]
    assert delivery_figures.median(days) == Decimal("6.5")
    assert delivery_figures.median([]) is None and delivery_figures.median([4, 1, 9]) == Decimal(
        "4.0"
    )


def test_outcomes_in_vocabulary_order():
    spans = [
        span(1, closed=date(2026, 3, 3), outcome="no_effect"),
        span(2, closed=date(2026, 3, 9), outcome="job"),
        span(3, closed=date(2026, 3, 9), outcome="job"),
        span(4, closed=date(2026, 2, 9), outcome="education"),
    ]
    assert referral_figures.outcomes(spans, *MARCH) == {"job": 2, "no_effect": 1}


def test_stale_logbooks_after_14_days():
    day = MARCH[1]
    spans = [span(1), span(2), span(3), span(4, assigned=day - timedelta(days=3))]
    last = {1: day - timedelta(days=14), 2: day - timedelta(days=13)}
    # 1: exactly 14 days; 3: never a note since its start; 4: too newly assigned.
    assert referral_figures.stale_referrals(spans, last, day) == [1, 3]


def test_caseload_against_capacity():
    mentors = [
        referral_figures.MentorCapacity(1, "Mette", 2),
        referral_figures.MentorCapacity(2, "Bo", 4),
        referral_figures.MentorCapacity(3, "Inaktiv", 5, active=False),
    ]
    spans = [
        span(1),
        span(2),
        span(3),
        span(4, mentor=2),
        span(5, mentor=2, closed=date(2026, 3, 1)),
    ]
    rows = referral_figures.caseloads(mentors, spans, MARCH[1])
    assert [(r.name, r.caseload, r.capacity, r.over) for r in rows] == [
        ("Mette", 3, 2, True),
        ("Bo", 1, 4, False),
    ]
    assert rows[0].utilisation == Decimal("1.5000")


def test_progress_per_sub_goal():
    marks = [
        delivery_figures.ProgressMark(7, 1),
        delivery_figures.ProgressMark(7, 1),
        delivery_figures.ProgressMark(7, -1),
        delivery_figures.ProgressMark(8, 0),
    ]
    goals = delivery_figures.progress_by_goal(marks, {7: "Tage bussen", 8: "Møde stabilt"})
    assert [(g.title, g.forward, g.unchanged, g.setback) for g in goals] == [
        ("Tage bussen", 2, 0, 1),
        ("Møde stabilt", 0, 1, 0),
    ]
    with pytest.raises(ValueError):
        delivery_figures.progress_by_goal([delivery_figures.ProgressMark(1, 2)], {})


def test_evidence_share_and_hours():
    evidence = [
        evidence_for(1, [ContactDay(1, date(2026, 3, 2), 60, True, True)]),
        evidence_for(
            2,
            [
                ContactDay(2, date(2026, 3, 2), 30, False, False),
                ContactDay(2, date(2026, 3, 3), 30, True, False),
            ],
        ),
    ]
    totals = delivery_figures.evidence_totals(evidence)
    assert (totals.backed_share, totals.shown_share) == (Decimal("0.7500"), Decimal("0.5000"))
    assert totals.citizens_incomplete == 1
    hours = delivery_figures.hours_by_category({"citizen_contact": 90, "own_transport": 1})
    assert hours["citizen_contact"] == Decimal("1.50") and hours["administration"] == Decimal(
        "0.00"
    )
    dist = delivery_figures.citizen_hours([60, 600, 3000])
    assert (dist.citizens, dist.median, dist.maximum) == (3, Decimal("10.0"), Decimal("50.00"))
    assert dict(dist.buckets)["40 t og derover"] == 1


def figures():
    return keyfigures.build_key_figures(
        month=date(2026, 3, 14),
        as_of=date(2026, 6, 1),
        spans=[span(1), span(2, outcome="job", closed=date(2026, 3, 2))],
        working_days=calendar_days,
        category_minutes={"citizen_contact": 120},
        minutes_per_citizen=[120],
        last_entry={},
        evidence=[],
        marks=[delivery_figures.ProgressMark(1, 1)],
        goal_titles={1: "=1+1"},
        mentors=[referral_figures.MentorCapacity(1, '=HYPERLINK("x")', 10)],
    )


def test_build_and_workbook_keeps_text_as_text():
    kfig = figures()
    assert kfig.month == date(2026, 3, 1) and kfig.as_of == date(2026, 3, 31)
    assert kfig.active_with_mentor == 2 and kfig.outcomes == {"job": 1}
    out = BytesIO()
    keyfigures_workbook.write_key_figures_workbook(
        out,
        kfig,
        created_at=datetime(2026, 4, 1, tzinfo=UTC),
        created_by="Ole",
        outcome_labels={"job": "Job"},
    )
    wb = openpyxl.load_workbook(BytesIO(out.getvalue()))
    assert wb.sheetnames == ["Nøgletal", "Delmål", "Mentorer"]
    assert wb["Delmål"]["A2"].value == "=1+1" and wb["Delmål"]["A2"].data_type == "s"
    assert wb["Mentorer"]["A2"].data_type == "s"
    values = {r[0]: r[1] for r in wb["Nøgletal"].iter_rows(values_only=True) if r and r[0]}
    assert values["Borgere med aktiv mentor"] == 2
