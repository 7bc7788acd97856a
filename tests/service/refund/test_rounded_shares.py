"""Issue 13, item 9: shares are rounded half-up to the shown precision, never cut off.

1 of 6 contact hours backed by a note is 16,67 % (it showed 16,66 %); 6 of 29 minutes
shown to the citizen is 20,69 % (it showed 20,68 %): on the refund page, in the key-figure
workbook and in the refund workbook.
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from bs4 import BeautifulSoup

from tests.factories import make_citizen, make_mentor, make_referral
from tests.service.refund.conftest import add_note, add_time

MAY = "from=2026-05-01&to=2026-05-31"


def sixth_and_twenty_ninth(db, users):
    """Citizen A: 1 of 6 hours backed and shown. Citizen B: all backed, 6 of 29 minutes shown."""
    mentor = make_mentor(db, user=users["mentor"])
    a = make_referral(db, users["caseworker"], citizen=make_citizen(db, name="A"), mentor=mentor)
    b = make_referral(db, users["caseworker"], citizen=make_citizen(db, name="B"), mentor=mentor)
    for day in range(4, 10):
        add_time(db, a, mentor, date(2026, 5, day), 60)
    add_note(db, a, date(2026, 5, 4), mentor.user_id, shown=True)
    add_time(db, b, mentor, date(2026, 5, 11), 6)
    add_note(db, b, date(2026, 5, 11), mentor.user_id, shown=True)
    add_time(db, b, mentor, date(2026, 5, 12), 23)
    add_note(db, b, date(2026, 5, 12), mentor.user_id)
    return a.citizen_id, b.citizen_id


def shown_as(cell) -> str:
    """The text Excel shows for a cell with the "0.00%" format (half away from zero)."""
    assert cell.number_format == "0.00%"
    return f"{round(cell.value * 100 + 1e-9, 2):.2f}".replace(".", ",") + " %"


def test_the_refund_page_rounds_shares_half_up(pages, db, users):
    a, b = sixth_and_twenty_ninth(db, users)
    response = pages("finance").get(f"/refusion?{MAY}")
    assert response.status_code == 200, response.text[:1000]
    page = BeautifulSoup(response.text, "html.parser")

    def field(citizen, name):
        row = page.select_one(f'#refund-rows tr[data-citizen="{citizen}"]')
        return row.select_one(f'[data-field="{name}"]').get_text(strip=True).lstrip("⚠ ")

    assert field(a, "backed") == "16,67 %" and field(a, "shown") == "16,67 %"
    assert field(b, "backed") == "100,00 %" and field(b, "shown") == "20,69 %"


def test_the_key_figure_workbook_rounds_shares_half_up(pages, db, users):
    sixth_and_twenty_ninth(db, users)
    response = pages("coordinator").get("/noegletal/regneark?month=2026-05")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Nøgletal"]
    cells = {row[0].value: row[1] for row in sheet.iter_rows() if row[0].value}
    # 60 + 29 of 389 contact minutes backed; 60 + 6 shown.
    assert shown_as(cells["Kontakttimer dokumenteret med logbogsnotat (andel)"]) == "22,88 %"
    assert shown_as(cells["Heraf vist for borgeren (andel)"]) == "16,97 %"


def test_the_refund_workbook_rounds_shares_half_up(pages, db, users):
    sixth_and_twenty_ninth(db, users)
    response = pages("finance").get(f"/refusion/regneark?{MAY}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Borgere"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    backed = header.index("Dokumentation (andel)")
    shown = header.index("Vist for borger (andel)")
    rows = [r for r in sheet.iter_rows(min_row=2) if r[shown].value is not None]
    assert sorted(shown_as(r[shown]) for r in rows) == ["16,67 %", "20,69 %"]
    assert sorted(shown_as(r[backed]) for r in rows) == ["100,00 %", "16,67 %"]
