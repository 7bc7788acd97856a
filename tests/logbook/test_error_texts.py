"""Issue 13, item 7: domain errors show dates and hours the Danish way, never ISO dates.

Each known message is provoked through the API and its text read from the answer.
"""

from __future__ import annotations

import json
import re
from datetime import date

from service.audit.service import Actor
from service.core.errors import Conflict
from service.corps.agreements import create_for_assignment
from tests.factories import make_referral
from tests.logbook.conftest import make_claim

ISO_OR_NUMERIC = re.compile(r"\d{4}-\d\d-\d\d|\d\d?\.\d\d?\.\d{4}")


def message(response) -> str:
    """The answer's message(s): the detail text, or the msg of each 422 error."""
    detail = response.json()["detail"]
    if isinstance(detail, list):
        return " ".join(e["msg"] for e in detail)
    return detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)


def short_referral(db, users, mentor):
    return make_referral(
        db,
        users["caseworker"],
        mentor=mentor,
        start_date=date(2026, 3, 1),
        end_date=date(2026, 5, 31),
    )


def test_time_outside_the_course_names_its_period_in_danish(api, db, users, mentor):
    ref = short_referral(db, users, mentor)
    body = {"referral_id": ref.id, "date": "2026-06-01", "minutes": 60}
    response = api("mentor").post(
        "/api/v1/time-entries", json={**body, "category": "citizen_contact"}
    )
    assert response.status_code == 422
    text = message(response)
    assert "(1. marts 2026 til 31. maj 2026)" in text
    assert not ISO_OR_NUMERIC.search(text), text


def test_a_note_outside_the_course_names_its_period_in_danish(api, db, users, mentor):
    ref = short_referral(db, users, mentor)
    body = {"occurred_on": "2026-06-01", "kind": "conversation", "text": "Samtale"}
    response = api("mentor").post(f"/api/v1/referrals/{ref.id}/logbook", json=body)
    assert response.status_code == 422
    text = message(response)
    assert "(1. marts 2026 til 31. maj 2026)" in text
    assert not ISO_OR_NUMERIC.search(text), text


def test_a_claimed_period_is_named_in_danish(api, db, users, referral):
    make_claim(db, users["finance"], date(2026, 5, 1), date(2026, 5, 31))
    body = {"referral_id": referral.id, "date": "2026-05-12", "minutes": 60}
    response = api("mentor").post(
        "/api/v1/time-entries", json={**body, "category": "citizen_contact"}
    )
    assert response.status_code == 409
    text = message(response)
    assert "(1. maj 2026 til 31. maj 2026)" in text
    assert not ISO_OR_NUMERIC.search(text), text


def test_the_days_total_names_hours_in_danish(api, db, users, mentor, referral):
    body = {"referral_id": referral.id, "date": "2026-06-10", "category": "citizen_contact"}
    first = api("mentor").post("/api/v1/time-entries", json={**body, "minutes": 1260})
    assert first.status_code == 201
    response = api("mentor").post("/api/v1/time-entries", json={**body, "minutes": 181})
    assert response.status_code == 422
    assert "(allerede registreret: 21,00 timer)" in message(response)


def test_a_second_rule_from_the_same_day_is_named_in_danish(api):
    payload = {"valid_from": "2026-02-01", "rate": "0.40", "refundable_categories": []}
    assert api("admin").post("/api/v1/refund-rules", json=payload).status_code == 201
    response = api("admin").post("/api/v1/refund-rules", json=payload)
    assert response.status_code == 409
    text = message(response)
    assert "fra 1. februar 2026" in text
    assert not ISO_OR_NUMERIC.search(text), text


def test_an_agreement_after_the_course_names_its_end_in_danish(db, users, mentor):
    ref = short_referral(db, users, mentor)
    actor = Actor(users["coordinator"])
    try:
        create_for_assignment(db, actor=actor, referral=ref, mentor=mentor, today=date(2026, 6, 2))
    except Conflict as error:
        text = str(error)
    else:
        raise AssertionError("no conflict")
    assert "Forløbet slutter 31. maj 2026" in text
    assert not ISO_OR_NUMERIC.search(text), text
