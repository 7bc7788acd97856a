"""An app built with its own settings prices and shows its own DEFAULT_HOURLY_RATE.

The process default is 400.00; this app's is 512.00. m2 has no rate of its own, so the
formula-named citizen's 142 refundable minutes cost 142 × 512 / 60 = 1211.73 kr.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from reports import claims, exports
from reports.models import RefundClaim
from service.web.app import create_app
from tests.conftest import app_settings, joined_session
from tests.service.refund.conftest import Q1

PERIOD = f"from={Q1[0]}&to={Q1[1]}"


@pytest.fixture
def app(engine, connection):
    return create_app(
        app_settings(default_hourly_rate=Decimal("512.00")),
        engine=engine,
        session_factory=lambda: joined_session(connection),
        check_schema=False,
    )


def test_the_report_prices_with_the_apps_rate(api, world):
    body = api("finance").get(f"/api/v1/reports/refund?{PERIOD}").json()
    formula = next(r for r in body["rows"] if r["citizen_id"] == world.formula.id)
    assert (formula["cost"], formula["refund"]) == ("1211.73", "605.87")


def test_the_entries_carry_the_apps_rate(pages, world):
    response = pages("finance").get(f"/refusion/csv?{PERIOD}&table=registreringer")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    m2_rates = {r["Timesats"] for r in rows if r["Borger"].endswith('"y")')}
    assert m2_rates == {"512,00"}


def test_the_rates_page_shows_the_apps_rate(pages, world):
    page = BeautifulSoup(pages("coordinator").get("/satser").text, "html.parser")
    assert "standardsatsen på 512,00 kr." in page.get_text()


def test_a_claim_prices_with_the_apps_rate(api, world):
    response = api("finance").post("/api/v1/refund-claims", json={"from": Q1[0], "to": Q1[1]})
    assert response.status_code == 201, response.text
    # 14323.53 at 400.00, with the formula-named citizen's 1211.73 instead of 946.67.
    assert response.json()["totals"]["cost"] == "14588.59"


def test_a_background_claim_build_prices_with_the_apps_rate(pages, db, world, monkeypatch):
    """Built after the response, the workbook must match the claim's totals or fail."""
    monkeypatch.setattr(exports, "BACKGROUND_FROM", 1)
    client = pages("finance")
    confirm = BeautifulSoup(client.get(f"/refusion/krav/nyt?{PERIOD}").text, "html.parser")
    form = {i["name"]: i["value"] for i in confirm.select("#claim-form input")}
    assert client.post("/refusion/krav", data=form).status_code == 303
    claim = db.exec(select(RefundClaim)).one()
    db.refresh(claim)
    built = claims.get_claim(session=db, claim_id=claim.id)
    assert (claim.status, built.status, built.error) == ("ready", "ready", "")
