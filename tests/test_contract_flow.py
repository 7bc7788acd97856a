"""The integration contract as a client drives it: one course from referral to refund claim.

Only HTTP calls, only what ../shared/CONTRACT.md promises; runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from service.core import clock

TODAY = date(2026, 4, 20)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def referral_body(cpr: str = "070374-1234") -> dict:
    return {
        "citizen": {
            "cpr": cpr,
            "name": "Per Hansen",
            "phone": "12345678",
            "email": "per@example.dk",
            "address": "Vestergade 1",
            "district": "Aarhus C",
        },
        "job_goal": "Fleksjob i detailhandlen",
        "sub_goals": [{"title": "Møde stabilt 2 dage om ugen"}, {"title": "Tage bussen selv"}],
        "focus_roles": ["personal_support", "system_guide"],
        "target_groups": ["social_anxiety"],
        "required_languages": ["da"],
        "preferred_mentor_gender": None,
        "granted_hours_per_week": "3.00",
        "start_date": "2026-01-05",
        "end_date": "2026-12-31",
        "legal_basis": "lab",
        "consent_information_exchange": True,
        "considerations": "Social angst; korte møder.",
    }


def mentor_body(user_id: int) -> dict:
    return {
        "user_id": user_id,
        "gender": "female",
        "birth_year": 1975,
        "languages": ["da", "en"],
        "background_areas": ["social_psychiatry"],
        "target_groups": ["social_anxiety"],
        "roles": ["personal_support", "system_guide"],
        "district": "Aarhus C",
        "weekly_hours": "25.00",
        "max_caseload": 12,
        "employment": "full_time",
        "active": True,
    }


def test_one_course_from_referral_to_claim(client, users):
    token = client.post(
        "/api/v1/auth/token",
        data={"username": users["admin"].email, "password": "correct-horse-battery"},
    )
    assert token.status_code == 200 and token.json()["token_type"] == "bearer"
    admin = {"Authorization": f"Bearer {token.json()['access_token']}"}

    def login(role):
        answer = client.post(
            "/api/v1/auth/token",
            data={"username": users[role].email, "password": "correct-horse-battery"},
        )
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    coordinator, caseworker, mentor, finance = (
        login(r) for r in ("coordinator", "caseworker", "mentor", "finance")
    )
    assert (
        client.post(
            "/api/v1/users",
            headers=admin,
            json={"email": "kort@x.dk", "name": "Kort", "role": "mentor", "password": "kort"},
        ).status_code
        == 422
    )

    profile = client.post(
        "/api/v1/mentors", headers=coordinator, json=mentor_body(users["mentor"].id)
    )
    assert profile.status_code == 201, profile.text
    mentor_id = profile.json()["id"]
    assert (
        client.post(
            f"/api/v1/mentors/{mentor_id}/rates",
            headers=coordinator,
            json={"valid_from": "2026-01-01", "hourly_rate": "400.00"},
        ).status_code
        == 201
    )
    assert (
        client.post(
            f"/api/v1/mentors/{mentor_id}/absences",
            headers=coordinator,
            json={"start": "2026-05-10", "end": "2026-05-01", "kind": "holiday"},
        ).status_code
        == 422
    )

    created = client.post("/api/v1/referrals", headers=caseworker, json=referral_body())
    assert created.status_code == 201, created.text
    referral = created.json()
    assert referral["status"] == "submitted"
    rid = referral["id"]
    again = client.post("/api/v1/referrals", headers=caseworker, json=referral_body("0703741234"))
    assert again.status_code == 409  # one open referral per citizen, said neutrally
    assert again.json() == {
        "detail": "Borgeren kan ikke henvises nu; kontakt mentorkorpsets koordinator"
    }
    assert (
        client.post(
            f"/api/v1/referrals/{rid}/pause", headers=coordinator, json={"reason": "x"}
        ).status_code
        == 409
    )
    assert (
        client.post(f"/api/v1/referrals/{rid}/accept", headers=coordinator, json={}).json()[
            "status"
        ]
        == "accepted"
    )

    suggestions = client.get(
        f"/api/v1/referrals/{rid}/suggestions?limit=5", headers=coordinator
    ).json()
    top = suggestions[0]
    assert top["mentor_id"] == mentor_id
    assert top["score"] == sum(item["points"] for item in top["breakdown"])
    plan = client.post("/api/v1/matching/plan", headers=coordinator, json={}).json()
    assert {a["referral_id"] for a in plan["assignments"]} >= {rid}
    assert plan["total_score"] == sum(a["score"] for a in plan["assignments"])
    assigned = client.post(
        f"/api/v1/referrals/{rid}/assignment",
        headers=coordinator,
        json={"mentor_id": mentor_id, "reason": ""},
    )
    assert assigned.status_code == 201, assigned.text
    shown = client.get(f"/api/v1/referrals/{rid}", headers=caseworker).json()
    assert shown["status"] == "active" and shown["mentor_id"] == mentor_id

    goal_id = shown["sub_goals"][0]["id"]
    entry = client.post(
        f"/api/v1/referrals/{rid}/logbook",
        headers=mentor,
        json={
            "occurred_on": "2026-02-03",
            "kind": "three_party_meeting",
            "text": "=Trepartsmøde: plan for bus",
            "sub_goal_ids": [goal_id],
            "observations": ["increased_motivation"],
            "progress": 1,
            "shown_to_citizen": True,
        },
    )
    assert entry.status_code == 201 and entry.json()["version"] == 1
    entry_id = entry.json()["id"]
    assert (
        client.patch(f"/api/v1/logbook/{entry_id}", headers=mentor, json={"text": "x"}).status_code
        == 405
    )
    assert client.delete(f"/api/v1/logbook/{entry_id}", headers=mentor).status_code == 405
    amended = client.post(
        f"/api/v1/logbook/{entry_id}/amendments",
        headers=mentor,
        json={"text": "Trepartsmøde: plan for bustræning", "reason": "Præcisering"},
    )
    assert amended.status_code == 201
    full = client.get(f"/api/v1/logbook/{entry_id}", headers=coordinator).json()
    assert full["version"] == 2 and [h["text"] for h in full["history"]] == [
        "=Trepartsmøde: plan for bus"
    ]

    minutes = {"citizen_contact": 600, "administration": 30, "own_transport": 45}
    for category, amount in minutes.items():
        response = client.post(
            "/api/v1/time-entries",
            headers=mentor,
            json={
                "referral_id": rid,
                "date": "2026-02-03",
                "minutes": amount,
                "category": category,
                "note": "=SUM(A1)",
            },
        )
        assert response.status_code == 201, response.text
    assert (
        client.post(
            "/api/v1/time-entries",
            headers=mentor,
            json={
                "referral_id": rid,
                "date": "2026-02-04",
                "minutes": 1441,
                "category": "citizen_contact",
                "note": "",
            },
        ).status_code
        == 422
    )

    report = client.get(
        "/api/v1/reports/refund?from=2026-01-01&to=2026-03-31", headers=finance
    ).json()
    [row] = report["rows"]
    assert row["cpr"] == "0703741234" and row["hours"] == "10.50"
    assert row["non_refundable_hours"] == "0.75"
    assert row["cost"] == "4200.00" and row["refund"] == "2100.00"
    assert set(row["minutes_by_category"]) == {
        "citizen_contact",
        "professional_dialogue",
        "transport_with_citizen",
        "administration",
        "own_transport",
    }
    claim = client.post(
        "/api/v1/refund-claims", headers=finance, json={"from": "2026-01-01", "to": "2026-03-31"}
    )
    assert claim.status_code == 201, claim.text
    assert (
        client.post(
            "/api/v1/refund-claims",
            headers=finance,
            json={"from": "2026-03-01", "to": "2026-04-30"},
        ).status_code
        == 409
    )
    assert (
        client.post(
            "/api/v1/time-entries",
            headers=mentor,
            json={
                "referral_id": rid,
                "date": "2026-03-02",
                "minutes": 60,
                "category": "citizen_contact",
                "note": "",
            },
        ).status_code
        == 409
    )
    stored = client.get(f"/api/v1/refund-claims/{claim.json()['id']}.xlsx", headers=finance)
    workbook = openpyxl.load_workbook(io.BytesIO(stored.content))
    assert {"Oversigt", "Borgere", "Registreringer"} <= set(workbook.sheetnames)

    export = client.get(
        f"/api/v1/citizens/{referral['citizen_id']}/access-export", headers=coordinator
    )
    assert export.status_code == 200
    body = str(export.json())
    assert "Trepartsmøde: plan for bustræning" in body and "=Trepartsmøde: plan for bus" in body
    assert (
        client.get(
            f"/api/v1/citizens/{referral['citizen_id']}/access-export", headers=mentor
        ).status_code
        == 403
    )

    inbox = client.get("/api/v1/notifications?unread=true", headers=caseworker)
    assert inbox.status_code == 200
    assert any(n["referral_id"] == rid for n in inbox.json())
    first = inbox.json()[0]["id"]
    assert client.post(f"/api/v1/notifications/{first}/read", headers=caseworker).status_code == 204
    closed = client.post(
        f"/api/v1/referrals/{rid}/close",
        headers=coordinator,
        json={"reason": "Borgeren er i fleksjob", "outcome": "flex_job"},
    )
    assert closed.status_code == 200, closed.text
    again = client.post("/api/v1/referrals", headers=caseworker, json=referral_body("0703741234"))
    assert again.status_code == 201, again.text
    assert again.json()["citizen_id"] == referral["citizen_id"]  # a known CPR reuses the citizen
    assert client.get("/healthz").json() == {"status": "ok", "db": "ok"}
