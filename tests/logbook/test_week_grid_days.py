"""The week grid offers "+" only on the days of the referral's course (issue 13, item 7)."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup

from tests.factories import make_referral


def test_week_grid_offers_plus_only_on_the_course_days(pages, db, users, mentor):
    # Today is Monday 15 June 2026; the week shown runs 8–14 June.
    short = make_referral(
        db,
        users["caseworker"],
        mentor=mentor,
        start_date=date(2026, 6, 10),
        end_date=date(2026, 6, 12),
    )
    page = BeautifulSoup(pages("mentor").get("/tid?start=2026-06-08").text, "html.parser")
    row = page.select_one(f"#week tr[data-referral='{short.id}']")
    cells = row.select("td")[:7]
    plus = [n for n, cell in enumerate(cells) if cell.select_one("a.tw-add")]
    assert plus == [2, 3, 4]  # Wednesday 10 to Friday 12 June
    outside = [n for n, cell in enumerate(cells) if "tw-outside" in cell["class"]]
    assert outside == [0, 1, 5, 6]
    assert "Uden for forløbet" in cells[0].text
