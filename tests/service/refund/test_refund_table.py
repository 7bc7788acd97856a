"""The refund preview's tables, parsed: hours per category with their totals, and the note on
rounding next to the total (the workbook's wording)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from bs4 import BeautifulSoup
from sqlmodel import col, select

from logbook.models import TimeEntry
from reports.core.money import CATEGORIES, half_up, hours_from_minutes
from reports.core.tables import TOTALS_NOTE
from service.corps.models import Referral
from tests.service.refund.conftest import Q1, add_time


def soup(response):
    assert response.status_code == 200, response.text[:2000]
    return BeautifulSoup(response.text, "html.parser")


def danish(text: str) -> Decimal:
    """ "1.234,50 kr." or "10,50 t" → Decimal."""
    number = text.replace("kr.", "").replace(" t", "").replace("\xa0", "").strip()
    return Decimal(number.replace(".", "").replace(",", "."))


def hours_by_category(db, start: date, end: date) -> dict[str, Decimal]:
    """Per category, the sum over citizens of their rounded hours (from the entries)."""
    minutes: dict[tuple[int, str], int] = defaultdict(int)
    query = (
        select(Referral.citizen_id, TimeEntry.category, TimeEntry.minutes)
        .join(Referral, col(Referral.id) == col(TimeEntry.referral_id))
        .where(TimeEntry.date >= start, TimeEntry.date <= end)
    )
    for citizen_id, category, count in db.exec(query):
        minutes[(citizen_id, category)] += count
    totals = dict.fromkeys(CATEGORIES, Decimal("0.00"))
    for (_citizen, category), count in minutes.items():
        totals[category] += hours_from_minutes(count)
    return totals


def test_total_row_has_the_hours_of_each_category(pages, db, world):
    page = soup(pages("finance").get(f"/refusion?from={Q1[0]}&to={Q1[1]}"))
    table = page.select_one("#refund-categories")
    assert table is not None
    expected = hours_by_category(db, date.fromisoformat(Q1[0]), date.fromisoformat(Q1[1]))
    assert any(expected.values())
    total = table.select_one('tr[data-row="total"]')
    shown = {td["data-category"]: danish(td.get_text()) for td in total.select("td[data-category]")}
    assert shown == expected
    # Each column adds up to its total, row by row.
    for category in CATEGORIES:
        cells = table.select(f'tr[data-citizen] td[data-category="{category}"]')
        assert len(cells) == 3
        assert sum((danish(td.get_text()) for td in cells), Decimal("0.00")) == shown[category]


def test_money_columns_fit_without_the_category_columns(pages, world):
    page = soup(pages("finance").get(f"/refusion?from={Q1[0]}&to={Q1[1]}"))
    headers = [th.get_text(strip=True).replace("\xad", "") for th in page.select("#refund-rows th")]
    assert "Udgift" in headers and "Refusion" in headers
    assert len(headers) <= 8
    region = page.select_one("#refund-rows").parent
    assert region["tabindex"] == "0" and region["role"] == "region"
    assert page.select_one(f"#{region['aria-labelledby']}").get_text()


def test_rounding_note_explains_a_one_ore_difference(pages, db, world):
    # Two citizens, 3 minutes each at 437,37 kr./t: 21,87 kr. each, refund 10,935 → 10,94.
    add_time(db, world.r_anna, world.m1, date(2026, 5, 4), 3)
    add_time(db, world.r_half, world.m1, date(2026, 5, 5), 3)
    page = soup(pages("finance").get("/refusion?from=2026-05-01&to=2026-05-31"))
    total = page.select_one('#refund-rows tr[data-row="total"]')
    cost = danish(total.select_one('[data-field="cost"]').get_text())
    refund = danish(total.select_one('[data-field="refund"]').get_text())
    rows = page.select('#refund-rows tr[data-citizen] [data-field="refund"]')
    assert refund == sum((danish(td.get_text()) for td in rows), Decimal("0.00"))
    exact = half_up(cost * Decimal("0.50"))
    assert refund - exact == Decimal("0.01")
    note = page.select_one("#rounding-note")
    assert TOTALS_NOTE in note.get_text()
    assert total.select_one('[data-field="refund"]')["aria-describedby"] == "rounding-note"
    difference = note.select_one("#rounding-difference").get_text()
    assert f"{exact:.2f}".replace(".", ",") + " kr." in difference
    assert "0,01 kr. højere" in difference


def test_rounding_note_without_a_difference_says_no_more(pages, db, world):
    add_time(db, world.r_anna, world.m1, date(2026, 5, 4), 60)  # 437,37 kr., refund exact
    page = soup(pages("finance").get("/refusion?from=2026-05-01&to=2026-05-31"))
    assert TOTALS_NOTE in page.select_one("#rounding-note").get_text()
    assert page.select_one("#rounding-difference") is None
