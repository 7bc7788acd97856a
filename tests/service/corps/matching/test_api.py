"""The matching API of the contract: suggestions, plan, assignment, exclusions and weights."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import select

from service.audit.models import AuditEvent
from service.corps.models import Absence, AssignmentRecord, Citizen, MentorAgreement, Referral
from service.notifications.models import Notification
from tests.conftest import make_user
from tests.factories import make_referral
from tests.service.corps.matching.conftest import accepted, busy, mentor


def suggest(api, referral, limit=50):
    return api("coordinator").get(f"/api/v1/referrals/{referral.id}/suggestions?limit={limit}")


def field_of(response):
    return response.json()["detail"][0]["loc"][-1]


class TestSuggestions:
    def test_ranked_with_explained_points_that_add_up(self, api, db, users):
        referral = accepted(db, users, focus_roles=["personal_support", "system_guide"])
        best = mentor(db, target_groups=["social_anxiety"], background_areas=["psychiatry"])
        plain = mentor(db, target_groups=[], roles=[], district="Odense", gender="male")
        response = suggest(api, referral, limit=5)
        assert response.status_code == 200, response.text
        rows = response.json()
        assert [r["mentor_id"] for r in rows] == [best.id, plain.id]
        for row in rows:
            assert row["score"] == sum(part["points"] for part in row["breakdown"])
            for part in row["breakdown"]:
                assert set(part) == {"criterion", "points", "explanation"}
        explanations = [p["explanation"] for p in rows[0]["breakdown"]]
        assert "Erfaring med social angst" in explanations
        assert "Samme distrikt" in explanations

    def test_limit(self, api, db, users):
        referral = accepted(db, users)
        for _ in range(3):
            mentor(db)
        assert len(suggest(api, referral, limit=2).json()) == 2
        for bad in (0, 51, "x"):
            response = suggest(api, referral, limit=bad)
            assert response.status_code == 422 and field_of(response) == "limit"
        default = api("coordinator").get(f"/api/v1/referrals/{referral.id}/suggestions")
        assert default.status_code == 200 and len(default.json()) == 3

    def test_never_a_mentor_that_breaks_a_hard_constraint(self, api, db, users):
        referral = accepted(db, users, start_date=date(2026, 7, 1))
        good = mentor(db)
        mentor(db, active=False)
        away = mentor(db)
        db.add(
            Absence(
                mentor_id=away.id, start=date(2026, 6, 28), end=date(2026, 7, 3), kind="holiday"
            )
        )
        full = mentor(db, max_caseload=1)
        busy(db, users, full)
        short = mentor(db, weekly_hours=Decimal("5.00"))
        busy(db, users, short, hours=Decimal("3.00"))  # 3 + 3 > 5
        mentor(db, languages=["en"])
        excluded = mentor(db)
        db.flush()
        response = api("coordinator").post(
            f"/api/v1/citizens/{referral.citizen_id}/exclusions",
            json={"mentor_id": excluded.id, "reason": "Familierelation"},
        )
        assert response.status_code == 201, response.text
        assert [r["mentor_id"] for r in suggest(api, referral).json()] == [good.id]

    def test_absent_before_the_start_is_fine(self, api, db, users):
        referral = accepted(db, users, start_date=date(2026, 7, 1))
        away = mentor(db)
        db.add(
            Absence(
                mentor_id=away.id, start=date(2026, 6, 16), end=date(2026, 6, 30), kind="holiday"
            )
        )
        db.flush()
        assert [r["mentor_id"] for r in suggest(api, referral).json()] == [away.id]

    def test_continuity_counts_an_earlier_mentor_of_the_citizen(self, api, db, users):
        before = mentor(db)
        old = make_referral(db, users["caseworker"], mentor=before, status="closed")
        referral = accepted(db, users, citizen=db.get(Citizen, old.citizen_id))
        mentor(db)
        rows = suggest(api, referral).json()
        assert rows[0]["mentor_id"] == before.id
        assert "continuity" in {p["criterion"] for p in rows[0]["breakdown"]}

    def test_errors_and_roles(self, api, db, users):
        assert api("coordinator").get("/api/v1/referrals/999999/suggestions").status_code == 404
        referral = accepted(db, users)
        assert (
            api("caseworker").get(f"/api/v1/referrals/{referral.id}/suggestions").status_code == 403
        )

    def test_reading_suggestions_is_audited(self, api, db, users):
        referral = accepted(db, users)
        suggest(api, referral)
        rows = db.exec(
            select(AuditEvent).where(
                AuditEvent.citizen_id == referral.citizen_id, AuditEvent.purpose == "matching"
            )
        ).all()
        assert rows


class TestPlan:
    def test_plan_commits_nothing_and_beats_greedy(self, api, db, users):
        referrals = [accepted(db, users) for _ in range(4)]
        a = mentor(db, max_caseload=2)
        b = mentor(db, max_caseload=2, district="Odense")
        response = api("coordinator").post("/api/v1/matching/plan", json={})
        assert response.status_code == 200, response.text
        body = response.json()
        assert {"assignments", "unassigned", "total_score"} <= set(body)
        assert len(body["assignments"]) == 4 and body["unassigned"] == []
        assert body["total_score"] == sum(x["score"] for x in body["assignments"])
        assert body["total_score"] >= body["greedy_total"]
        counts = {a.id: 0, b.id: 0}
        for row in body["assignments"]:
            counts[row["mentor_id"]] += 1
        assert counts == {a.id: 2, b.id: 2}
        for referral in referrals:
            db.refresh(referral)
            assert referral.status == "accepted" and referral.mentor_id is None
        assert db.exec(select(AssignmentRecord)).all() == []

    def test_subset_and_unassigned(self, api, db, users):
        one, two, _other = (accepted(db, users) for _ in range(3))
        mentor(db, max_caseload=1)
        response = api("coordinator").post(
            "/api/v1/matching/plan", json={"referral_ids": [two.id, one.id]}
        )
        body = response.json()
        planned = {x["referral_id"] for x in body["assignments"]} | {
            x["referral_id"] for x in body["unassigned"]
        }
        assert planned == {one.id, two.id}
        assert len(body["assignments"]) == 1 and len(body["unassigned"]) == 1
        assert body["unassigned"][0]["reason"]

    def test_unknown_or_not_accepted_ids_are_422(self, api, db, users):
        active = make_referral(db, users["caseworker"], mentor=mentor(db))
        for ids in ([999999], [active.id]):
            response = api("coordinator").post("/api/v1/matching/plan", json={"referral_ids": ids})
            assert response.status_code == 422 and field_of(response) == "referral_ids"

    def test_no_body_plans_everything_accepted(self, api, db, users):
        accepted(db, users)
        mentor(db)
        response = api("coordinator").post("/api/v1/matching/plan")
        assert response.status_code == 200 and len(response.json()["assignments"]) == 1


class TestAssignment:
    def test_assignment_activates_with_agreement_notification_and_audit(self, api, db, users):
        referral = accepted(db, users, tasks_can=[], focus_roles=["personal_support"])
        chosen = mentor(db)
        response = api("coordinator").post(
            f"/api/v1/referrals/{referral.id}/assignment", json={"mentor_id": chosen.id}
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["status"] == "active" and body["mentor_id"] == chosen.id
        db.refresh(referral)
        assert referral.status == "active" and referral.mentor_id == chosen.id
        agreement = db.get(MentorAgreement, body["agreement_id"])
        assert agreement.valid_from == date(2026, 6, 15)
        assert agreement.valid_to == date(2026, 12, 14)
        assert agreement.goal == referral.job_goal and "personlig" in agreement.tasks.lower()
        assert agreement.hours_per_week == Decimal("3.00") and agreement.complaint
        notified = db.exec(
            select(Notification.user_id).where(
                Notification.referral_id == referral.id, Notification.kind == "mentor_assigned"
            )
        ).all()
        assert set(notified) == {chosen.user_id, users["caseworker"].id}
        audit = db.exec(
            select(AuditEvent).where(
                AuditEvent.entity == "assignment", AuditEvent.citizen_id == referral.citizen_id
            )
        ).one()
        assert audit.purpose == "matching" and audit.detail["mentor_id"] == chosen.id

    def test_not_the_top_suggestion_needs_a_reason(self, api, db, users):
        referral = accepted(db, users)
        mentor(db)  # top: same district
        second = mentor(db, district="Odense")
        url = f"/api/v1/referrals/{referral.id}/assignment"
        response = api("coordinator").post(url, json={"mentor_id": second.id})
        assert response.status_code == 422 and field_of(response) == "reason"
        response = api("coordinator").post(url, json={"mentor_id": second.id, "reason": "  "})
        assert response.status_code == 422
        response = api("coordinator").post(
            url, json={"mentor_id": second.id, "reason": "Kender borgerens netværk"}
        )
        assert response.status_code == 201, response.text
        row = db.exec(
            select(AssignmentRecord).where(AssignmentRecord.referral_id == referral.id)
        ).one()
        assert row.reason == "Kender borgerens netværk" and row.top_mentor_id != second.id
        audit = db.exec(select(AuditEvent).where(AuditEvent.entity == "assignment")).one()
        assert audit.detail["reason"] == "Kender borgerens netværk"

    def test_hard_constraint_is_409(self, api, db, users):
        referral = accepted(db, users)
        inactive = mentor(db, active=False)
        response = api("coordinator").post(
            f"/api/v1/referrals/{referral.id}/assignment",
            json={"mentor_id": inactive.id, "reason": "x"},
        )
        assert response.status_code == 409 and "inaktiv" in response.json()["detail"]
        db.refresh(referral)
        assert referral.status == "accepted"

    def test_only_accepted_referrals(self, api, db, users):
        chosen = mentor(db)
        submitted = make_referral(db, users["caseworker"])
        active = make_referral(db, users["caseworker"], mentor=mentor(db))
        for referral in (submitted, active):
            response = api("coordinator").post(
                f"/api/v1/referrals/{referral.id}/assignment", json={"mentor_id": chosen.id}
            )
            assert response.status_code == 409

    def test_unknown_ids_and_roles(self, api, db, users):
        referral = accepted(db, users)
        url = f"/api/v1/referrals/{referral.id}/assignment"
        assert api("coordinator").post(url, json={"mentor_id": 999999}).status_code == 422
        assert api("coordinator").post(url, json={}).status_code == 422
        response = api("coordinator").post(
            "/api/v1/referrals/999999/assignment", json={"mentor_id": mentor(db).id}
        )
        assert response.status_code == 404
        assert api("caseworker").post(url, json={"mentor_id": 1}).status_code == 403


class TestExclusions:
    def test_add_list_duplicate_and_errors(self, api, db, users):
        referral = accepted(db, users)
        who = mentor(db)
        url = f"/api/v1/citizens/{referral.citizen_id}/exclusions"
        created = api("coordinator").post(url, json={"mentor_id": who.id, "reason": "Inhabil"})
        assert created.status_code == 201
        assert created.json()["reason"] == "Inhabil"
        again = api("coordinator").post(url, json={"mentor_id": who.id, "reason": "Igen"})
        assert again.status_code == 409
        missing = api("coordinator").post(url, json={"mentor_id": who.id, "reason": ""})
        assert missing.status_code == 422 and field_of(missing) == "reason"
        listed = api("coordinator").get(url).json()
        assert [(x["mentor_id"], x["reason"]) for x in listed] == [(who.id, "Inhabil")]
        nobody = api("coordinator").post(
            "/api/v1/citizens/999999/exclusions", json={"mentor_id": who.id, "reason": "x"}
        )
        assert nobody.status_code == 404
        assert api("coordinator").get("/api/v1/citizens/999999/exclusions").status_code == 404
        assert api("caseworker").get(url).status_code == 403


class TestWeights:
    def test_defaults_change_ranking_and_audit(self, api, db, users):
        response = api("coordinator").get("/api/v1/matching/weights")
        assert response.status_code == 200
        assert response.json()["weights"] == response.json()["defaults"]
        referral = accepted(db, users, target_groups=["social_anxiety"])
        near = mentor(db, target_groups=[], district="Aarhus C")
        expert = mentor(db, target_groups=["social_anxiety"], district="Odense")
        assert suggest(api, referral).json()[0]["mentor_id"] == expert.id
        response = api("coordinator").put(
            "/api/v1/matching/weights", json={"weights": {"target_groups": 0, "district": 50}}
        )
        assert response.status_code == 200, response.text
        assert response.json()["weights"]["district"] == 50
        assert response.json()["weights"]["focus_roles"] == 4  # left out: unchanged
        assert suggest(api, referral).json()[0]["mentor_id"] == near.id
        audit = db.exec(select(AuditEvent).where(AuditEvent.entity == "matching_weight")).one()
        assert audit.detail["changes"]["district"] == {"before": 6, "after": 50}

    def test_invalid_weights_are_422(self, api):
        for weights, field in (({"nonsense": 1}, "nonsense"), ({"district": 101}, "district")):
            response = api("coordinator").put("/api/v1/matching/weights", json={"weights": weights})
            assert response.status_code == 422 and field_of(response) == field
        response = api("coordinator").put(
            "/api/v1/matching/weights", json={"weights": {"district": "5"}}
        )
        assert response.status_code == 422
        assert api("mentor").get("/api/v1/matching/weights").status_code == 403


def test_a_second_coordinator_cannot_overfill_a_mentor(api, db, users):
    """Capacity is checked at assignment time against the current load."""
    one, two = accepted(db, users), accepted(db, users)
    only = mentor(db, max_caseload=1)
    coordinator2 = make_user(db, "coordinator")
    first = api("coordinator").post(
        f"/api/v1/referrals/{one.id}/assignment", json={"mentor_id": only.id}
    )
    assert first.status_code == 201
    second = api(coordinator2).post(
        f"/api/v1/referrals/{two.id}/assignment", json={"mentor_id": only.id, "reason": "x"}
    )
    assert second.status_code == 409
    assert db.get(Referral, two.id).status == "accepted"
