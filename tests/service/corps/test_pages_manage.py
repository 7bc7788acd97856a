"""Coordinator pages for mentor profiles and rates; editing a returned referral."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bs4 import BeautifulSoup
from sqlmodel import select

from service.audit.models import AuditEvent
from service.auth.models import User
from service.corps.models import Mentor, MentorRate, Referral, ReferralEvent, SubGoal
from tests.conftest import make_user
from tests.factories import make_citizen, make_mentor, make_referral


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


PROFILE = {
    "gender": "male",
    "birth_year": "1981",
    "languages": ["da", "ku", "ar"],
    "background_areas": ["social"],
    "target_groups": ["trauma", "language_barriers"],
    "roles": ["system_guide"],
    "district": "Brabrand",
    "weekly_hours": "22,5",
    "max_caseload": "9",
    "employment": "part_time",
    "active": "1",
}


class TestMentorProfilePages:
    def test_profile_for_an_existing_mentor_user(self, pages, db):
        user = make_user(db, "mentor", name="Dilan Aziz")
        client = pages("coordinator")
        page = soup(client.get("/mentorer/ny"))
        assert str(user.id) in [o["value"] for o in page.select("#field-user_id option")]
        response = client.post(
            "/mentorer/ny",
            data={**PROFILE, "user_id": str(user.id), "csrf_token": client.cookies["mk_csrf"]},
        )
        assert response.status_code == 303, response.text
        mentor = db.exec(select(Mentor).where(Mentor.user_id == user.id)).one()
        assert mentor.languages == ["da", "ku", "ar"]
        assert mentor.weekly_hours == Decimal("22.50")
        assert mentor.employment == "part_time" and mentor.active
        again = soup(client.get("/mentorer/ny"))
        assert str(user.id) not in [o["value"] for o in again.select("#field-user_id option")]

    def test_new_user_and_profile_with_errors_kept_then_created(self, pages, db):
        client = pages("admin")
        token = client.cookies["mk_csrf"]
        bad = {
            **PROFILE,
            "name": "Leyla Hassan",
            "email": "leyla@demo.dk",
            "password": "kort",
            "weekly_hours": "mange",
            "max_caseload": "",
        }
        response = client.post("/mentorer/ny", data={**bad, "csrf_token": token})
        assert response.status_code == 422
        page = soup(response)
        assert "mindst 12 tegn" in page.select_one("#error-password").text
        assert "skal være et tal" in page.select_one("#error-weekly_hours").text
        assert page.select_one("#error-max_caseload")
        assert page.select_one("#field-name")["value"] == "Leyla Hassan"
        assert page.select_one("#field-weekly_hours")["value"] == "mange"
        assert page.select_one("#field-district")["value"] == "Brabrand"
        assert page.select_one("#field-languages-ku").has_attr("checked")
        assert page.select_one("#field-gender option[selected]")["value"] == "male"
        assert db.exec(select(User).where(User.email == "leyla@demo.dk")).first() is None
        good = {**bad, "password": "en-lang-adgangskode", "weekly_hours": "20"}
        good["max_caseload"] = "8"
        response = client.post("/mentorer/ny", data={**good, "csrf_token": token})
        assert response.status_code == 303, response.text
        user = db.exec(select(User).where(User.email == "leyla@demo.dk")).one()
        assert user.role == "mentor"
        mentor = db.exec(select(Mentor).where(Mentor.user_id == user.id)).one()
        assert response.headers["location"] == f"/mentorer/{mentor.id}"

    def test_duplicate_email_is_a_field_error(self, pages, db, users):
        client = pages("coordinator")
        data = {
            **PROFILE,
            "name": "X",
            "email": "mentor@test.dk",
            "password": "en-lang-adgangskode",
        }
        response = client.post(
            "/mentorer/ny", data={**data, "csrf_token": client.cookies["mk_csrf"]}
        )
        assert response.status_code == 422
        assert "findes allerede" in soup(response).select_one("#error-email").text

    def test_edit_every_field_and_deactivate(self, pages, db):
        mentor = make_mentor(db)
        client = pages("coordinator")
        page = soup(client.get(f"/mentorer/{mentor.id}/ret"))
        assert page.select_one("#field-weekly_hours")["value"] == "25,00"
        assert page.select_one("#field-active").has_attr("checked")
        data = {k: v for k, v in PROFILE.items() if k != "active"}
        token = client.cookies["mk_csrf"]
        bad = client.post(
            f"/mentorer/{mentor.id}/ret",
            data={**data, "birth_year": "1800", "csrf_token": token},
        )
        assert bad.status_code == 422
        assert "Fødselsåret" in soup(bad).select_one("#error-birth_year").text
        assert soup(bad).select_one("#field-birth_year")["value"] == "1800"
        ok = client.post(f"/mentorer/{mentor.id}/ret", data={**data, "csrf_token": token})
        assert ok.status_code == 303
        db.refresh(mentor)
        assert (mentor.gender, mentor.birth_year, mentor.district) == ("male", 1981, "Brabrand")
        assert mentor.target_groups == ["trauma", "language_barriers"]
        assert mentor.max_caseload == 9 and mentor.active is False
        audit = db.exec(
            select(AuditEvent).where(AuditEvent.entity == "mentor", AuditEvent.action == "update")
        ).all()
        assert "active" in audit[-1].detail["fields"]

    def test_mentor_and_caseworker_may_not_edit(self, pages, db, users):
        mentor = make_mentor(db, users["mentor"])
        assert pages("mentor").get(f"/mentorer/{mentor.id}/ret").status_code == 403
        assert pages("caseworker").get("/mentorer/ny").status_code == 403


class TestRatesPage:
    def test_finance_adds_rates_and_sees_danish_amounts(self, pages, db):
        mentor = make_mentor(db)
        db.add(
            MentorRate(mentor_id=mentor.id, valid_from=date(2020, 1, 1), hourly_rate=Decimal("385"))
        )
        db.flush()
        client = pages("finance")
        page = soup(client.get("/satser"))
        rows = page.select(f"#rates tr[data-mentor='{mentor.id}']")
        assert "385,00 kr." in rows[0].select_one(".amount").text
        assert "Ja" in rows[0].text
        assert page.select_one("#rates caption")
        token = client.cookies["mk_csrf"]
        bad = client.post(
            "/satser",
            data={
                "csrf_token": token,
                "mentor_id": str(mentor.id),
                "valid_from": "2020-01-01",
                "hourly_rate": "1.234,5",
            },
        )
        assert bad.status_code == 422
        assert "allerede en sats" in soup(bad).select_one("#error-valid_from").text
        assert soup(bad).select_one("#field-hourly_rate")["value"] == "1.234,5"
        ok = client.post(
            "/satser",
            data={
                "csrf_token": token,
                "mentor_id": str(mentor.id),
                "valid_from": "2021-03-01",
                "hourly_rate": "1.234,5",
            },
        )
        assert ok.status_code == 303
        rate = db.exec(select(MentorRate).where(MentorRate.valid_from == date(2021, 3, 1))).one()
        assert rate.hourly_rate == Decimal("1234.50")
        page = soup(client.get("/satser"))
        first = page.select(f"#rates tr[data-mentor='{mentor.id}']")[0]
        assert "1.234,50 kr." in first.select_one(".amount").text
        assert first.select_one(".valid-from").text == "1. marts 2021"

    def test_rate_repricing_a_claimed_entry_is_refused_by_the_field(self, pages, db, users):
        from tests.factories import make_claim, make_referral, make_time_entry

        mentor = make_mentor(db)
        make_time_entry(
            db, make_referral(db, users["caseworker"], mentor=mentor), date(2026, 3, 20)
        )
        claim = make_claim(db, users["finance"], date(2026, 1, 1), date(2026, 3, 31))
        client = pages("finance")
        client.get("/satser")
        form = {
            "csrf_token": client.cookies["mk_csrf"],
            "mentor_id": str(mentor.id),
            "valid_from": "2026-03-01",
            "hourly_rate": "450",
        }
        refused = client.post("/satser", data=form)
        assert refused.status_code == 422
        page = soup(refused)
        error = page.select_one("#error-valid_from").get_text()
        assert f"refusionskrav nr. {claim.id}" in error and "31. marts 2026" in error
        assert page.select_one("#field-valid_from")["value"] == "2026-03-01"
        assert not db.exec(select(MentorRate).where(MentorRate.mentor_id == mentor.id)).all()
        ok = client.post("/satser", data={**form, "valid_from": "2026-03-21"})
        assert ok.status_code == 303

    def test_empty_rate_form_errors(self, pages):
        client = pages("coordinator")
        response = client.post("/satser", data={"csrf_token": client.cookies["mk_csrf"]})
        assert response.status_code == 422
        page = soup(response)
        for field in ("mentor_id", "valid_from", "hourly_rate"):
            assert page.select_one(f"#error-{field}"), field

    def test_mentor_has_no_rates_page(self, pages):
        assert pages("mentor").get("/satser").status_code == 403


EDIT = {
    "cpr": "0703741234",
    "name": "Esben Lund",
    "district": "Aarhus V",
    "job_goal": "Praktik på et værksted",
    "sub_goals": ["Møde stabilt", "Nyt delmål", ""],
    "focus_roles": ["induction_guide"],
    "target_groups": ["personality_disorder"],
    "granted_hours_per_week": "4",
    "start_date": "2026-01-05",
    "end_date": "2026-12-31",
    "legal_basis": "lab",
    "considerations": "Ingen støj",
}


class TestReviseReturnedReferral:
    def _returned(self, db, users):
        citizen = make_citizen(db, cpr="0703741234", name="Esben Lund")
        referral = make_referral(
            db,
            users["caseworker"],
            citizen=citizen,
            status="returned",
            sub_goals=("Møde stabilt", "Gammelt delmål"),
            health_information="Dobbeltsyn",
        )
        return referral

    def test_prefilled_changed_and_resubmitted_with_audit(self, pages, db, users):
        referral = self._returned(db, users)
        kept = db.exec(select(SubGoal).where(SubGoal.title == "Møde stabilt")).one()
        client = pages("caseworker")
        listing = soup(client.get("/henvisninger"))
        assert listing.select_one(f"tr[data-referral='{referral.id}'] a.revise")
        page = soup(client.get(f"/henvisninger/{referral.id}/ret"))
        assert page.select_one("#field-cpr")["value"] == "070374-1234"
        assert page.select_one("#field-job_goal").text == "Fleksjob i detailhandlen"
        goals = [i["value"] for i in page.select("input[name=sub_goals]") if i["value"]]
        assert goals == ["Møde stabilt", "Gammelt delmål"]
        assert page.select_one("#field-granted_hours_per_week")["value"] == "3,00"
        assert page.select_one("#field-consent").has_attr("checked")
        assert page.select_one("#field-health_information").text == "Dobbeltsyn"
        assert page.select_one("#referral-form")["action"] == f"/henvisninger/{referral.id}/ret"
        token = client.cookies["mk_csrf"]
        bad = client.post(
            f"/henvisninger/{referral.id}/ret",
            data={**EDIT, "job_goal": "", "csrf_token": token},
        )
        assert bad.status_code == 422
        assert soup(bad).select_one("#error-job_goal")
        assert soup(bad).select_one("#field-considerations").text == "Ingen støj"
        response = client.post(
            f"/henvisninger/{referral.id}/ret", data={**EDIT, "csrf_token": token}
        )
        assert response.status_code == 303, response.text
        db.refresh(referral)
        assert referral.status == "submitted"
        assert referral.job_goal == "Praktik på et værksted"
        assert referral.health_information == ""  # no consent ticked this time
        goals = db.exec(select(SubGoal).where(SubGoal.referral_id == referral.id)).all()
        assert sorted(g.title for g in goals) == ["Møde stabilt", "Nyt delmål"]
        assert kept.id in {g.id for g in goals}
        audit = db.exec(
            select(AuditEvent).where(
                AuditEvent.entity == "referral",
                AuditEvent.entity_id == referral.id,
                AuditEvent.action == "update",
            )
        ).one()
        changes = audit.detail["changes"]
        assert changes["job_goal"] == {
            "before": "Fleksjob i detailhandlen",
            "after": "Praktik på et værksted",
        }
        assert changes["granted_hours_per_week"] == {"before": "3.00", "after": "4.00"}
        assert "start_date" not in changes  # unchanged values are not listed
        assert changes["health_information"] == {"changed": True}
        assert "name" not in changes and "cpr" not in changes
        event = db.exec(
            select(ReferralEvent).where(
                ReferralEvent.referral_id == referral.id, ReferralEvent.to_status == "submitted"
            )
        ).one()
        assert event.from_status == "returned" and "mål" in event.reason

    def test_only_returned_and_only_own(self, pages, db, users):
        submitted = make_referral(db, users["caseworker"])
        client = pages("caseworker")
        assert client.get(f"/henvisninger/{submitted.id}/ret").status_code == 409
        response = client.post(
            f"/henvisninger/{submitted.id}/ret",
            data={**EDIT, "csrf_token": client.cookies["mk_csrf"]},
        )
        assert response.status_code == 409
        other = make_referral(db, make_user(db, "caseworker"), status="returned")
        assert client.get(f"/henvisninger/{other.id}/ret").status_code == 404
        assert db.get(Referral, submitted.id).status == "submitted"
