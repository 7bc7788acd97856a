"""The key figures page (SVG charts), its workbook and its JSON, on the refund world."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import openpyxl
from bs4 import BeautifulSoup
from sqlmodel import select

from service.audit.models import AuditEvent


def test_page_shows_figures_and_charts(pages, db, world):
    for referral in (world.r_anna, world.r_formula, world.r_half):
        referral.submitted_at = datetime(2026, 1, 2, 9, tzinfo=UTC)
        db.add(referral)
    world.r_anna.assigned_at = datetime(2026, 1, 8, 9, tzinfo=UTC)
    db.flush()
    response = pages("coordinator").get("/noegletal?month=2026-02")
    assert response.status_code == 200, response.text[:1000]
    page = BeautifulSoup(response.text, "html.parser")
    assert page.h1.get_text() == "Nøgletal – februar 2026"
    hours = page.select_one('[data-figure="hours"] .kf-value').get_text()
    assert hours == "4,50 t"  # 95 + 125 + 17 + 33 minutes in February
    active = page.select_one('[data-figure="active_with_mentor"] .kf-value').get_text()
    assert active == "3"
    assert page.select("svg.chart") and page.select_one("#chart-caseload svg title")
    evidence = page.select_one('[data-figure="evidence"] .kf-value').get_text()
    assert evidence == "43,2 %"  # 95 of 220 February contact minutes have a note that day
    assert page.select_one("#next-month")["href"].endswith("month=2026-03")
    assert db.exec(select(AuditEvent).where(AuditEvent.entity == "key_figures")).first()


def test_bad_month_shows_the_error(pages, world):
    page = BeautifulSoup(pages("finance").get("/noegletal?month=2026-13").text, "html.parser")
    assert page.select_one("#error-month")


def test_workbook_and_json(pages, api, world):
    response = pages("admin").get("/noegletal/regneark?month=2026-02")
    assert response.status_code == 200
    assert "n%C3%B8gletal-2026-02.xlsx" in response.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Nøgletal", "Delmål", "Mentorer"]
    body = api("finance").get("/api/v1/reports/key-figures?month=2026-02").json()
    assert body["month"] == "2026-02" and body["hours_by_category"]["own_transport"] == "0.55"
    assert api("finance").get("/api/v1/reports/key-figures?month=feb").status_code == 422
    assert api("mentor").get("/api/v1/reports/key-figures").status_code == 403
