"""The logbook API of the contract: append-only entries, amendments, history, 405s, audit."""

from __future__ import annotations

from sqlmodel import select

from logbook.models import LogbookShown
from service.audit.models import AuditEvent
from service.corps.models import SubGoal
from tests.conftest import make_user
from tests.factories import make_referral


def goals(db, referral):
    return list(db.exec(select(SubGoal.id).where(SubGoal.referral_id == referral.id)))


def body(**overrides):
    return {
        "occurred_on": "2026-06-10",
        "kind": "three_party_meeting",
        "text": "Trepartsmøde med sagsbehandler.",
        "sub_goal_ids": [],
        "observations": ["increased_motivation"],
        "progress": 1,
        "shown_to_citizen": False,
        **overrides,
    }


def post_entry(api, referral, **overrides):
    return api("mentor").post(f"/api/v1/referrals/{referral.id}/logbook", json=body(**overrides))


class TestCreate:
    def test_assigned_mentor_writes_version_1(self, api, db, users, referral):
        goal_ids = goals(db, referral)
        response = post_entry(api, referral, sub_goal_ids=goal_ids[:1])
        assert response.status_code == 201, response.text
        entry = response.json()
        assert entry["version"] == 1
        assert entry["author_id"] == users["mentor"].id
        assert entry["created_at"].endswith("+00:00") or entry["created_at"].endswith("Z")
        assert entry["sub_goal_ids"] == goal_ids[:1]
        assert entry["kind"] == "three_party_meeting"
        assert entry["progress"] == 1
        assert entry["shown_to_citizen"] is False
        assert entry["history"] == []

    def test_shown_to_citizen_inserts_a_shown_row(self, api, db, referral):
        entry = post_entry(api, referral, shown_to_citizen=True).json()
        assert entry["shown_to_citizen"] is True
        assert db.exec(select(LogbookShown).where(LogbookShown.entry_id == entry["id"])).one()

    def test_creation_is_audited_as_casework(self, api, db, referral):
        entry = post_entry(api, referral).json()
        row = db.exec(
            select(AuditEvent).where(
                AuditEvent.entity == "logbook_entry", AuditEvent.entity_id == entry["id"]
            )
        ).one()
        assert (row.action, row.purpose, row.citizen_id) == (
            "create",
            "casework",
            referral.citizen_id,
        )

    def test_sub_goal_of_another_referral_is_422_naming_the_field(
        self, api, db, users, referral, other_referral
    ):
        foreign = goals(db, other_referral)
        response = post_entry(api, referral, sub_goal_ids=foreign)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][-1] == "sub_goal_ids"

    def test_unknown_kind_observation_and_progress_are_422(self, api, referral):
        for field, value in (("kind", "chat"), ("observations", ["sad"]), ("progress", 2)):
            response = post_entry(api, referral, **{field: value})
            assert response.status_code == 422, field
            assert field in response.json()["detail"][0]["loc"], response.json()

    def test_empty_text_and_future_date_are_422(self, api, referral):
        response = post_entry(api, referral, text="   ")
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][-1] == "text"
        response = post_entry(api, referral, occurred_on="2026-06-16")
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][-1] == "occurred_on"

    def test_another_mentors_citizen_is_404(self, api, other_referral):
        assert post_entry(api, other_referral).status_code == 404

    def test_unknown_referral_is_404(self, api, mentor):
        response = api("mentor").post("/api/v1/referrals/999999/logbook", json=body())
        assert response.status_code == 404

    def test_only_mentors_write(self, api, referral):
        for role in ("coordinator", "caseworker", "admin", "finance"):
            response = api(role).post(f"/api/v1/referrals/{referral.id}/logbook", json=body())
            assert response.status_code == 403, role

    def test_closed_referral_is_409(self, api, db, users, mentor):
        closed = make_referral(db, users["caseworker"], mentor=mentor, status="closed")
        assert post_entry(api, closed).status_code == 409


class TestRead:
    def test_list_is_newest_first_with_current_text_and_version(self, api, referral):
        old = post_entry(api, referral, occurred_on="2026-06-01", text="Første").json()
        new = post_entry(api, referral, occurred_on="2026-06-12", text="Anden").json()
        api("mentor").post(
            f"/api/v1/logbook/{old['id']}/amendments", json={"text": "Rettet", "reason": "Fejl"}
        )
        listed = api("mentor").get(f"/api/v1/referrals/{referral.id}/logbook").json()
        assert [e["id"] for e in listed] == [new["id"], old["id"]]
        assert [(e["text"], e["version"]) for e in listed] == [("Anden", 1), ("Rettet", 2)]
        assert all("shown_to_citizen" in e for e in listed)

    def test_coordinator_admin_and_the_caseworker_read(self, api, referral):
        post_entry(api, referral)
        for role in ("coordinator", "admin", "caseworker"):
            response = api(role).get(f"/api/v1/referrals/{referral.id}/logbook")
            assert response.status_code == 200, role
            assert len(response.json()) == 1

    def test_another_caseworker_and_another_mentor_get_404(self, api, db, referral):
        entry = post_entry(api, referral).json()
        for role in ("caseworker", "mentor"):
            stranger = make_user(db, role)
            assert api(stranger).get(f"/api/v1/referrals/{referral.id}/logbook").status_code == 404
            assert api(stranger).get(f"/api/v1/logbook/{entry['id']}").status_code == 404

    def test_finance_never_sees_logbook_text(self, api, referral):
        entry = post_entry(api, referral).json()
        assert api("finance").get(f"/api/v1/referrals/{referral.id}/logbook").status_code == 403
        assert api("finance").get(f"/api/v1/logbook/{entry['id']}").status_code == 403

    def test_reads_are_audited(self, api, db, users, referral):
        entry = post_entry(api, referral).json()
        api("caseworker").get(f"/api/v1/referrals/{referral.id}/logbook")
        api("coordinator").get(f"/api/v1/logbook/{entry['id']}")
        reads = db.exec(select(AuditEvent).where(AuditEvent.action == "read")).all()
        assert {(r.user_id, r.entity, r.purpose, r.citizen_id) for r in reads} == {
            (users["caseworker"].id, "logbook", "casework", referral.citizen_id),
            (users["coordinator"].id, "logbook_entry", "casework", referral.citizen_id),
        }

    def test_unknown_entry_is_404(self, api, mentor):
        assert api("coordinator").get("/api/v1/logbook/999999").status_code == 404


