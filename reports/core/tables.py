"""The report's tables as typed values, shared by the workbook and the CSV files."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from reports.core.danish import yes_no
from reports.core.evidence import Evidence, no_contact
from reports.core.money import (
    CATEGORIES,
    CATEGORY_LABELS,
    cost_from_minute_ore,
    half_up,
    hours_from_minutes,
    ore_to_kr,
)
from reports.core.refund import RefundReport, RefundRow

# A value of a table cell, as the CSV and Excel writers take it.
CellValue = bool | int | float | Decimal | str | date | datetime | None

# How the totals are rounded: the workbook's notes and the refund page say it alike.
ROW_ROUNDING_NOTE = (
    "Udgiften pr. borger er summen af minutter × mentorens timesats på dagen, afrundet én "
    "gang pr. borger; beløbene pr. registrering er afrundet hver for sig og kan derfor "
    "afvige med få øre fra borgerens udgift."
)
TOTALS_NOTE = "I alt er summen af de afrundede rækker, inkl. uddannelse af mentorer."
REFUND_ROUNDING_NOTE = (
    "Refusionen er afrundet til hele øre for hver række for sig, så refusionen i alt kan "
    "afvige med få øre fra refusionssatsen gange udgiften i alt."
)

# Column kinds; each writer renders them its own way.
TEXT, INT, HOURS, MONEY, SHARE, DATE = "text", "int", "hours", "money", "share", "date"
# Row kinds in the citizen table.
CITIZEN, TRAINING, TOTAL = "citizen", "training", "total"


@dataclass(frozen=True)
class Column:
    """A column's Danish header, its kind and its width in characters."""

    header: str
    kind: str
    width: float


class EntryRow(NamedTuple):
    """One time entry as the entries query returns it (rate in øre per hour).

    A named tuple: hundreds of thousands are made per workbook, straight from the rows.
    """

    date: date
    cpr: str
    citizen_name: str
    mentor_name: str
    category: str
    minutes: int
    rate_ore: int
    note: str | None = None


EVIDENCE_COLUMNS = (
    Column("Dokumentation (andel)", SHARE, 14),
    Column("Vist for borger (andel)", SHARE, 14),
    Column("Mangler dokumentation", TEXT, 12),
)
ENTRY_COLUMNS = (
    Column("Dato", DATE, 12),
    Column("CPR-nr.", TEXT, 12),
    Column("Borger", TEXT, 28),
    Column("Mentor", TEXT, 24),
    Column("Kategori", TEXT, 30),
    Column("Refusionsberettiget", TEXT, 10),
    Column("Minutter", INT, 10),
    Column("Timer", HOURS, 9),
    Column("Timesats", MONEY, 14),
    Column("Udgift", MONEY, 14),
    Column("Note", TEXT, 60),
)


def citizen_columns(with_evidence: bool) -> tuple[Column, ...]:
    """Columns of the Borgere table, evidence columns last when given."""
    columns = (
        Column("CPR-nr.", TEXT, 12),
        Column("Navn", TEXT, 28),
        *(Column(f"{CATEGORY_LABELS[c]} (timer)", HOURS, 14) for c in CATEGORIES),
        Column("Refusionsberettigede timer", HOURS, 14),
        Column("Ikke-refusionsberettigede timer", HOURS, 14),
        Column("Udgift", MONEY, 16),
        Column("Refusion", MONEY, 16),
    )
    return columns + EVIDENCE_COLUMNS if with_evidence else columns


def _evidence_values(evidence: Evidence) -> tuple[CellValue, ...]:
    """Shares and the missing-documentation flag."""
    return (evidence.backed_share, evidence.shown_share, yes_no(not evidence.complete))


def _citizen_values(
    row: RefundRow, evidence: Mapping[int, Evidence] | None
) -> tuple[CellValue, ...]:
    """One citizen's values in column order."""
    hours = (hours_from_minutes(row.minutes_by_category[c]) for c in CATEGORIES)
    values: tuple[CellValue, ...] = (
        row.cpr,
        row.name,
        *hours,
        row.hours,
        row.non_refundable_hours,
        row.cost,
        row.refund,
    )
    if evidence is None:
        return values
    return values + _evidence_values(evidence.get(row.citizen_id) or no_contact(row.citizen_id))


@dataclass(frozen=True)
class Rounding:
    """The rate applied to the total cost, and how far the summed row refunds are from it."""

    exact: Decimal  # the total cost × the rate, rounded once
    difference: Decimal  # the refund in total minus `exact` (0: no difference)
    note: str = f"{TOTALS_NOTE} {REFUND_ROUNDING_NOTE}"


def rounding(report: RefundReport) -> Rounding:
    """Whether the sum of the rounded row refunds differs from rate × the total cost."""
    exact = half_up(report.totals.cost * report.rule.rate)
    return Rounding(exact, report.totals.refund - exact)


def category_totals(report: RefundReport) -> list[Decimal]:
    """Per category, the sum of the rounded row hours (so the column adds up)."""
    return [
        sum((hours_from_minutes(r.minutes_by_category[c]) for r in report.rows), Decimal("0.00"))
        for c in CATEGORIES
    ]


def citizen_table(
    report: RefundReport, evidence: Mapping[int, Evidence] | None = None
) -> Iterator[tuple[str, tuple[CellValue, ...]]]:
    """(row kind, values): citizens by CPR, then training, then the totals row."""
    for row in report.rows:
        yield CITIZEN, _citizen_values(row, evidence)
    blanks = (None,) * 7  # training has no hours
    training = (report.training_cost, report.training_refund)
    yield TRAINING, (None, "Uddannelse af mentorer", *blanks, *training)
    t = report.totals
    total_values = (t.hours, t.non_refundable_hours, t.cost, t.refund)
    yield TOTAL, (None, "I alt", *category_totals(report), *total_values)


def entry_values(entry: EntryRow, refundable: frozenset[str]) -> tuple[CellValue, ...]:
    """One time entry's values in ENTRY_COLUMNS order."""
    return (
        entry.date,
        entry.cpr,
        entry.citizen_name,
        entry.mentor_name,
        CATEGORY_LABELS[entry.category],
        yes_no(entry.category in refundable),
        entry.minutes,
        hours_from_minutes(entry.minutes),
        ore_to_kr(entry.rate_ore),
        cost_from_minute_ore(entry.minutes * entry.rate_ore),
        entry.note or None,
    )
