"""Corps pages: the referral form, lists, the inbox, the referral page and shared tools."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup
from sqlmodel import select

from service.audit.models import AuditEvent
from service.core.clock import utcnow
from service.corps.models import Referral
from tests.conftest import make_user
from tests.factories import make_citizen, make_mentor, make_referral


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


FORM = {
    "cpr": "310290-1234",  # 31 February: invalid
    "name": "Per Hansen",
    "phone": "22334455",
    "district": "Viby J",
    "job_goal": "Uddannelse som tømrer",
    "sub_goals": ["Stå op kl. 7 hver dag", "Besøge erhvervsskolen"],
    "focus_roles": ["personal_support", "induction_guide"],
    "focus_areas": ["waking_up"],
    "target_groups": ["youth_without_education"],
    "required_languages": ["da"],
    "granted_hours_per_week": "2,5",
    "start_date": "2026-02-02",
    "end_date": "2026-01-01",  # before start
    "legal_basis": "lab",
    "tasks_can": ["waking_scheduling"],
    "considerations": "Ringer ikke tilbage",
    "consent": "1",
    "health_information": "ADHD",
}


class TestReferralForm:
    def test_errors_in_danish_next_to_fields_and_nothing_lost(self, pages, db):
        client = pages("caseworker")
        assert client.get("/henvisninger/ny").status_code == 200
        response = client.post(
            "/henvisninger/ny", data={**FORM, "csrf_token": client.cookies["mk_csrf"]}
        )
        assert response.status_code == 422
        page = soup(response)
        assert "gyldig dato" in page.select_one("#error-cpr").text
        assert "før startdatoen" in page.select_one("#error-end_date").text
        assert page.select_one("#field-cpr")["value"] == "310290-1234"
        assert page.select_one("#field-name")["value"] == "Per Hansen"
        assert page.select_one("#field-granted_hours_per_week")["value"] == "2,5"
        goals = [i["value"] for i in page.select("input[name=sub_goals]") if i["value"]]
        assert goals == FORM["sub_goals"]
        assert page.select_one("#field-focus_roles-induction_guide").has_attr("checked")
        assert page.select_one("#field-focus_areas-waking_up").has_attr("checked")
        assert page.select_one("#field-consent").has_attr("checked")
        assert page.select_one("#field-health_information").text == "ADHD"
        assert not page.select_one("#field-health_information").has_attr("disabled")
        assert page.select_one("#field-job_goal").text == "Uddannelse som tømrer"
        assert db.exec(select(Referral)).all() == []

    def test_empty_form_requires_fields_and_disables_health_without_consent(self, pages):
        client = pages("caseworker")
        response = client.post("/henvisninger/ny", data={"csrf_token": client.cookies["mk_csrf"]})
        page = soup(response)
        for field in ("cpr", "name", "job_goal", "sub_goals", "focus_roles", "start_date"):
            assert page.select_one(f"#error-{field}"), field
        assert page.select_one("#field-health_information").has_attr("disabled")
        assert len(page.select("input[name=sub_goals]")) == 5  # the no-JS rows

    def test_corrected_form_creates_and_shows_full_cpr_to_the_caseworker(self, pages, db, users):
        client = pages("caseworker")
        data = {**FORM, "cpr": "010190-1234", "end_date": "2026-12-31"}
        response = client.post(
            "/henvisninger/ny", data={**data, "csrf_token": client.cookies["mk_csrf"]}
        )
        assert response.status_code == 303, response.text
        referral = db.exec(select(Referral)).one()
        assert str(referral.granted_hours_per_week) == "2.50"
        page = soup(client.get(response.headers["location"]))
        assert page.select_one("#cpr").text.strip() == "010190-1234"
        assert [li.text for li in page.select("#sub-goals li")] == FORM["sub_goals"]
        full = db.exec(
            select(AuditEvent).where(
                AuditEvent.citizen_id == referral.citizen_id, AuditEvent.action == "read"
            )
        ).all()
        assert any(r.detail.get("display") == "full" for r in full)


class TestReferralPage:
    def test_coordinator_sees_masked_cpr_and_returns_with_reason(self, pages, db, users):
        citizen = make_citizen(db, cpr="0703741234")
        referral = make_referral(db, users["caseworker"], citizen=citizen)
        coordinator = pages("coordinator")
        page = soup(coordinator.get(f"/henvisninger/{referral.id}"))
        assert page.select_one("#cpr").text.strip() == "070374-xxxx"
        token = coordinator.cookies["mk_csrf"]
        missing = coordinator.post(
            f"/henvisninger/{referral.id}/send-retur", data={"csrf_token": token}
        )
        assert missing.status_code == 422
        assert "begrundelse" in soup(missing).select_one("#action-return #error-reason").text
        done = coordinator.post(
            f"/henvisninger/{referral.id}/send-retur",
            data={"csrf_token": token, "reason": "Delmålene mangler"},
        )
        assert done.status_code == 303
        mine = soup(pages("caseworker").get("/henvisninger"))
        row = mine.select_one(f"tr[data-referral='{referral.id}']")
        assert row.select_one(".status").text == "Sendt retur"
        assert row.select_one(".reason").text == "Delmålene mangler"

    def test_illegal_action_is_409_page(self, pages, db, users):
        referral = make_referral(db, users["caseworker"], status="closed")
        client = pages("coordinator")
        response = client.post(
            f"/henvisninger/{referral.id}/godkend", data={"csrf_token": client.cookies["mk_csrf"]}
        )
        assert response.status_code == 409

    def test_mentor_sees_missing_consent_and_not_others(self, pages, db, users):
        me = make_mentor(db, users["mentor"])
        mine = make_referral(db, users["caseworker"], mentor=me, consent_information_exchange=False)
        other = make_referral(db, users["caseworker"], mentor=make_mentor(db))
        client = pages("mentor")
        page = soup(client.get(f"/henvisninger/{mine.id}"))
        assert "Samtykke mangler" in page.select_one("#consent").text
        assert page.select_one("#cpr").text.strip().endswith("-xxxx")
        assert client.get(f"/henvisninger/{other.id}").status_code == 404

    def test_other_caseworker_gets_404(self, pages, db):
        referral = make_referral(db, make_user(db, "caseworker"))
        assert pages("caseworker").get(f"/henvisninger/{referral.id}").status_code == 404


class TestInbox:
    def test_waiting_referrals_oldest_first_without_mentor(self, pages, db, users):
        now = utcnow()
        newer = make_referral(db, users["caseworker"], submitted_at=now - timedelta(days=2))
        older = make_referral(
            db, users["caseworker"], status="accepted", submitted_at=now - timedelta(days=20)
        )
        make_referral(db, users["caseworker"], mentor=make_mentor(db))  # active: not waiting
        make_referral(db, users["caseworker"], status="returned")
        page = soup(pages("coordinator").get("/henvisninger/indbakke"))
        ids = [int(tr["data-referral"]) for tr in page.select("#inbox tbody tr")]
        assert ids == [older.id, newer.id]
        assert "arbejdsdag" in page.select_one("#inbox tbody tr .age").text


class TestMentorPages:
    def test_filter_by_target_group_and_language(self, pages, db):
        a = make_mentor(db, target_groups=["adhd"], languages=["da", "ar"])
        b = make_mentor(db, target_groups=["adhd"], languages=["da"])
        c = make_mentor(db, target_groups=["pain"], languages=["ar"])
        client = pages("coordinator")
        page = soup(client.get("/mentorer", params={"target_group": "adhd", "language": "ar"}))
        ids = {int(tr["data-mentor"]) for tr in page.select("#mentors tbody tr")}
        assert ids == {a.id}
        everyone = soup(client.get("/mentorer"))
        ids = {int(tr["data-mentor"]) for tr in everyone.select("#mentors tbody tr")}
        assert {a.id, b.id, c.id} <= ids

    def test_capacity_and_free_capacity_filter(self, pages, db, users):
        full = make_mentor(db, max_caseload=1)
        make_referral(db, users["caseworker"], mentor=full)
        free = make_mentor(db)
        client = pages("coordinator")
        page = soup(client.get("/mentorer", params={"free_capacity": "1"}))
        ids = {int(tr["data-mentor"]) for tr in page.select("#mentors tbody tr")}
        assert free.id in ids and full.id not in ids
        profile = soup(client.get(f"/mentorer/{full.id}"))
        assert "1 af 1 borgere" in profile.select_one("#capacity").text

    def test_absence_form_keeps_values_on_error_and_calendar_shows_it(self, pages, db):
        mentor = make_mentor(db)
        client = pages("coordinator")
        token = client.cookies["mk_csrf"]
        bad = client.post(
            f"/mentorer/{mentor.id}/fravaer",
            data={
                "csrf_token": token,
                "kind": "holiday",
                "start": "2026-07-10",
                "end": "2026-07-01",
            },
        )
        assert bad.status_code == 422
        page = soup(bad)
        assert "før startdatoen" in page.select_one("#error-end").text
        assert page.select_one("#field-start")["value"] == "2026-07-10"
        today = utcnow().date()
        ok = client.post(
            f"/mentorer/{mentor.id}/fravaer",
            data={
                "csrf_token": token,
                "kind": "sick",
                "start": today.isoformat(),
                "end": (today + timedelta(days=2)).isoformat(),
            },
        )
        assert ok.status_code == 303
        calendar = soup(client.get("/fravaer"))
        assert "Sygdom" in calendar.select_one("#calendar").text

    def test_mentor_edits_own_presentation_and_languages(self, pages, db, users):
        mentor = make_mentor(db, users["mentor"])
        client = pages("mentor")
        assert client.get("/min-profil").status_code == 200
        response = client.post(
            "/min-profil",
            data={
                "csrf_token": client.cookies["mk_csrf"],
                "presentation": "Jeg har arbejdet i socialpsykiatrien.",
                "languages": ["da", "en"],
            },
        )
        assert response.status_code == 303
        db.refresh(mentor)
        assert mentor.languages == ["da", "en"]
        assert mentor.presentation.startswith("Jeg har")
        assert client.get(f"/mentorer/{make_mentor(db).id}").status_code == 404


class TestSharedTools:
    def test_contacts_crud_and_mentor_reads(self, pages, db):
        client = pages("coordinator")
        token = client.cookies["mk_csrf"]
        bad = client.post("/kontakter", data={"csrf_token": token, "name": "Psykiatrisk akut"})
        assert bad.status_code == 422
        assert soup(bad).select_one("#field-name")["value"] == "Psykiatrisk akut"
        ok = client.post(
            "/kontakter",
            data={
                "csrf_token": token,
                "name": "Psykiatrisk akutmodtagelse",
                "category": "psychiatric_emergency",
                "phone": "78 47 00 00",
            },
        )
        assert ok.status_code == 303
        page = soup(pages("mentor").get("/kontakter"))
        assert "Psykiatrisk akutmodtagelse" in page.select_one("#contacts").text
        assert page.select_one("#contact-form") is None

    def test_crisis_plan_versions(self, pages):
        client = pages("coordinator")
        token = client.cookies["mk_csrf"]
        assert client.post("/kriseplan", data={"csrf_token": token, "body": " "}).status_code == 422
        client.post("/kriseplan", data={"csrf_token": token, "body": "Ring 112 ved fare."})
        client.post(
            "/kriseplan", data={"csrf_token": token, "body": "Ring 112. Kontakt koordinator."}
        )
        page = soup(pages("mentor").get("/kriseplan"))
        assert page.select_one("#crisis-plan").text == "Ring 112. Kontakt koordinator."