class TestAppendOnly:
    def test_put_patch_delete_are_405(self, api, referral):
        entry = post_entry(api, referral).json()
        client = api("mentor")
        for method in ("PUT", "PATCH", "DELETE"):
            response = client.request(method, f"/api/v1/logbook/{entry['id']}", json={"text": "x"})
            assert response.status_code == 405, method
            assert "detail" in response.json()
        assert client.get(f"/api/v1/logbook/{entry['id']}").json()["text"] == body()["text"]

    def test_amendment_raises_the_version_and_keeps_history(self, api, users, referral):
        entry = post_entry(api, referral, text="Original").json()
        response = api("mentor").post(
            f"/api/v1/logbook/{entry['id']}/amendments",
            json={"text": "Rettet", "reason": "Forkert dato i teksten"},
        )
        assert response.status_code == 201, response.text
        assert response.json()["version"] == 2
        response = api("coordinator").post(
            f"/api/v1/logbook/{entry['id']}/amendments",
            json={"text": "Rettet igen", "reason": "Præcisering"},
        )
        assert response.json()["version"] == 3
        detail = api("caseworker").get(f"/api/v1/logbook/{entry['id']}").json()
        assert detail["version"] == 3 and detail["text"] == "Rettet igen"
        assert detail["updated_by"] == users["coordinator"].id
        history = detail["history"]
        assert [(h["version"], h["text"]) for h in history] == [(1, "Original"), (2, "Rettet")]
        assert [h["author_id"] for h in history] == [users["mentor"].id, users["mentor"].id]
        assert history[1]["reason"] == "Forkert dato i teksten"
        assert all(h["created_at"] for h in history)

    def test_amendment_needs_a_reason(self, api, referral):
        entry = post_entry(api, referral).json()
        for payload in ({"text": "Rettet"}, {"text": "Rettet", "reason": ""}):
            response = api("mentor").post(f"/api/v1/logbook/{entry['id']}/amendments", json=payload)
            assert response.status_code == 422
            assert response.json()["detail"][0]["loc"][-1] == "reason"
        response = api("mentor").post(
            f"/api/v1/logbook/{entry['id']}/amendments", json={"text": "Rettet", "reason": "  "}
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][-1] == "reason"

    def test_amendment_by_others_is_refused(self, api, db, referral):
        entry = post_entry(api, referral).json()
        payload = {"text": "x", "reason": "y"}
        url = f"/api/v1/logbook/{entry['id']}/amendments"
        assert api(make_user(db, "mentor")).post(url, json=payload).status_code == 404
        for role in ("caseworker", "admin", "finance"):
            assert api(role).post(url, json=payload).status_code == 403, role

    def test_amendment_is_audited_with_reason(self, api, db, referral):
        entry = post_entry(api, referral).json()
        api("mentor").post(
            f"/api/v1/logbook/{entry['id']}/amendments", json={"text": "Ny", "reason": "Stavefejl"}
        )
        row = db.exec(
            select(AuditEvent).where(
                AuditEvent.action == "update", AuditEvent.entity_id == entry["id"]
            )
        ).one()
        assert row.detail["reason"] == "Stavefejl" and row.detail["version"] == 2

    def test_mark_shown_once(self, api, db, referral):
        entry = post_entry(api, referral).json()
        first = api("mentor").post(f"/api/v1/logbook/{entry['id']}/shown")
        assert first.status_code == 200 and first.json()["shown_to_citizen"] is True
        again = api("coordinator").post(f"/api/v1/logbook/{entry['id']}/shown")
        assert again.status_code == 200 and again.json()["shown_at"] == first.json()["shown_at"]
        rows = db.exec(select(LogbookShown).where(LogbookShown.entry_id == entry["id"])).all()
        assert len(rows) == 1

    def test_flagged_observations_are_marked(self, api, referral):
        entry = post_entry(api, referral, observations=["health_relapse"]).json()
        assert entry["needs_caseworker"] is True
        plain = post_entry(api, referral, observations=["health_progress"]).json()
        assert plain["needs_caseworker"] is False
