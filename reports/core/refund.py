"""The refund report: per-citizen hours, cost and refund under one refund rule."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reports.core.danish import long_date, period
from reports.core.money import (
    CATEGORIES,
    NEVER_REFUNDABLE,
    as_int,
    cost_from_minute_ore,
    fmt2,
    fmt_rate,
    half_up,
    hours_from_minutes,
    ore_to_kr,
)

ZERO = Decimal("0.00")


class RuleChangesInPeriod(ValueError):
    """The claim period spans a change of refund rate or refundable categories."""


class NoRuleInForce(LookupError):
    """No refund rule is in force at the start of the period (caller uses DEFAULT_RULE)."""


@dataclass(frozen=True)
class RefundRule:
    """Refund rate and refundable categories in force from `valid_from`."""

    valid_from: date
    rate: Decimal
    refundable: frozenset[str]

    def __post_init__(self) -> None:
        """Reject rates outside 0..1 and categories that cannot be refunded."""
        rate = self.rate
        if not isinstance(rate, Decimal) or not rate.is_finite() or not 0 <= rate <= 1:
            raise ValueError(f"refund rate must be a Decimal in 0..1, got {self.rate!r}")
        object.__setattr__(self, "refundable", frozenset(self.refundable))
        unknown = self.refundable - set(CATEGORIES)
        if unknown:
            raise ValueError(f"unknown categories: {sorted(unknown)}")
        if self.refundable & NEVER_REFUNDABLE:
            raise ValueError("own_transport is never refundable")

    def same_terms(self, other: "RefundRule") -> bool:
        """Whether both rules refund the same categories at the same rate."""
        return self.rate == other.rate and self.refundable == other.refundable


DEFAULT_RULE = RefundRule(date.min, Decimal("0.50"), frozenset(CATEGORIES) - NEVER_REFUNDABLE)


def rule_for_period(rules: Iterable[RefundRule], start: date, end: date) -> RefundRule:
    """The one rule governing start..end; raises if the terms change inside the period."""
    if end < start:
        raise ValueError("Perioden slutter, før den begynder.")
    ordered = sorted(rules, key=lambda rule: rule.valid_from)  # stable: last saved wins ties
    in_force = None
    for rule in ordered:
        if rule.valid_from <= start:
            in_force = rule
    baseline = in_force or DEFAULT_RULE
    for rule in ordered:
        # A re-saved rule with identical terms is no change of rate or eligibility.
        if start < rule.valid_from <= end and not rule.same_terms(baseline):
            raise RuleChangesInPeriod(
                f"Refusionsreglerne ændres den {long_date(rule.valid_from)}, inden for "
                f"perioden {period(start, end)}. Opdel perioden ved regelændringen."
            )
    if in_force is None:
        raise NoRuleInForce(f"Ingen refusionsregel gælder den {long_date(start)}.")
    return in_force


@dataclass(frozen=True)
class CitizenTotals:
    """One row of the aggregate query: a citizen's minutes and Σ minutes × øre/hour.

    `refundable_minute_ore` is SUM(minutes * rate_ore) over the citizen's entries in the
    rule's refundable categories, rate_ore being the mentor's hourly rate on the entry's date.
    """

    citizen_id: int
    cpr: str
    name: str
    minutes_by_category: Mapping[str, int]
    refundable_minute_ore: int


@dataclass(frozen=True)
class RefundRow:
    """A citizen's line in the report, rounded as the contract prescribes."""

    citizen_id: int
    cpr: str
    name: str
    minutes_by_category: dict[str, int]
    hours: Decimal
    non_refundable_hours: Decimal
    cost: Decimal
    refund: Decimal


@dataclass(frozen=True)
class Totals:
    """Sums of the rounded rows (training included in cost and refund)."""

    hours: Decimal
    non_refundable_hours: Decimal
    cost: Decimal
    refund: Decimal


@dataclass(frozen=True)
class RefundReport:
    """The refund report for one claim period."""

    start: date
    end: date
    rule: RefundRule
    rows: tuple[RefundRow, ...]
    training_cost: Decimal
    training_refund: Decimal
    totals: Totals


def _all_categories(minutes: Mapping[str, int]) -> dict[str, int]:
    """All five categories in contract order, zeros filled; rejects unknown or negative."""
    unknown = set(minutes) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown categories: {sorted(unknown)}")
    # SUM(...) FILTER (...) yields NULL for a category without entries.
    filled = {c: as_int(minutes.get(c) or 0, c) for c in CATEGORIES}
    if any(value < 0 for value in filled.values()):
        raise ValueError("minutes cannot be negative")
    return filled


def _row(citizen: CitizenTotals, rule: RefundRule) -> RefundRow:
    """Round one citizen's aggregate into a report row."""
    minutes = _all_categories(citizen.minutes_by_category)
    refundable = sum(m for category, m in minutes.items() if category in rule.refundable)
    minute_ore = as_int(citizen.refundable_minute_ore, "refundable_minute_ore")
    if minute_ore < 0 or (refundable == 0 and minute_ore):
        # The query and the rule disagree on which categories count.
        raise ValueError(f"citizen {citizen.citizen_id}: cost without refundable minutes")
    cost = cost_from_minute_ore(minute_ore)
    return RefundRow(
        citizen_id=citizen.citizen_id,
        cpr=citizen.cpr,
        name=citizen.name,
        minutes_by_category=minutes,
        hours=hours_from_minutes(refundable),
        non_refundable_hours=hours_from_minutes(sum(minutes.values()) - refundable),
        cost=cost,
        refund=half_up(cost * rule.rate),
    )


def build_report(
    start: date,
    end: date,
    rule: RefundRule,
    citizens: Iterable[CitizenTotals],
    training_ore: int,
) -> RefundReport:
    """Rows ordered by CPR, training priced likewise, totals as sums of rounded rows."""
    rows = tuple(sorted((_row(c, rule) for c in citizens), key=lambda r: (r.cpr, r.citizen_id)))
    if len({row.citizen_id for row in rows}) != len(rows):
        raise ValueError("a citizen appears more than once; group the query by citizen")
    training_cost = ore_to_kr(training_ore)
    training_refund = half_up(training_cost * rule.rate)
    totals = Totals(
        hours=sum((row.hours for row in rows), ZERO),
        non_refundable_hours=sum((row.non_refundable_hours for row in rows), ZERO),
        cost=sum((row.cost for row in rows), training_cost),
        refund=sum((row.refund for row in rows), training_refund),
    )
    return RefundReport(start, end, rule, rows, training_cost, training_refund, totals)


def _row_json(row: RefundRow) -> dict[str, object]:
    """One row in the contract's JSON shape."""
    return {
        "citizen_id": row.citizen_id,
        "cpr": row.cpr,
        "name": row.name,
        "minutes_by_category": dict(row.minutes_by_category),
        "hours": fmt2(row.hours),
        "non_refundable_hours": fmt2(row.non_refundable_hours),
        "cost": fmt2(row.cost),
        "refund": fmt2(row.refund),
    }


def report_to_json(report: RefundReport) -> dict[str, object]:
    """The report exactly in the contract's JSON shape."""
    totals = report.totals
    return {
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "refund_rate": fmt_rate(report.rule.rate),
        "rows": [_row_json(row) for row in report.rows],
        "training": {"cost": fmt2(report.training_cost), "refund": fmt2(report.training_refund)},
        "totals": {
            "hours": fmt2(totals.hours),
            "non_refundable_hours": fmt2(totals.non_refundable_hours),
            "cost": fmt2(totals.cost),
            "refund": fmt2(totals.refund),
        },
    }
