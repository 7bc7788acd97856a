"""Lists sent to the API and the pages are capped: 100,000 items are 422 naming the field.

On PostgreSQL such lists reached `IN (...)` with more bind parameters than the protocol
carries and answered 500 (issue 11, item 8).
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from logbook.models import LogbookEntry
from service.corps.models import Referral
from tests.conftest import csrf_token
from tests.factories import make_mentor, make_referral
from tests.service.corps.test_api_referrals import BODY
from tests.service.corps.test_pages import FORM

HUGE = 100_000


def fields_of(response) -> set[str]:
    assert response.status_code == 422, response.text[:500]
    return {str(e["loc"][1]) for e in response.json()["detail"]}


@pytest.mark.parametrize(
    ("field", "item"),
    [
        ("sub_goals", {"title": "Mål"}),
        ("focus_roles", "personal_support"),
        ("focus_areas", "waking_up"),
        ("target_groups", "social_anxiety"),
        ("required_languages", "da"),
        ("tasks_can", "waking_scheduling"),
    ],
)
def test_referral_lists(api, db, field, item):
    response = api("caseworker").post("/api/v1/referrals", json={**BODY, field: [item] * HUGE})
    assert fields_of(response) == {field}
    assert db.exec(select(Referral)).all() == []


def test_logbook_lists(api, db, users):
    referral = make_referral(db, users["caseworker"], mentor=make_mentor(db, user=users["mentor"]))
    url = f"/api/v1/referrals/{referral.id}/logbook"
    base = {"occurred_on": "2026-02-10", "kind": "conversation", "text": "Samtale"}
    ids = api("mentor").post(url, json={**base, "sub_goal_ids": list(range(1, HUGE + 1))})
    assert fields_of(ids) == {"sub_goal_ids"}
    same = api("mentor").post(url, json={**base, "observations": ["health_progress"] * HUGE})
    assert fields_of(same) == {"observations"}
    assert db.exec(select(LogbookEntry)).all() == []


def test_matching_plan_ids(api):
    response = api("coordinator").post(
        "/api/v1/matching/plan", json={"referral_ids": list(range(1, HUGE + 1))}
    )
    assert fields_of(response) == {"referral_ids"}


def test_mentor_lists(api, db):
    mentor = make_mentor(db)
    response = api("coordinator").patch(
        f"/api/v1/mentors/{mentor.id}", json={"languages": ["da"] * HUGE}
    )
    assert fields_of(response) == {"languages"}


def test_refund_rule_categories(api):
    body = {"valid_from": "2026-01-01", "rate": "0.50", "refundable_categories": ["x"] * HUGE}
    assert fields_of(api("admin").post("/api/v1/refund-rules", json=body)) == {
        "refundable_categories"
    }


def test_matching_weights(api):
    body = {"weights": {f"c{i}": 1 for i in range(HUGE)}}
    assert fields_of(api("coordinator").put("/api/v1/matching/weights", json=body)) == {"weights"}


def test_ordinary_lists_still_pass(api):
    body = {**BODY, "sub_goals": [{"title": f"Mål {i}"} for i in range(20)]}
    assert api("caseworker").post("/api/v1/referrals", json=body).status_code == 201


def test_page_form_list_is_capped_naming_the_field(pages, db):
    client = pages("caseworker")
    data = {**FORM, "cpr": "010190-1234", "end_date": "2026-12-31"}
    data["sub_goals"] = [f"Mål {i}" for i in range(200)]
    response = client.post("/henvisninger/ny", data={**data, "csrf_token": csrf_token(client)})
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert "Højst 50 valg" in page.select_one("#error-sub_goals").text
    assert db.exec(select(Referral)).all() == []


def test_page_query_list_is_capped(pages):
    ids = "&".join(f"henvisning={i}" for i in range(1, 2002))
    response = pages("coordinator").get(f"/matchning/plan?{ids}")
    assert response.status_code == 422 and "henvisning" in response.text
