"""Logbook entries and time entries lie within the course's period (issue 11, item 8).

Today is 2026-06-15 (tests/logbook/conftest.py); the referral runs 2026-01-05..2026-12-31.
"""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from logbook.models import LogbookEntry, TimeEntry
from tests.conftest import csrf_token
from tests.factories import make_referral, make_time_entry

OUTSIDE = ["0001-01-01", "1900-01-01", "2026-01-04", "9999-12-31"]


def entry_body(day: str) -> dict:
    return {"occurred_on": day, "kind": "conversation", "text": "Samtale om fremmøde."}


def locs(response) -> list:
    return [e["loc"] for e in response.json()["detail"]]


@pytest.mark.parametrize("day", OUTSIDE)
def test_logbook_entry_outside_the_course_is_422_naming_the_date(api, db, referral, day):
    response = api("mentor").post(f"/api/v1/referrals/{referral.id}/logbook", json=entry_body(day))
    assert response.status_code == 422, response.text
    assert locs(response) == [["body", "occurred_on"]]
    assert db.exec(select(LogbookEntry)).all() == []


def test_logbook_entry_after_the_course_ended_is_422(api, db, users, mentor):
    ended = make_referral(db, users["caseworker"], mentor=mentor, end_date=date(2026, 3, 31))
    url = f"/api/v1/referrals/{ended.id}/logbook"
    late = api("mentor").post(url, json=entry_body("2026-04-01"))
    assert late.status_code == 422 and locs(late) == [["body", "occurred_on"]]
    assert "periode" in late.json()["detail"][0]["msg"]
    assert api("mentor").post(url, json=entry_body("2026-03-31")).status_code == 201


@pytest.mark.parametrize("day", ["2026-01-05", "2026-06-15"])
def test_first_day_and_today_are_accepted(api, referral, day):
    response = api("mentor").post(f"/api/v1/referrals/{referral.id}/logbook", json=entry_body(day))
    assert response.status_code == 201, response.text


def test_logbook_page_refuses_a_date_outside_the_course(pages, db, referral):
    client = pages("mentor")
    response = client.post(
        f"/logbog/{referral.id}",
        data={"csrf_token": csrf_token(client), **entry_body("0001-01-01")},
    )
    assert response.status_code == 422
    error = BeautifulSoup(response.text, "html.parser").select_one("#error-occurred_on")
    assert error is not None and "periode" in error.text
    assert db.exec(select(LogbookEntry)).all() == []


def test_logbook_page_caps_its_lists(pages, db, referral):
    client = pages("mentor")
    data = {"csrf_token": csrf_token(client), **entry_body("2026-06-10")}
    data["observations"] = ["health_progress"] * 60
    response = client.post(f"/logbog/{referral.id}", data=data)
    assert response.status_code == 422
    assert db.exec(select(LogbookEntry)).all() == []


@pytest.mark.parametrize("day", OUTSIDE)
def test_time_entry_outside_the_course_is_422_naming_the_date(api, db, referral, day):
    body = {"referral_id": referral.id, "date": day, "minutes": 60, "category": "citizen_contact"}
    response = api("mentor").post("/api/v1/time-entries", json=body)
    assert response.status_code == 422, response.text
    assert locs(response) == [["body", "date"]]
    assert db.exec(select(TimeEntry)).all() == []


def test_time_entry_moved_outside_the_course_is_422(api, db, referral):
    made = make_time_entry(db, referral, date(2026, 6, 10))
    response = api("mentor").patch(f"/api/v1/time-entries/{made.id}", json={"date": "0001-01-01"})
    assert response.status_code == 422 and locs(response) == [["body", "date"]]
    db.refresh(made)
    assert made.date == date(2026, 6, 10)


def test_time_page_refuses_a_date_outside_the_course(pages, db, referral):
    client = pages("mentor")
    response = client.post(
        "/tid",
        data={
            "csrf_token": csrf_token(client),
            "referral_id": str(referral.id),
            "date": "0001-01-01",
            "minutes": "45",
            "category": "citizen_contact",
        },
    )
    assert response.status_code == 422
    assert BeautifulSoup(response.text, "html.parser").select_one("#error-date") is not None
    assert db.exec(select(TimeEntry)).all() == []
