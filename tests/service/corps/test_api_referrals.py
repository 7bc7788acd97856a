"""Contract tests: /api/v1/referrals, the workflow, visibility and audit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from logbook.models import TimeEntry
from service.audit.models import AuditEvent
from service.corps.models import Citizen, Referral, ReferralEvent
from tests.conftest import make_user
from tests.factories import make_mentor, make_referral

BODY = {
    "citizen": {
        "cpr": "010190-1234",
        "name": "Eva Jensen",
        "phone": "12345678",
        "email": "eva@example.dk",
        "address": "Søndergade 1",
        "district": "Aarhus C",
    },
    "job_goal": "Fleksjob i detailhandlen",
    "sub_goals": [{"title": "Møde stabilt 2 dage om ugen"}, {"title": "Tage bussen alene"}],
    "focus_roles": ["personal_support", "system_guide"],
    "target_groups": ["social_anxiety"],
    "required_languages": ["da"],
    "preferred_mentor_gender": None,
    "granted_hours_per_week": "3.00",
    "start_date": "2026-01-05",
    "end_date": "2026-12-31",
    "legal_basis": "lab",
    "consent_information_exchange": True,
    "considerations": "Har svært ved telefonopkald.",
}


def with_citizen(**changes):
    return {**BODY, "citizen": {**BODY["citizen"], **changes}}


def locs(response) -> set[str]:
    return {".".join(map(str, e["loc"][1:])) for e in response.json()["detail"]}


class TestCreate:
    def test_201_creates_citizen_referral_and_sub_goals(self, api, users, db):
        response = api("caseworker").post("/api/v1/referrals", json=BODY)
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["status"] == "submitted" and body["citizen_id"]
        assert [g["title"] for g in body["sub_goals"]] == [
            "Møde stabilt 2 dage om ugen",
            "Tage bussen alene",
        ]
        assert all(g["id"] for g in body["sub_goals"])
        assert body["granted_hours_per_week"] == "3.00" and body["hours_used"] == "0.00"
        assert body["mentor_id"] is None
        assert body["citizen"]["cpr_masked"] == "010190-xxxx"
        citizen = db.get(Citizen, body["citizen_id"])
        assert citizen.cpr == "0101901234"
        referral = db.get(Referral, body["id"])
        assert referral.caseworker_id == users["caseworker"].id
        event = db.exec(select(ReferralEvent).where(ReferralEvent.referral_id == body["id"])).one()
        assert event.to_status == "submitted"

    def test_known_cpr_reuses_the_citizen_without_changing_it(self, api, db):
        client = api("caseworker")
        first = client.post("/api/v1/referrals", json=BODY).json()
        closed = {"reason": "Slut", "outcome": "job"}
        api("coordinator").post(f"/api/v1/referrals/{first['id']}/close", json=closed)
        second = client.post(
            "/api/v1/referrals", json=with_citizen(cpr="0101901234", phone="87654321")
        ).json()
        assert first["citizen_id"] == second["citizen_id"]
        assert first["id"] != second["id"]
        db.expire_all()
        assert db.get(Citizen, first["citizen_id"]).phone == "12345678"  # a coordinator confirms
        assert db.get(Referral, second["id"]).submitted_citizen["phone"] == "87654321"
        assert len(db.exec(select(Citizen).where(Citizen.cpr == "0101901234")).all()) == 1

    def test_leading_zero_kept(self, api, db):
        body = api("caseworker").post("/api/v1/referrals", json=with_citizen(cpr="0102030405"))
        assert body.status_code == 201
        assert db.get(Citizen, body.json()["citizen_id"]).cpr == "0102030405"

    @pytest.mark.parametrize("cpr", ["310290-1234", "3102901234", "290200-1234", "12345", ""])
    def test_bad_cpr_is_422_naming_citizen_cpr(self, api, cpr):
        response = api("caseworker").post("/api/v1/referrals", json=with_citizen(cpr=cpr))
        assert response.status_code == 422
        assert locs(response) == {"citizen.cpr"}

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("focus_roles", ["boss"]),
            ("target_groups", ["dragons"]),
            ("required_languages", ["xx"]),
            ("legal_basis", "sel"),
            ("granted_hours_per_week", "abc"),
            ("granted_hours_per_week", "0.00"),
            ("end_date", "2025-12-31"),
            ("start_date", "2026-02-30"),
            ("preferred_mentor_gender", "robot"),
            ("job_goal", ""),
        ],
    )
    def test_invalid_fields_are_422_naming_the_field(self, api, field, value):
        response = api("caseworker").post("/api/v1/referrals", json={**BODY, field: value})
        assert response.status_code == 422, response.text
        assert any(loc.split(".")[0] == field for loc in locs(response)), locs(response)

    def test_health_information_without_consent_is_422(self, api):
        body = {**BODY, "consent_information_exchange": False, "health_information": "ADHD"}
        response = api("caseworker").post("/api/v1/referrals", json=body)
        assert response.status_code == 422 and locs(response) == {"health_information"}

    def test_only_caseworker_creates(self, api):
        for role in ("coordinator", "mentor", "finance", "admin"):
            assert api(role).post("/api/v1/referrals", json=BODY).status_code == 403

    def test_create_is_audited(self, api, db):
        body = api("caseworker").post("/api/v1/referrals", json=BODY).json()
        rows = db.exec(select(AuditEvent).where(AuditEvent.citizen_id == body["citizen_id"])).all()
        assert {(r.entity, r.action) for r in rows} >= {
            ("citizen", "create"),
            ("referral", "create"),
        }


class TestReadAndVisibility:
    def test_caseworker_sees_only_own(self, api, users, db):
        own = make_referral(db, users["caseworker"])
        other = make_referral(db, make_user(db, "caseworker"))
        client = api("caseworker")
        assert client.get(f"/api/v1/referrals/{own.id}").status_code == 200
        assert client.get(f"/api/v1/referrals/{other.id}").status_code == 404
        assert [r["id"] for r in client.get("/api/v1/referrals").json()] == [own.id]

    def test_mentor_sees_only_assigned(self, api, users, db):
        me = make_mentor(db, users["mentor"])
        other = make_mentor(db)
        mine = make_referral(db, users["caseworker"], mentor=me)
        theirs = make_referral(db, users["caseworker"], mentor=other)
        client = api("mentor")
        assert client.get(f"/api/v1/referrals/{mine.id}").status_code == 200
        assert client.get(f"/api/v1/referrals/{theirs.id}").status_code == 404
        assert [r["id"] for r in client.get("/api/v1/referrals").json()] == [mine.id]

    def test_mentor_without_profile_sees_nothing(self, api, users, db):
        referral = make_referral(db, users["caseworker"], mentor=make_mentor(db))
        client = api("mentor")
        assert client.get(f"/api/v1/referrals/{referral.id}").status_code == 404
        assert client.get("/api/v1/referrals").json() == []

    def test_coordinator_sees_all_and_filters_by_status(self, api, users, db):
        a = make_referral(db, users["caseworker"])
        b = make_referral(db, make_user(db, "caseworker"), status="returned")
        client = api("coordinator")
        assert {r["id"] for r in client.get("/api/v1/referrals").json()} >= {a.id, b.id}
        returned = client.get("/api/v1/referrals", params={"status": "returned"}).json()
        assert [r["id"] for r in returned] == [b.id]
        assert client.get("/api/v1/referrals", params={"status": "nope"}).status_code == 422

    def test_finance_is_403_and_unknown_404(self, api):
        assert api("finance").get("/api/v1/referrals").status_code == 403
        assert api("finance").get("/api/v1/referrals/1").status_code == 403
        assert api("coordinator").get("/api/v1/referrals/987654").status_code == 404

    def test_hours_used_sums_time_entries(self, api, users, db):
        mentor = make_mentor(db, users["mentor"])
        referral = make_referral(db, users["caseworker"], mentor=mentor)
        for minutes in (90, 45, 5):
            db.add(
                TimeEntry(
                    referral_id=referral.id,
                    mentor_id=mentor.id,
                    date=date(2026, 2, 2),
                    minutes=minutes,
                    category="meeting",
                    created_by=users["mentor"].id,
                )
            )
        db.flush()
        body = api("coordinator").get(f"/api/v1/referrals/{referral.id}").json()
        assert body["hours_used"] == "2.33"  # 140 minutes
        assert body["mentor_id"] == mentor.id

    def test_read_is_audited(self, api, users, db):
        referral = make_referral(db, users["caseworker"])
        api("coordinator").get(f"/api/v1/referrals/{referral.id}")
        row = db.exec(
            select(AuditEvent).where(
                AuditEvent.action == "read", AuditEvent.entity_id == referral.id
            )
        ).one()
        assert row.citizen_id == referral.citizen_id and row.user_id == users["coordinator"].id


# (status before, action, role, body, expected status code, status after)
LEGAL = [
    ("submitted", "accept", "coordinator", {}, "accepted"),
    ("submitted", "return", "coordinator", {"reason": "Mangler delmål"}, "returned"),
    ("returned", "resubmit", "caseworker", {}, "submitted"),
    ("active", "pause", "coordinator", {"reason": "Indlagt"}, "paused"),
    ("paused", "resume", "coordinator", {}, "active"),
]
CLOSE = {"reason": "Borgeren er i job", "outcome": "job"}
OPEN = ["submitted", "returned", "accepted", "active", "paused"]
ACTIONS = ["accept", "return", "resubmit", "pause", "resume", "close"]
ROLE_OF = {
    "accept": "coordinator",
    "return": "coordinator",
    "resubmit": "caseworker",
    "pause": "coordinator",
    "resume": "coordinator",
    "close": "coordinator",
}
ALLOWED = {(before, action) for before, action, *_ in LEGAL} | {(s, "close") for s in OPEN}
ILLEGAL = [
    (status, action)
    for status in [*OPEN, "closed"]
    for action in ACTIONS
    if (status, action) not in ALLOWED
]


def referral_in(db, users, status):
    mentor = make_mentor(db) if status in ("active", "paused", "closed") else None
    return make_referral(db, users["caseworker"], mentor=mentor, status=status)


class TestTransitions:
    @pytest.mark.parametrize(("before", "action", "role", "body", "after"), LEGAL)
    def test_legal(self, api, users, db, before, action, role, body, after):
        referral = referral_in(db, users, before)
        response = api(role).post(f"/api/v1/referrals/{referral.id}/{action}", json=body)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == after
        event = db.exec(select(ReferralEvent).where(ReferralEvent.referral_id == referral.id)).one()
        assert (event.from_status, event.to_status) == (before, after)
        assert event.reason == body.get("reason", "")
        audit = db.exec(
            select(AuditEvent).where(
                AuditEvent.action == "transition", AuditEvent.entity_id == referral.id
            )
        ).one()
        assert audit.detail["from"] == before and audit.detail["to"] == after

    @pytest.mark.parametrize("before", OPEN)
    @pytest.mark.parametrize("role", ["coordinator", "caseworker"])
    def test_close_from_every_open_status(self, api, users, db, before, role):
        referral = referral_in(db, users, before)
        response = api(role).post(f"/api/v1/referrals/{referral.id}/close", json=CLOSE)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "closed" and response.json()["outcome"] == "job"
        assert response.json()["closed_at"]

    @pytest.mark.parametrize(("before", "action"), ILLEGAL)
    def test_illegal_is_409_in_danish(self, api, users, db, before, action):
        referral = referral_in(db, users, before)
        body = {"reason": "Fordi", "outcome": "other"}
        response = api(ROLE_OF[action]).post(f"/api/v1/referrals/{referral.id}/{action}", json=body)
        assert response.status_code == 409, response.text
        assert "kan ikke" in response.json()["detail"]
        assert db.get(Referral, referral.id).status == before

    @pytest.mark.parametrize(
        ("before", "action", "body", "field"),
        [
            ("submitted", "return", {}, "reason"),
            ("submitted", "return", {"reason": "   "}, "reason"),
            ("active", "pause", {}, "reason"),
            ("active", "close", {"outcome": "job"}, "reason"),
            ("active", "close", {"reason": "Slut"}, "outcome"),
            ("active", "close", {"reason": "Slut", "outcome": "lottery"}, "outcome"),
        ],
    )
    def test_missing_reason_or_outcome_is_422(self, api, users, db, before, action, body, field):
        referral = referral_in(db, users, before)
        response = api("coordinator").post(f"/api/v1/referrals/{referral.id}/{action}", json=body)
        assert response.status_code == 422
        assert field in locs(response)
        assert db.get(Referral, referral.id).status == before

    def test_roles_per_action(self, api, users, db):
        referral = referral_in(db, users, "submitted")
        assert api("caseworker").post(f"/api/v1/referrals/{referral.id}/accept").status_code == 403
        returned = referral_in(db, users, "returned")
        url = f"/api/v1/referrals/{returned.id}/resubmit"
        assert api("coordinator").post(url).status_code == 403

    def test_caseworker_cannot_act_on_others_referral(self, api, db):
        other = make_referral(db, make_user(db, "caseworker"), status="returned")
        url = f"/api/v1/referrals/{other.id}/resubmit"
        assert api("caseworker").post(url).status_code == 404

    def test_unknown_referral_is_404(self, api):
        assert api("coordinator").post("/api/v1/referrals/987654/accept").status_code == 404

    def test_service_assignment_makes_active(self, users, db):
        from service.audit.service import Actor
        from service.core.errors import IllegalTransition
        from service.corps.referral_workflow import transition

        referral = referral_in(db, users, "accepted")
        actor = Actor(users["coordinator"])
        with pytest.raises(IllegalTransition):
            transition(db, referral=referral, to_status="active", actor=actor)
        referral.mentor_id = make_mentor(db).id
        transition(db, referral=referral, to_status="active", actor=actor)
        assert referral.status == "active" and referral.assigned_at is not None
