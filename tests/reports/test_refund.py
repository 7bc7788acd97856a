from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.core.money import CATEGORIES, cost_from_minute_ore
from reports.core.refund import (
    DEFAULT_RULE,
    CitizenTotals,
    NoRuleInForce,
    RefundRule,
    RuleChangesInPeriod,
    build_report,
    report_to_json,
    rule_for_period,
)
from tests.reports.factories import END, START, citizen, contract_report, rule

D = Decimal
RULES = [rule(date(2025, 1, 1)), rule(date(2026, 4, 1), rate="0.40")]


def test_json_is_exactly_the_contract_example():
    assert report_to_json(contract_report()) == {
        "from": "2026-01-01",
        "to": "2026-03-31",
        "refund_rate": "0.50",
        "rows": [
            {
                "citizen_id": 3,
                "cpr": "0101901234",
                "name": "Anna Jensen",
                "minutes_by_category": {
                    "citizen_contact": 600,
                    "professional_dialogue": 0,
                    "transport_with_citizen": 0,
                    "administration": 30,
                    "own_transport": 45,
                },
                "hours": "10.50",
                "non_refundable_hours": "0.75",
                "cost": "4200.00",
                "refund": "2100.00",
            }
        ],
        "training": {"cost": "8000.00", "refund": "4000.00"},
        "totals": {
            "hours": "10.50",
            "non_refundable_hours": "0.75",
            "cost": "12200.00",
            "refund": "6100.00",
        },
    }


def test_cost_is_rounded_once_per_row_not_per_entry():
    # Two one-minute entries at 1 kr/h: 0.0167 kr each.
    per_entry = cost_from_minute_ore(100) + cost_from_minute_ore(100)
    report = build_report(START, END, DEFAULT_RULE, [citizen(rate_ore=100, citizen_contact=2)], 0)
    assert per_entry == D("0.04")
    assert report.rows[0].cost == D("0.03")


def test_refund_rounds_half_up_and_totals_are_sums_of_rounded_rows():
    rows = [citizen(cid=i, cpr=f"01019000{i}0", rate_ore=100, citizen_contact=2) for i in (1, 2, 3)]
    report = build_report(START, END, DEFAULT_RULE, rows, 0)
    assert [r.refund for r in report.rows] == [D("0.02")] * 3  # 0.03 × 0.50 = 0.015
    assert report.totals.refund == D("0.06")  # not half_up(0.09 × 0.50) = 0.05
    assert report.totals.cost == D("0.09")


def test_training_is_in_cost_and_refund_totals_but_not_in_hours():
    report = contract_report(training_ore=12_345)
    assert (report.training_cost, report.training_refund) == (D("123.45"), D("61.73"))
    assert report.totals.cost == D("4200.00") + D("123.45")
    assert report.totals.refund == D("2100.00") + D("61.73")
    assert report.totals.hours == D("10.50")


def test_own_transport_only_ever_counts_as_non_refundable():
    report = build_report(START, END, DEFAULT_RULE, [citizen(own_transport=90)], 0)
    row = report.rows[0]
    assert (row.hours, row.non_refundable_hours, row.cost, row.refund) == (
        D("0.00"),
        D("1.50"),
        D("0.00"),
        D("0.00"),
    )
    with pytest.raises(ValueError, match="never refundable"):
        RefundRule(date(2026, 1, 1), D("0.50"), frozenset(CATEGORIES))


def test_refundable_categories_come_from_the_rule():
    narrow = rule(date(2025, 1, 1), rate="0.25", refundable={"citizen_contact"})
    row = citizen(rule=narrow, citizen_contact=60, administration=30, professional_dialogue=15)
    report = build_report(START, END, narrow, [row], 0)
    r = report.rows[0]
    assert (r.hours, r.non_refundable_hours, r.cost, r.refund) == (
        D("1.00"),
        D("0.75"),
        D("400.00"),
        D("100.00"),
    )
    assert report_to_json(report)["refund_rate"] == "0.25"


def test_rows_are_ordered_by_cpr_with_all_five_categories():
    rows = [citizen(cid=1, cpr="3112991234"), citizen(cid=2, cpr="0101901234", citizen_contact=5)]
    report = build_report(START, END, DEFAULT_RULE, rows, 0)
    assert [r.cpr for r in report.rows] == ["0101901234", "3112991234"]
    assert list(report.rows[0].minutes_by_category) == list(CATEGORIES)


