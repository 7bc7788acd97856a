"""The finance pages, parsed: preview, warnings, downloads, background workbook, claims, rules."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from bs4 import BeautifulSoup
from sqlmodel import select

from logbook.models import MonthApproval
from reports import exports
from reports.models import RefundClaim
from service.core import background
from service.core.background import BackgroundTask
from tests.conftest import csrf_token
from tests.service.refund.conftest import Q1

PERIOD = f"from={Q1[0]}&to={Q1[1]}"


def soup(response):
    assert response.status_code == 200, response.text[:2000]
    return BeautifulSoup(response.text, "html.parser")


def test_preview_table_flags_and_warnings(pages, db, users, world):
    db.add(
        MonthApproval(
            mentor_id=world.m1.id, month=date(2026, 1, 1), approved_by=users["coordinator"].id
        )
    )
    db.flush()
    page = soup(pages("finance").get(f"/refusion?{PERIOD}"))
    rows = page.select("#refund-rows tbody tr[data-citizen]")
    assert len(rows) == 3
    assert rows[0].select_one("td").get_text() == "010203-1234"
    assert rows[0].select_one('[data-field="cost"]').get_text() == "5.356,85 kr."
    flagged = [int(r["data-citizen"]) for r in rows if r.get("data-flagged")]
    assert flagged == [world.formula.id]
    total = page.select_one('tr[data-row="total"] [data-field="refund"]').get_text()
    assert total == "7.161,78 kr."
    warnings = sorted(li.get_text() for li in page.select("#unapproved li"))
    # m1's January is approved; m1's February and March and m2's February are not.
    assert warnings == ["Mentor: 02/2026", "Mentor: 02/2026", "Mentor: 03/2026"]
    assert "/refusion/regneark?from=2026-01-01" in page.select_one("#download-workbook")["href"]
    assert page.select_one("#evidence-warning")


def test_presets_and_menu(pages, world):
    page = soup(pages("finance").get("/refusion"))
    assert len(page.select('a.preset[data-preset="month"]')) == 6
    quarters = [
        a["href"].removeprefix("http://testserver")
        for a in page.select('a.preset[data-preset="quarter"]')
    ]
    assert "/refusion?from=2026-04-01&to=2026-06-30" in quarters
    assert "/refusion?from=2026-01-01&to=2026-03-31" in quarters
    menu = [a.get_text(strip=True) for a in page.select(".app-menu a")]
    assert "Refusion" in menu and "Nøgletal" in menu and "Refusionsregler" not in menu
    admin_menu = [
        a.get_text(strip=True) for a in soup(pages("admin").get("/")).select(".app-menu a")
    ]
    assert "Refusionsregler" in admin_menu and "Refusion" not in admin_menu


def test_bad_period_shows_the_error_by_the_field(pages, world):
    page = soup(pages("finance").get("/refusion?from=2026-03-01&to=2026-02-01"))
    assert page.select_one("#error-to")
    assert not page.select("#refund-rows")


def test_downloads(pages, world):
    client = pages("coordinator")
    response = client.get(f"/refusion/regneark?{PERIOD}")
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Oversigt", "Borgere", "Registreringer"]
    csv = client.get(f"/refusion/csv?{PERIOD}&table=borgere")
    assert csv.status_code == 200 and csv.content.startswith("\ufeff".encode())
    text = csv.content.decode("utf-8-sig")
    assert "010203-1234" in text and "'=HYPERLINK" in text
    entries = client.get(f"/refusion/csv?{PERIOD}&table=registreringer").content.decode("utf-8-sig")
    assert len(entries.strip().splitlines()) == 10


def test_confirm_then_claim_then_list(pages, db, world):
    client = pages("finance")
    confirm = soup(client.get(f"/refusion/krav/nyt?{PERIOD}"))
    assert confirm.select_one('#claim-totals [data-field="refund"]').get_text() == "7.161,78 kr."
    form = confirm.select_one("#claim-form")
    data = {i["name"]: i["value"] for i in form.select("input")}
    response = client.post("/refusion/krav", data=data)
    assert response.status_code == 303 and response.headers["location"] == "/refusion/krav"
    claim = db.exec(select(RefundClaim)).one()
    listing = soup(client.get("/refusion/krav"))
    row = listing.select_one(f'tr[data-claim="{claim.id}"]')
    assert "Finance" in row.get_text() and "7.161,78 kr." in row.get_text()
    link = row.select_one("td.claim-state a")["href"]
    assert client.get(link).content == claim.workbook
    # The preview now says the period is claimed and offers no second claim.
    preview = soup(client.get(f"/refusion?{PERIOD}"))
    assert preview.select_one("#already-claimed") and not preview.select_one("#claim")
    again = client.post("/refusion/krav", data=data)
    assert again.status_code == 303 and "from=2026-01-01" in again.headers["location"]


def test_big_workbook_is_built_in_the_background(pages, db, monkeypatch, world):
    monkeypatch.setattr(exports, "BACKGROUND_FROM", 5)
    monkeypatch.setattr("reports.core.workbook.PROGRESS_EVERY", 2)
    seen = []
    original = background.Claimed.progress

    def spy(self, done):
        seen.append(done)
        original(self, done)

    monkeypatch.setattr(background.Claimed, "progress", spy)
    client = pages("finance")
    page = soup(client.get(f"/refusion?{PERIOD}"))
    assert not page.select_one("#download-workbook")
    form = page.select_one("#build-workbook").find_parent("form")
    data = {i["name"]: i["value"] for i in form.select("input")}
    response = client.post("/refusion/eksporter", data=data)
    assert response.status_code == 303
    job_page = response.headers["location"]
    job = db.exec(select(BackgroundTask)).one()
    assert seen[:4] == [2, 4, 6, 8]
    status = client.get(f"{job_page}/status").json()
    assert status["status"] == "done" and status["percent"] == 100 and status["total"] == 9
    html = soup(client.get(job_page))
    assert html.select_one("progress")["value"] == "100"
    download = client.get(html.select_one("#export-download")["href"])
    wb = openpyxl.load_workbook(io.BytesIO(download.content))
    assert wb["Registreringer"].max_row == 10
    # Another user's job is not found.
    assert pages("coordinator").get(f"/refusion/eksporter/{job.id}/status").status_code == 404


def test_rules_page(pages, db, world):
    client = pages("admin")
    page = soup(client.get("/refusion/regler"))
    assert page.select_one("#no-rules")
    boxes = [i["value"] for i in page.select('input[name="refundable_categories"]')]
    assert "own_transport" not in boxes and len(boxes) == 4
    token = csrf_token(client)
    bad = client.post(
        "/refusion/regler",
        data={
            "csrf_token": token,
            "valid_from": "2026-07-01",
            "rate": "2",
            "refundable_categories": ["administration"],
        },
    )
    assert bad.status_code == 422
    assert BeautifulSoup(bad.text, "html.parser").select_one("#error-rate")
    ok = client.post(
        "/refusion/regler",
        data={
            "csrf_token": token,
            "valid_from": "2026-07-01",
            "rate": "45 %",
            "refundable_categories": ["administration"],
        },
    )
    assert ok.status_code == 303
    rows = soup(client.get("/refusion/regler")).select("#rules tbody tr")
    assert len(rows) == 1 and "45,00 %" in rows[0].get_text()
