"""The Danish calendar and wording, defined once, and the template filters built on it."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from reports.core import danish
from service.core import formatting

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / "reports" / "core" / "danish.py"


def test_dates_periods_and_months():
    assert danish.long_date(date(2026, 11, 22)) == "22. november 2026"
    assert danish.month_name(date(2026, 3, 31)) == "marts 2026"
    assert danish.period(date(2026, 1, 1), date(2026, 3, 31)) == ("1. januar 2026 – 31. marts 2026")


@pytest.mark.parametrize(
    ("day", "bounds"),
    [
        (date(2026, 1, 31), (date(2026, 1, 1), date(2026, 1, 31))),
        (date(2028, 2, 10), (date(2028, 2, 1), date(2028, 2, 29))),  # leap year
        (date(2026, 12, 1), (date(2026, 12, 1), date(2026, 12, 31))),
    ],
)
def test_month_bounds(day, bounds):
    assert danish.month_bounds(day) == bounds


def test_local_day_and_midnight_follow_copenhagen():
    late = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)  # 00:30 on 1 July in summer time
    assert danish.local_date(late) == date(2026, 7, 1)
    assert danish.local_midnight(date(2026, 1, 1)).astimezone(UTC) == datetime(
        2025, 12, 31, 23, tzinfo=UTC
    )


def test_the_filters_render_the_danish_way():
    assert formatting.dato(date(2026, 11, 22)) == "22. november 2026"
    assert formatting.dato(datetime(2026, 11, 22, 23, 30, tzinfo=UTC)) == "23. november 2026"
    moment = datetime(2026, 11, 22, 13, 5, tzinfo=UTC)
    assert formatting.tidspunkt(moment) == "22. november 2026 kl. 14.05"
    assert formatting.kr(Decimal("1234.5")) == "1.234,50 kr."
    assert formatting.minutter_som_timer(90) == "1,50 t"
    assert formatting.minutter_som_timer(1) == "0,02 t"  # half-up, as the refund
    assert formatting.timer_lang(Decimal("3")) == "3,00 timer"


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (Decimal("0.125"), 2, "0,13"),  # Babel alone rounds half to even: 0,12
        (Decimal("16.665"), 2, "16,67"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("-2.5"), 0, "-3"),  # half away from zero, as money.half_up
        (Decimal("1234.5"), 2, "1.234,50"),
        (Decimal("99.95"), 1, "100,0"),
        (2.675, 2, "2,68"),  # a float is taken as written, not as 2.67499…
        (7, 1, "7,0"),
    ],
)
def test_numbers_are_rounded_half_up_to_the_shown_places(value, places, shown):
    assert formatting.tal(value, places) == shown


def test_amounts_round_half_up():
    assert formatting.kr(Decimal("0.125")) == "0,13 kr."
    assert formatting.timer(Decimal("0.005")) == "0,01 t"


def definitions(path: Path) -> set[str]:
    """Functions and constants a module defines, and any ZoneInfo it makes."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "ZoneInfo":
            names.add("ZoneInfo()")
    return names


def test_the_calendar_is_defined_once():
    once = {"MONTHS", "TIMEZONE", "ZoneInfo()", "month_bounds", "month_name"}
    once |= {"local_date", "local_midnight", "hours_from_minutes", "minutes_to_hours"}
    paths = [
        p
        for pkg in ("service", "logbook", "matching", "reports")
        for p in (ROOT / pkg).rglob("*.py")
    ]
    elsewhere = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in paths
        if path not in (HOME, ROOT / "reports" / "core" / "money.py")
        for name in definitions(path) & once
    }
    assert elsewhere == set()
