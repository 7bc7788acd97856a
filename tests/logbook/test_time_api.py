"""Time registration of the contract: the rules at their edges, claims, approval, audit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from logbook import claimed_periods
from logbook.models import TimeEntry
from service.audit.models import AuditEvent
from tests.factories import make_mentor, make_referral
from tests.logbook.conftest import make_claim


def entry(referral, **overrides):
    return {
        "referral_id": referral.id,
        "date": "2026-06-10",
        "minutes": 90,
        "category": "citizen_contact",
        "note": "Samtale",
        **overrides,
    }


def post(api, referral, role="mentor", **overrides):
    return api(role).post("/api/v1/time-entries", json=entry(referral, **overrides))


def field_of(response):
    return response.json()["detail"][0]["loc"][-1]


class TestCreate:
    def test_mentor_registers_time(self, api, users, mentor, referral):
        response = post(api, referral)
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["id"] and body["mentor_id"] == mentor.id and body["minutes"] == 90
        assert body["hours"] == "1.50" and body["created_by"] == users["mentor"].id

    def test_all_five_categories(self, api, referral):
        for category in (
            "citizen_contact",
            "professional_dialogue",
            "transport_with_citizen",
            "administration",
            "own_transport",
        ):
            assert post(api, referral, category=category, minutes=10).status_code == 201
        response = post(api, referral, category="coffee")
        assert response.status_code == 422 and field_of(response) == "category"

    def test_1440_minutes_accepted_1441_refused(self, api, referral):
        response = post(api, referral, minutes=1441)
        assert response.status_code == 422 and field_of(response) == "minutes"
        assert post(api, referral, minutes=0).status_code == 422
        assert post(api, referral, minutes=1440).status_code == 201

    def test_the_days_total_may_not_pass_24_hours(self, api, db, users, mentor, referral):
        second = make_referral(db, users["caseworker"], mentor=mentor)
        assert post(api, referral, minutes=1000).status_code == 201
        assert post(api, second, minutes=440).status_code == 201  # exactly 24 h
        response = post(api, second, minutes=1)
        assert response.status_code == 422 and field_of(response) == "minutes"
        assert post(api, second, minutes=1, date="2026-06-11").status_code == 201

    def test_future_date_is_422_today_is_fine(self, api, referral):
        response = post(api, referral, date="2026-06-16")
        assert response.status_code == 422 and field_of(response) == "date"
        assert post(api, referral, date="2026-06-15").status_code == 201

    def test_outside_the_referral_period_is_422(self, api, db, users, mentor):
        ref = make_referral(
            db,
            users["caseworker"],
            mentor=mentor,
            start_date=date(2026, 3, 1),
            end_date=date(2026, 5, 31),
        )
        for day in ("2026-02-28", "2026-06-01"):
            response = post(api, ref, date=day)
            assert response.status_code == 422 and field_of(response) == "date", day
        assert post(api, ref, date="2026-03-01").status_code == 201
        assert post(api, ref, date="2026-05-31").status_code == 201

    def test_another_mentors_citizen_is_404(self, api, mentor, other_referral):
        assert post(api, other_referral).status_code == 404
        assert post(api, other_referral, referral_id=999999).status_code == 404

    def test_referral_without_mentor_needs_one(self, api, db, users, mentor):
        unassigned = make_referral(db, users["caseworker"])
        assert post(api, unassigned).status_code == 404  # not the mentor's citizen
        response = post(api, unassigned, role="coordinator")
        assert response.status_code == 422 and field_of(response) == "referral_id"

    def test_claimed_period_is_409(self, api, users, referral, db):
        make_claim(db, users["finance"], date(2026, 5, 1), date(2026, 5, 31))
        response = post(api, referral, date="2026-05-31")
        assert response.status_code == 409
        assert response.json()["detail"].startswith("Perioden er afregnet")
        assert post(api, referral, date="2026-06-01").status_code == 201

    def test_coordinator_registers_on_behalf(self, api, users, mentor, referral, other_referral):
        response = post(api, referral, role="coordinator", mentor_id=mentor.id)
        assert response.status_code == 201
        assert response.json()["mentor_id"] == mentor.id
        assert response.json()["created_by"] == users["coordinator"].id
        wrong = post(api, other_referral, role="coordinator", mentor_id=mentor.id)
        assert wrong.status_code == 422 and field_of(wrong) == "mentor_id"

    def test_mentor_cannot_register_for_another_mentor(self, api, db, referral):
        response = post(api, referral, mentor_id=make_mentor(db).id)
        assert response.status_code == 422 and field_of(response) == "mentor_id"

    def test_creation_is_audited_with_after(self, api, db, referral):
        created = post(api, referral).json()
        row = db.exec(
            select(AuditEvent).where(
                AuditEvent.entity == "time_entry", AuditEvent.entity_id == created["id"]
            )
        ).one()
        assert row.action == "create" and row.citizen_id == referral.citizen_id
        assert row.detail["before"] is None and row.detail["after"]["minutes"] == 90


class TestEditDelete:
    def test_patch_and_delete_are_audited_with_before_and_after(self, api, db, referral):
        created = post(api, referral).json()
        response = api("mentor").patch(
            f"/api/v1/time-entries/{created['id']}", json={"minutes": 60, "note": "Rettet"}
        )
        assert response.status_code == 200, response.text
        assert response.json()["minutes"] == 60 and response.json()["note"] == "Rettet"
        assert api("mentor").delete(f"/api/v1/time-entries/{created['id']}").status_code == 204
        assert db.get(TimeEntry, created["id"]) is None
        rows = db.exec(
            select(AuditEvent)
            .where(AuditEvent.entity == "time_entry", AuditEvent.entity_id == created["id"])
            .order_by(AuditEvent.id)
        ).all()
        assert [r.action for r in rows] == ["create", "update", "delete"]
        assert rows[1].detail["before"]["minutes"] == 90
        assert rows[1].detail["after"]["minutes"] == 60
        assert rows[2].detail["before"]["minutes"] == 60 and rows[2].detail["after"] is None

    def test_patch_keeps_the_rules(self, api, referral):
        created = post(api, referral).json()
        url = f"/api/v1/time-entries/{created['id']}"
        assert api("mentor").patch(url, json={"minutes": 1441}).status_code == 422
        assert api("mentor").patch(url, json={"date": "2026-07-01"}).status_code == 422
        assert api("mentor").patch(url, json={"minutes": 1440}).status_code == 200

    def test_claimed_entries_are_409(self, api, db, users, referral):
        created = post(api, referral, date="2026-05-20").json()
        make_claim(db, users["finance"], date(2026, 5, 1), date(2026, 5, 31))
        url = f"/api/v1/time-entries/{created['id']}"
        patched = api("mentor").patch(url, json={"minutes": 10})
        assert patched.status_code == 409
        assert patched.json()["detail"].startswith("Perioden er afregnet")
        assert api("coordinator").delete(url).status_code == 409
        # moving an open entry into a claimed period is refused too
        open_one = post(api, referral, date="2026-06-02").json()
        moved = api("mentor").patch(
            f"/api/v1/time-entries/{open_one['id']}", json={"date": "2026-05-02"}
        )
        assert moved.status_code == 409

    def test_another_mentors_entry_is_404(self, api, db, users, mentor, other_referral):
        theirs = post(api, other_referral, role="coordinator").json()
        url = f"/api/v1/time-entries/{theirs['id']}"
        assert api("mentor").patch(url, json={"minutes": 5}).status_code == 404
        assert api("mentor").delete(url).status_code == 404
        assert api("mentor").patch("/api/v1/time-entries/999999", json={}).status_code == 404


class TestList:
    def test_filters_and_mentor_sees_only_own(self, api, mentor, referral, other_referral):
        post(api, referral, date="2026-06-01")
        post(api, referral, date="2026-06-10")
        post(api, other_referral, role="coordinator")
        mine = api("mentor").get("/api/v1/time-entries").json()
        assert {e["referral_id"] for e in mine} == {referral.id}
        ranged = (
            api("mentor")
            .get("/api/v1/time-entries", params={"from": "2026-06-05", "to": "2026-06-30"})
            .json()
        )
        assert [e["date"] for e in ranged] == ["2026-06-10"]
        everyone = api("coordinator").get("/api/v1/time-entries").json()
        assert len(everyone) == 3
        by_ref = (
            api("coordinator")
            .get("/api/v1/time-entries", params={"referral_id": other_referral.id})
            .json()
        )
        assert len(by_ref) == 1
        other_mentor = other_referral.mentor_id
        assert (
            api("mentor").get("/api/v1/time-entries", params={"mentor_id": other_mentor}).json()
            == []
        )


class TestMonthApproval:
    def test_approved_month_is_read_only_for_the_mentor_until_reopened(
        self, api, db, mentor, referral
    ):
        created = post(api, referral, date="2026-05-10").json()
        response = api("coordinator").post(
            "/api/v1/month-approvals", json={"mentor_id": mentor.id, "month": "2026-05"}
        )
        assert response.status_code == 201, response.text
        approval = response.json()
        assert approval["approved"] is True and approval["month"] == "2026-05"
        again = api("coordinator").post(
            "/api/v1/month-approvals", json={"mentor_id": mentor.id, "month": "2026-05"}
        )
        assert again.status_code == 409
        url = f"/api/v1/time-entries/{created['id']}"
        assert post(api, referral, date="2026-05-11").status_code == 409
        assert api("mentor").patch(url, json={"minutes": 5}).status_code == 409
        assert api("mentor").delete(url).status_code == 409
        assert post(api, referral, date="2026-06-11").status_code == 201  # June is open
        # the coordinator still corrects an approved month
        assert api("coordinator").patch(url, json={"minutes": 5}).status_code == 200
        reopen = f"/api/v1/month-approvals/{approval['id']}/reopen"
        missing = api("coordinator").post(reopen, json={"reason": ""})
        assert missing.status_code == 422
        reopened = api("coordinator").post(reopen, json={"reason": "Mentor har glemt en dag"})
        assert reopened.status_code == 200 and reopened.json()["approved"] is False
        assert api("coordinator").post(reopen, json={"reason": "igen"}).status_code == 409
        assert api("mentor").patch(url, json={"minutes": 15}).status_code == 200
        audit = db.exec(
            select(AuditEvent).where(
                AuditEvent.entity == "month_approval", AuditEvent.entity_id == approval["id"]
            )
        ).all()
        assert [a.detail["to"] for a in audit] == ["approved", "reopened"]
        assert audit[1].detail["reason"] == "Mentor har glemt en dag"

    def test_future_month_and_unknown_mentor(self, api, mentor):
        future = api("coordinator").post(
            "/api/v1/month-approvals", json={"mentor_id": mentor.id, "month": "2026-07"}
        )
        assert future.status_code == 422
        unknown = api("coordinator").post(
            "/api/v1/month-approvals", json={"mentor_id": 999999, "month": "2026-05"}
        )
        assert unknown.status_code == 404
        bad = api("coordinator").post(
            "/api/v1/month-approvals", json={"mentor_id": mentor.id, "month": "2026-13"}
        )
        assert bad.status_code == 422

    def test_unapproved_months_for_the_claim_page(self, api, db, mentor, referral):
        from logbook.approval import unapproved_months

        post(api, referral, date="2026-04-10")
        post(api, referral, date="2026-05-10")
        api("coordinator").post(
            "/api/v1/month-approvals", json={"mentor_id": mentor.id, "month": "2026-04"}
        )
        assert unapproved_months(db, date(2026, 4, 1), date(2026, 6, 30)) == [
            (mentor.id, date(2026, 5, 1))
        ]


class TestTrainingExpenses:
    def test_coordinator_registers_an_expense(self, api, mentor):
        response = api("coordinator").post(
            "/api/v1/training-expenses",
            json={
                "mentor_id": mentor.id,
                "date": "2026-06-01",
                "description": "Kursus i motiverende samtale",
                "amount": "4000.00",
            },
        )
        assert response.status_code == 201, response.text
        assert response.json()["amount"] == "4000.00"

    def test_bad_expenses_are_422(self, api, mentor):
        good = {"mentor_id": mentor.id, "date": "2026-06-01", "description": "K", "amount": "1.00"}
        for field, value in (("amount", "1.005"), ("mentor_id", 999999), ("amount", "0.00")):
            response = api("coordinator").post(
                "/api/v1/training-expenses", json={**good, field: value}
            )
            assert response.status_code == 422, (field, value)
            assert field_of(response) == field
        assert api("mentor").post("/api/v1/training-expenses", json=good).status_code == 403


class TestClaimRace:
    """A claim that commits after a registration's first check but before its lock.

    The interleaving is forced: the claim is made at the moment the registration takes its
    lock (the first claim check has passed by then). Without the check under the lock the
    entry would land in the claimed period.
    """

    @pytest.fixture
    def claim_at_lock(self, db, users, monkeypatch):
        real = claimed_periods.lock_for_write

        def claim_then_lock(session, table, mentor_id=None):
            make_claim(db, users["finance"], date(2026, 6, 1), date(2026, 6, 30))
            real(session, table, mentor_id)

        monkeypatch.setattr(claimed_periods, "lock_for_write", claim_then_lock)

    def test_registration_is_refused_under_the_lock(self, api, db, referral, claim_at_lock):
        response = post(api, referral, date="2026-06-10")
        assert response.status_code == 409, response.text
        assert response.json()["detail"].startswith("Perioden er afregnet")
        assert db.exec(select(TimeEntry).where(TimeEntry.referral_id == referral.id)).all() == []

    def test_correction_and_deletion_are_refused_under_the_lock(
        self, api, db, referral, monkeypatch, users
    ):
        created = post(api, referral, date="2026-06-10").json()
        real = claimed_periods.lock_for_write
        monkeypatch.setattr(
            claimed_periods,
            "lock_for_write",
            lambda session, table, mentor_id=None: (
                make_claim(db, users["finance"], date(2026, 6, 1), date(2026, 6, 30)),
                real(session, table, mentor_id),
            ),
        )
        url = f"/api/v1/time-entries/{created['id']}"
        assert api("mentor").patch(url, json={"minutes": 10}).status_code == 409
        assert api("mentor").delete(url).status_code == 409
        assert db.get(TimeEntry, created["id"]).minutes == 90

    def test_training_expense_is_refused_under_the_lock(self, api, mentor, claim_at_lock):
        response = api("coordinator").post(
            "/api/v1/training-expenses",
            json={"mentor_id": mentor.id, "date": "2026-06-02", "description": "K", "amount": "1"},
        )
        assert response.status_code == 409, response.text
