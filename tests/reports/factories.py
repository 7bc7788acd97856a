"""Builders for report inputs, so tests state only what they are about."""

from datetime import date
from decimal import Decimal

from reports.core.refund import DEFAULT_RULE, CitizenTotals, RefundRule, build_report

START, END = date(2026, 1, 1), date(2026, 3, 31)
NASTY = (
    '=HYPERLINK("http://x","y")',
    "=1+1",
    "+SUM(A1)",
    "-2+3",
    "@cmd",
    "#N/A",
    "=",
    "0101901234",
)


def citizen(cid=3, cpr="0101901234", name="Anna Jensen", rate_ore=40_000, rule=None, **minutes):
    """A citizen's aggregate row with one hourly rate for all refundable minutes."""
    refundable = (rule or DEFAULT_RULE).refundable
    minute_ore = sum(m for c, m in minutes.items() if c in refundable) * rate_ore
    return CitizenTotals(cid, cpr, name, minutes, minute_ore)


def contract_report(training_ore=800_000):
    """The contract's example: 600 + 30 refundable minutes, 45 own transport, 400 kr/h."""
    row = citizen(citizen_contact=600, administration=30, own_transport=45)
    return build_report(START, END, DEFAULT_RULE, [row], training_ore)


def rule(valid_from, rate="0.50", refundable=None):
    """A refund rule; default categories are the four refundable by default."""
    return RefundRule(valid_from, Decimal(rate), refundable or DEFAULT_RULE.refundable)
