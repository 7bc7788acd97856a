"""Contract tests: /api/v1/mentors, absences and rates."""

from __future__ import annotations

from tests.conftest import make_user
from tests.factories import make_mentor

PROFILE = {
    "gender": "female",
    "birth_year": 1975,
    "languages": ["da", "en"],
    "background_areas": ["social_psychiatry", "substance_abuse"],
    "target_groups": ["adhd", "substance_abuse"],
    "roles": ["personal_support", "motivation", "system_guide", "induction_guide"],
    "district": "Aarhus C",
    "weekly_hours": "25.00",
    "max_caseload": 12,
    "employment": "full_time",
    "active": True,
}


def field_names(response) -> set[str]:
    return {str(e["loc"][-1]) for e in response.json()["detail"]}


class TestCreate:
    def test_201_with_stored_profile(self, api, db):
        user = make_user(db, "mentor")
        response = api("coordinator").post("/api/v1/mentors", json={"user_id": user.id, **PROFILE})
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["id"] and body["user_id"] == user.id
        assert body["weekly_hours"] == "25.00"
        assert {k: body[k] for k in PROFILE} == PROFILE

    def test_admin_may_create(self, api, db):
        user = make_user(db, "mentor")
        response = api("admin").post("/api/v1/mentors", json={"user_id": user.id, **PROFILE})
        assert response.status_code == 201

    def test_second_profile_for_user_is_409(self, api, db):
        mentor = make_mentor(db)
        response = api("coordinator").post(
            "/api/v1/mentors", json={"user_id": mentor.user_id, **PROFILE}
        )
        assert response.status_code == 409

    def test_user_not_mentor_is_422(self, api, users):
        response = api("coordinator").post(
            "/api/v1/mentors", json={"user_id": users["caseworker"].id, **PROFILE}
        )
        assert response.status_code == 422 and field_names(response) == {"user_id"}

    def test_unknown_user_is_422(self, api, users):
        response = api("coordinator").post("/api/v1/mentors", json={"user_id": 987654, **PROFILE})
        assert response.status_code == 422 and "user_id" in field_names(response)

    def test_unknown_vocabulary_values_are_422_naming_the_field(self, api, db):
        user = make_user(db, "mentor")
        for name, value in [
            ("target_groups", ["dragons"]),
            ("roles", ["boss"]),
            ("background_areas", ["astrology"]),
            ("languages", ["xx"]),
            ("gender", "robot"),
            ("employment", "sometimes"),
            ("weekly_hours", "2.555"),
        ]:
            body = {"user_id": user.id, **PROFILE, name: value}
            response = api("coordinator").post("/api/v1/mentors", json=body)
            assert response.status_code == 422, name
            assert name in {str(x) for e in response.json()["detail"] for x in e["loc"]}, name

    def test_mentor_and_caseworker_may_not_create(self, api, db):
        user = make_user(db, "mentor")
        body = {"user_id": user.id, **PROFILE}
        assert api("mentor").post("/api/v1/mentors", json=body).status_code == 403
        assert api("caseworker").post("/api/v1/mentors", json=body).status_code == 403


class TestRead:
    def test_coordinator_lists_and_reads(self, api, db):
        mentor = make_mentor(db)
        listed = api("coordinator").get("/api/v1/mentors").json()
        assert mentor.id in {m["id"] for m in listed}
        one = api("coordinator").get(f"/api/v1/mentors/{mentor.id}")
        assert one.status_code == 200 and one.json()["weekly_hours"] == "25.00"

    def test_mentor_reads_only_own_profile(self, api, users, db):
        own = make_mentor(db, users["mentor"])
        other = make_mentor(db)
        client = api("mentor")
        assert client.get(f"/api/v1/mentors/{own.id}").status_code == 200
        assert client.get(f"/api/v1/mentors/{other.id}").status_code == 404
        assert [m["id"] for m in client.get("/api/v1/mentors").json()] == [own.id]

    def test_unknown_is_404_and_finance_is_403(self, api):
        assert api("coordinator").get("/api/v1/mentors/987654").status_code == 404
        assert api("finance").get("/api/v1/mentors").status_code == 403


class TestPatch:
    def test_patch_changes_given_fields(self, api, db):
        mentor = make_mentor(db)
        response = api("coordinator").patch(
            f"/api/v1/mentors/{mentor.id}", json={"weekly_hours": "30.5", "district": "Viby J"}
        )
        assert response.status_code == 200
        assert response.json()["weekly_hours"] == "30.50"
        assert response.json()["district"] == "Viby J"
        assert response.json()["languages"] == ["da"]

    def test_patch_invalid_is_422_and_unknown_404(self, api, db):
        mentor = make_mentor(db)
        client = api("coordinator")
        bad = client.patch(f"/api/v1/mentors/{mentor.id}", json={"target_groups": ["x"]})
        assert bad.status_code == 422
        null = client.patch(f"/api/v1/mentors/{mentor.id}", json={"weekly_hours": None})
        assert null.status_code == 422 and field_names(null) == {"weekly_hours"}
        assert client.patch("/api/v1/mentors/987654", json={}).status_code == 404

    def test_mentor_may_not_patch(self, api, users, db):
        own = make_mentor(db, users["mentor"])
        assert api("mentor").patch(f"/api/v1/mentors/{own.id}", json={}).status_code == 403