def test_sql_nulls_and_numeric_sums_are_accepted():
    row = CitizenTotals(
        1, "0101901234", "A", {"citizen_contact": D("60"), "administration": None}, D("2400000")
    )
    assert build_report(START, END, DEFAULT_RULE, [row], 0).rows[0].cost == D("400.00")


@pytest.mark.parametrize(
    "bad",
    [
        CitizenTotals(1, "1", "A", {"coffee": 5}, 0),
        CitizenTotals(1, "1", "A", {"citizen_contact": -5}, 0),
        CitizenTotals(1, "1", "A", {"own_transport": 60}, 40_000 * 60),  # cost of nothing
    ],
)
def test_inconsistent_query_rows_are_refused(bad):
    with pytest.raises(ValueError):
        build_report(START, END, DEFAULT_RULE, [bad], 0)


def test_a_citizen_twice_is_refused():
    with pytest.raises(ValueError, match="more than once"):
        build_report(START, END, DEFAULT_RULE, [citizen(cid=1), citizen(cid=1, cpr="2")], 0)


def test_rule_starting_on_the_first_day_governs_the_period():
    assert rule_for_period(RULES, date(2026, 4, 1), date(2026, 6, 30)).rate == D("0.40")
    assert rule_for_period(RULES, START, date(2026, 3, 31)).rate == D("0.50")


@pytest.mark.parametrize("end", [date(2026, 4, 1), date(2026, 6, 30)])
def test_rule_starting_inside_the_period_raises_in_danish(end):
    with pytest.raises(RuleChangesInPeriod, match=r"ændres den 1\. april 2026") as caught:
        rule_for_period(RULES, START, end)
    assert isinstance(caught.value, ValueError)


def test_identical_rule_resaved_inside_the_period_is_no_change():
    rules = [rule(date(2025, 1, 1)), rule(date(2026, 2, 1))]
    assert rule_for_period(rules, START, END).valid_from == date(2025, 1, 1)


def test_no_rule_in_force():
    with pytest.raises(NoRuleInForce):
        rule_for_period(RULES, date(2024, 1, 1), date(2024, 3, 31))
    with pytest.raises(NoRuleInForce):
        rule_for_period([], START, END)


def test_first_rule_differing_from_the_default_inside_the_period_is_a_change():
    with pytest.raises(RuleChangesInPeriod):
        rule_for_period([rule(date(2026, 2, 1), rate="0.40")], START, END)


def test_reversed_period_is_refused():
    with pytest.raises(ValueError):
        rule_for_period(RULES, END, START)


def test_rule_rate_must_be_a_decimal_fraction():
    with pytest.raises(ValueError):
        RefundRule(date(2026, 1, 1), D("1.5"), frozenset())
    with pytest.raises(ValueError):
        RefundRule(date(2026, 1, 1), 0.5, frozenset())
    with pytest.raises(ValueError):
        RefundRule(date(2026, 1, 1), D("NaN"), frozenset())


minutes = st.integers(min_value=0, max_value=20_000)
citizens = st.lists(
    st.tuples(
        st.fixed_dictionaries({c: minutes for c in CATEGORIES}),
        st.integers(min_value=0, max_value=300_000),
    ),
    max_size=25,
)
rules = st.builds(
    lambda rate, cats: RefundRule(date(2025, 1, 1), D(rate) / 100, frozenset(cats)),
    st.integers(min_value=0, max_value=100),
    st.sets(st.sampled_from(CATEGORIES[:4])),
)


@given(citizens, rules, st.integers(min_value=0, max_value=10**9))
def test_totals_are_sums_of_rows_and_refund_never_exceeds_cost(data, the_rule, training):
    rows = [
        CitizenTotals(
            i,
            f"{i:010d}",
            f"B{i}",
            mins,
            sum(m for c, m in mins.items() if c in the_rule.refundable) * rate,
        )
        for i, (mins, rate) in enumerate(data)
    ]
    report = build_report(START, END, the_rule, rows, training)
    t = report.totals
    assert t.hours == sum((r.hours for r in report.rows), D(0))
    assert t.non_refundable_hours == sum((r.non_refundable_hours for r in report.rows), D(0))
    assert t.cost == sum((r.cost for r in report.rows), report.training_cost)
    assert t.refund == sum((r.refund for r in report.rows), report.training_refund)
    for r in [*report.rows, t]:
        assert D(0) <= r.refund <= r.cost
    assert report.training_refund <= report.training_cost
    report_to_json(report)  # every value formats as a contract decimal
