"""Numbers no database column can hold are a clear 404/422, never a 500."""

from __future__ import annotations

HUGE = 10**20


def test_a_huge_id_in_the_path_is_404(api):
    response = api("coordinator").get(f"/api/v1/referrals/{HUGE}")
    assert response.status_code == 404


def test_a_huge_id_in_the_body_is_422(api):
    response = api("coordinator").post(
        "/api/v1/time-entries",
        json={
            "referral_id": HUGE,
            "date": "2026-01-05",
            "minutes": 30,
            "category": "citizen_contact",
            "note": "",
            "mentor_id": 1,
        },
    )
    assert response.status_code == 422


def test_a_huge_id_on_a_page_is_a_danish_404(pages):
    response = pages("coordinator").get(f"/henvisninger/{HUGE}")
    assert response.status_code == 404 and "Siden findes ikke" in response.text


def test_month_zero_is_422(api):
    response = api("coordinator").get("/api/v1/month-approvals", params={"month": "0000-01"})
    assert response.status_code == 422


def test_an_amount_of_1e30_is_422(api, users):
    response = api("coordinator").post(
        "/api/v1/training-expenses",
        json={"mentor_id": 1, "date": "2026-01-05", "description": "Kursus", "amount": "1e30"},
    )
    assert response.status_code == 422