class TestAbsencesAndRates:
    def test_absence_201_and_end_before_start_422(self, api, db):
        mentor = make_mentor(db)
        client = api("coordinator")
        ok = client.post(
            f"/api/v1/mentors/{mentor.id}/absences",
            json={"start": "2026-07-06", "end": "2026-07-24", "kind": "holiday"},
        )
        assert ok.status_code == 201 and ok.json()["kind"] == "holiday"
        bad = client.post(
            f"/api/v1/mentors/{mentor.id}/absences",
            json={"start": "2026-07-24", "end": "2026-07-06", "kind": "holiday"},
        )
        assert bad.status_code == 422
        kind = client.post(
            f"/api/v1/mentors/{mentor.id}/absences",
            json={"start": "2026-07-06", "end": "2026-07-06", "kind": "party"},
        )
        assert kind.status_code == 422 and "kind" in field_names(kind)
        missing = client.post(
            "/api/v1/mentors/987654/absences",
            json={"start": "2026-07-06", "end": "2026-07-06", "kind": "sick"},
        )
        assert missing.status_code == 404

    def test_rates_by_finance_and_coordinator(self, api, db):
        from reports.rates import rate_in_force

        mentor = make_mentor(db)
        first = api("finance").post(
            f"/api/v1/mentors/{mentor.id}/rates",
            json={"valid_from": "2026-01-01", "hourly_rate": "412.50"},
        )
        assert first.status_code == 201 and first.json()["hourly_rate"] == "412.50"
        api("coordinator").post(
            f"/api/v1/mentors/{mentor.id}/rates",
            json={"valid_from": "2026-07-01", "hourly_rate": "430.00"},
        )
        duplicate = api("finance").post(
            f"/api/v1/mentors/{mentor.id}/rates",
            json={"valid_from": "2026-01-01", "hourly_rate": "1.00"},
        )
        assert duplicate.status_code == 409
        bad = api("finance").post(
            f"/api/v1/mentors/{mentor.id}/rates",
            json={"valid_from": "2026-01-01", "hourly_rate": "1.005"},
        )
        assert bad.status_code == 422 and field_names(bad) == {"hourly_rate"}
        from datetime import date

        assert str(rate_in_force(db, mentor.id, date(2026, 6, 30))) == "412.50"
        assert str(rate_in_force(db, mentor.id, date(2026, 7, 1))) == "430.00"
        assert rate_in_force(db, mentor.id, date(2025, 12, 31)) is None
        listed = api("finance").get(f"/api/v1/mentors/{mentor.id}/rates").json()
        assert [r["valid_from"] for r in listed] == ["2026-07-01", "2026-01-01"]

    def test_rate_that_would_reprice_a_claimed_entry_is_422(self, api, db, users):
        from datetime import date
        from decimal import Decimal

        from reports.rates import rate_in_force
        from service.corps.models import MentorRate
        from tests.factories import make_claim, make_referral, make_time_entry

        mentor, newcomer = make_mentor(db), make_mentor(db)
        referral = make_referral(db, users["caseworker"], mentor=mentor)
        claim = make_claim(db, users["finance"], date(2026, 1, 1), date(2026, 3, 31))
        # Claimed, priced by whatever rate is in force on its day.
        make_time_entry(db, referral, date(2026, 2, 10))
        client = api("finance")
        for day in ("2025-12-01", "2026-02-01", "2026-02-10"):
            refused = client.post(
                f"/api/v1/mentors/{mentor.id}/rates",
                json={"valid_from": day, "hourly_rate": "450.00"},
            )
            assert refused.status_code == 422, day
            assert field_names(refused) == {"valid_from"}
            message = refused.json()["detail"][0]["msg"]
            assert f"refusionskrav nr. {claim.id}" in message
            assert "31. marts 2026" in message
        assert rate_in_force(db, mentor.id, date(2026, 3, 31)) is None
        # From the day after the entry no claimed entry changes price.
        after = client.post(
            f"/api/v1/mentors/{mentor.id}/rates",
            json={"valid_from": "2026-02-11", "hourly_rate": "450.00"},
        )
        assert after.status_code == 201
        # A mentor with no time in the claimed period may be priced from any day.
        fresh = client.post(
            f"/api/v1/mentors/{newcomer.id}/rates",
            json={"valid_from": "2026-01-01", "hourly_rate": "410.00"},
        )
        assert fresh.status_code == 201
        twice = client.post(
            f"/api/v1/mentors/{mentor.id}/rates",
            json={"valid_from": "2026-02-11", "hourly_rate": "460.00"},
        )
        assert twice.status_code == 409  # one rate a day, as before
        # A rate that ends (at the next rate) before the claimed entry changes nothing claimed.
        db.add(MentorRate(mentor_id=newcomer.id, valid_from=date(2026, 2, 5), hourly_rate=420))
        make_time_entry(
            db, make_referral(db, users["caseworker"], mentor=newcomer), date(2026, 2, 10)
        )
        between = client.post(
            f"/api/v1/mentors/{newcomer.id}/rates",
            json={"valid_from": "2026-02-01", "hourly_rate": "415.00"},
        )
        assert between.status_code == 201  # in force 1-4 February: no entry of theirs
        inside = client.post(
            f"/api/v1/mentors/{newcomer.id}/rates",
            json={"valid_from": "2026-02-08", "hourly_rate": "415.00"},
        )
        assert inside.status_code == 422
        assert rate_in_force(db, mentor.id, date(2026, 2, 11)) == Decimal("450.00")
