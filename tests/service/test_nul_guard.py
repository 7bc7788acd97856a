"""NUL characters in any text are refused with 422, nothing stored (issue 11, defect 5)."""

from __future__ import annotations

from decimal import Decimal

from bs4 import BeautifulSoup
from sqlmodel import select

from logbook.models import LogbookEntry
from service.corps.models import Citizen, Referral
from tests.conftest import csrf_token
from tests.factories import make_mentor, make_referral
from tests.service.corps.test_api_referrals import BODY, with_citizen
from tests.service.corps.test_pages import FORM

MESSAGE = "Teksten indeholder et ugyldigt tegn"


def detail(response) -> list:
    assert response.status_code == 422, response.text
    return response.json()["detail"]


def test_referral_with_nul_in_a_nested_field(api, db):
    response = api("caseworker").post("/api/v1/referrals", json=with_citizen(name="Eva\x00Jensen"))
    [error] = detail(response)
    assert error["loc"] == ["body", "citizen", "name"] and error["type"] == "value_error"
    assert MESSAGE in error["msg"]
    assert db.exec(select(Citizen)).all() == [] and db.exec(select(Referral)).all() == []


def test_nul_inside_a_list_is_named_by_position(api, db):
    body = {**BODY, "sub_goals": [{"title": "Ok"}, {"title": "Nul\x00"}]}
    [error] = detail(api("caseworker").post("/api/v1/referrals", json=body))
    assert error["loc"] == ["body", "sub_goals", 1, "title"]
    assert db.exec(select(Referral)).all() == []


def test_logbook_entry_with_nul(api, db, users):
    referral = make_referral(db, users["caseworker"], mentor=make_mentor(db, user=users["mentor"]))
    body = {"occurred_on": "2026-02-10", "kind": "conversation", "text": "Samtale\x00 om fremmøde"}
    [error] = detail(api("mentor").post(f"/api/v1/referrals/{referral.id}/logbook", json=body))
    assert error["loc"] == ["body", "text"]
    assert db.exec(select(LogbookEntry)).all() == []


def test_mentor_patch_with_nul(api, db):
    mentor = make_mentor(db)
    response = api("coordinator").patch(
        f"/api/v1/mentors/{mentor.id}", json={"district": "Viby\x00 J", "weekly_hours": "30.00"}
    )
    assert detail(response)[0]["loc"] == ["body", "district"]
    db.refresh(mentor)
    assert (mentor.district, mentor.weekly_hours) == ("Aarhus C", Decimal("25.00"))


def test_raw_nul_byte_in_json_is_422(api, db):
    mentor = make_mentor(db)
    response = api("coordinator").patch(
        f"/api/v1/mentors/{mentor.id}",
        content=b'{"district": "Viby\x00 J"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    db.refresh(mentor)
    assert mentor.district == "Aarhus C"


def test_query_and_path_with_nul(api):
    [error] = detail(api("coordinator").get("/api/v1/referrals", params={"status": "a\x00"}))
    assert error["loc"] == ["query", "status"]
    assert detail(api("coordinator").get("/api/v1/mentors/1%00"))[0]["loc"] == ["path"]


def test_page_form_with_nul_is_a_danish_422_page(pages, db):
    client = pages("caseworker")
    data = {**FORM, "cpr": "010190-1234", "end_date": "2026-12-31", "name": "Per\x00 Hansen"}
    response = client.post("/henvisninger/ny", data={**data, "csrf_token": csrf_token(client)})
    assert response.status_code == 422
    assert "text/html" in response.headers["content-type"]
    page = BeautifulSoup(response.text, "html.parser")
    assert MESSAGE in page.select_one("main, body").text and "name" in page.text
    assert db.exec(select(Referral)).all() == [] and db.exec(select(Citizen)).all() == []


def test_page_query_with_nul(pages):
    response = pages("coordinator").get("/henvisninger?status=%00")
    assert response.status_code == 422 and MESSAGE in response.text


def test_ordinary_text_passes(api, db):
    response = api("caseworker").post("/api/v1/referrals", json=with_citizen(name="Eva Ünal"))
    assert response.status_code == 201, response.text


def test_escaped_backslash_before_u0000_is_ordinary_text(api, db):
    response = api("caseworker").post("/api/v1/referrals", json={**BODY, "job_goal": "a\\u0000b"})
    assert response.status_code == 201, response.text
    assert db.get(Referral, response.json()["id"]).job_goal == "a\\u0000b"


def test_multipart_text_field_is_checked_and_files_pass(pages, db):
    client = pages("caseworker")
    data = {**FORM, "cpr": "010190-1234", "end_date": "2026-12-31", "name": "Per\x00 Hansen"}
    upload = {"attachment": ("notat.bin", b"\x00\x01binary\x00", "application/octet-stream")}
    data["csrf_token"] = csrf_token(client)
    response = client.post("/henvisninger/ny", data=data, files=upload)
    assert response.status_code == 422 and MESSAGE in response.text
    assert db.exec(select(Referral)).all() == []
    data["name"] = "Per Hansen"
    response = client.post("/henvisninger/ny", data=data, files=upload)
    assert response.status_code == 303, response.text
