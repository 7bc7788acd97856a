from decimal import Decimal

import pytest

from reports.core.money import (
    CATEGORIES,
    CATEGORY_LABELS,
    cost_from_minute_ore,
    fmt2,
    fmt_rate,
    half_up,
    hours_from_minutes,
    ore_to_kr,
)

D = Decimal


def test_categories_in_contract_order_with_danish_labels():
    assert CATEGORIES == (
        "citizen_contact",
        "professional_dialogue",
        "transport_with_citizen",
        "administration",
        "own_transport",
    )
    assert [CATEGORY_LABELS[c] for c in CATEGORIES] == [
        "Personlig kontakt og samtale med borgeren",
        "Opfølgning, dialog og undersøgelse med andre fagprofessionelle",
        "Transport med borgeren",
        "Administration og registrering",
        "Egen transport",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", "0.01"),
        ("2.675", "2.68"),
        ("2.665", "2.67"),  # banker's rounding would give 2.66
        ("0.0049999", "0.00"),
        ("-0.005", "-0.01"),
        ("7", "7.00"),
    ],
)
def test_half_up_at_the_edges(value, expected):
    assert str(half_up(D(value))) == expected


def test_half_up_to_other_places():
    assert half_up(D("0.12345"), 4) == D("0.1235")


def test_half_up_refuses_floats_which_already_lost_the_digits():
    with pytest.raises(TypeError):
        half_up(2.675)


@pytest.mark.parametrize(
    ("minutes", "hours"), [(0, "0.00"), (1, "0.02"), (30, "0.50"), (45, "0.75"), (630, "10.50")]
)
def test_hours_from_minutes(minutes, hours):
    assert str(hours_from_minutes(minutes)) == hours


@pytest.mark.parametrize(
    ("total", "kr"),
    [
        (0, "0.00"),
        (29, "0.00"),  # 0.48 øre
        (30, "0.01"),  # exactly half an øre rounds up
        (90, "0.02"),  # 1.5 øre
        (630 * 40_000, "4200.00"),
        (7 * 42_550, "49.64"),  # 49.6416… kr
    ],
)
def test_cost_from_minute_ore_rounds_once_at_the_ore(total, kr):
    assert str(cost_from_minute_ore(total)) == kr


def test_integral_decimal_from_postgres_sum_is_accepted_fractional_is_not():
    assert cost_from_minute_ore(D("90")) == D("0.02")
    with pytest.raises(TypeError):
        cost_from_minute_ore(D("90.5"))
    with pytest.raises(TypeError):
        hours_from_minutes(1.0)


def test_ore_to_kr_is_exact():
    assert str(ore_to_kr(800_005)) == "8000.05"


@pytest.mark.parametrize(
    ("value", "text"), [("1234.5", "1234.50"), ("0", "0.00"), ("-0.00", "0.00"), ("12", "12.00")]
)
def test_fmt2_has_exactly_two_decimals(value, text):
    assert fmt2(D(value)) == text


def test_fmt2_refuses_to_rerround_silently():
    with pytest.raises(ValueError, match="more than two decimals"):
        fmt2(D("1.005"))


def test_fmt_rate_keeps_extra_precision():
    assert fmt_rate(D("0.5000")) == "0.50"
    assert fmt_rate(D("0.425")) == "0.425"
