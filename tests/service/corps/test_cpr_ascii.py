"""CPR numbers and typed numbers take ASCII digits only (issue 11, defect 5)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from service.api.types import Month
from service.core.errors import Invalid
from service.corps.cpr import normalise_cpr
from service.corps.models import Citizen, Referral
from service.web.forms import parse_decimal, parse_int
from tests.factories import make_mentor
from tests.service.corps.test_api_referrals import BODY, locs, with_citizen
from tests.service.corps.test_pages import FORM

ARABIC = "٠١٠١٩٠١٢٣٤"  # 0101901234 in Arabic-Indic digits
FULL_WIDTH = "０１０１９０１２３４"
FOREIGN = [ARABIC, FULL_WIDTH, "010190-١٢٣٤", "٠١٠١٩٠-1234", "0101９01234"]


@pytest.mark.parametrize("text", FOREIGN)
def test_non_ascii_digits_are_no_cpr(text):
    with pytest.raises(Invalid) as error:
        normalise_cpr(text)
    assert error.value.field == "cpr"


@pytest.mark.parametrize("cpr", FOREIGN)
def test_api_refuses_non_ascii_cpr_and_creates_no_citizen(api, db, cpr):
    response = api("caseworker").post("/api/v1/referrals", json=with_citizen(cpr=cpr))
    assert response.status_code == 422, response.text
    assert locs(response) == {"citizen.cpr"}
    assert db.exec(select(Citizen)).all() == []


def test_ascii_cpr_still_one_citizen(api, db):
    client = api("caseworker")
    assert client.post("/api/v1/referrals", json=BODY).status_code == 201
    for cpr in (ARABIC, FULL_WIDTH):
        assert client.post("/api/v1/referrals", json=with_citizen(cpr=cpr)).status_code == 422
    assert len(db.exec(select(Citizen)).all()) == 1


@pytest.mark.parametrize("cpr", [ARABIC, FULL_WIDTH])
def test_page_form_refuses_non_ascii_cpr(pages, db, cpr):
    client = pages("caseworker")
    data = {**FORM, "cpr": cpr, "end_date": "2026-12-31", "csrf_token": client.cookies["mk_csrf"]}
    response = client.post("/henvisninger/ny", data=data)
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert "10 cifre" in page.select_one("#error-cpr").text
    assert db.exec(select(Referral)).all() == []
    assert db.exec(select(Citizen)).all() == []


@pytest.mark.parametrize("raw", ["١٢", "１２", "1２"])
def test_form_whole_numbers_are_ascii(raw):
    errors: dict[str, str] = {}
    assert parse_int(raw, "minutes", errors, "Minutter") is None
    assert errors == {"minutes": "Minutter skal være et helt tal."}


@pytest.mark.parametrize("raw", ["٢,٥", "２.５", "2,٥"])
def test_form_decimals_are_ascii(raw):
    errors: dict[str, str] = {}
    assert parse_decimal(raw, "hours", errors, "Timer") is None
    assert "hours" in errors
    assert parse_decimal("2,5", "hours", {}, "Timer") == Decimal("2.5")


def test_api_month_is_ascii():
    from pydantic import TypeAdapter, ValidationError

    with pytest.raises(ValidationError):
        TypeAdapter(Month).validate_python("٢٠٢٦-03")
    assert TypeAdapter(Month).validate_python("2026-03").isoformat() == "2026-03-01"


@pytest.mark.parametrize("hours", ["٣٠.٥", "３０.５０"])
def test_api_decimals_are_ascii(api, db, hours):
    mentor = make_mentor(db)
    response = api("coordinator").patch(
        f"/api/v1/mentors/{mentor.id}", json={"weekly_hours": hours}
    )
    assert response.status_code == 422, response.text
    assert [e["loc"][-1] for e in response.json()["detail"]] == ["weekly_hours"]
    db.refresh(mentor)
    assert mentor.weekly_hours == Decimal("25.00")


def test_key_figures_month_is_ascii(api):
    response = api("coordinator").get("/api/v1/reports/key-figures?month=٢٠٢٦-03")
    assert response.status_code == 422


def test_revising_a_returned_referral_refuses_non_ascii_cpr(pages, db, users):
    from tests.factories import make_citizen, make_referral

    citizen = make_citizen(db, cpr="0101901234")
    referral = make_referral(db, users["caseworker"], citizen=citizen, status="returned")
    client = pages("caseworker")
    data = {**FORM, "cpr": FULL_WIDTH, "end_date": "2026-12-31"}
    response = client.post(
        f"/henvisninger/{referral.id}/ret", data={**data, "csrf_token": client.cookies["mk_csrf"]}
    )
    assert response.status_code == 422
    assert BeautifulSoup(response.text, "html.parser").select_one("#error-cpr") is not None
    assert [c.cpr for c in db.exec(select(Citizen))] == ["0101901234"]
