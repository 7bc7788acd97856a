"""Issue 11, defect 1: a referral never discloses or overwrites another caseworker's citizen.

What a caseworker submits about the citizen stays with the referral; a known CPR only links
the referral; the citizen record changes only through a coordinator's audited confirmation;
a second open referral for the same citizen is refused with one neutral message.
"""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from service.audit.models import AuditEvent
from service.corps.models import Citizen, Referral
from tests.conftest import make_user
from tests.factories import make_mentor, make_time_entry
from tests.logbook import test_append_only
from tests.service.corps.matching.conftest import mentor
from tests.service.corps.test_api_referrals import BODY, with_citizen

NOT_NOW = "Borgeren kan ikke henvises nu; kontakt mentorkorpsets koordinator"
CLOSE = {"reason": "Forløbet er slut", "outcome": "job"}
A_CONTACT = {"phone": "12345678", "email": "eva@example.dk", "address": "Søndergade 1"}
# Caseworker B's version of the same CPR: another name, another address, no phone or e-mail.
B_CITIZEN = {
    "cpr": "0101901234",
    "name": "Bent Hansen",
    "phone": "",
    "email": "",
    "address": "Andetsteds 2",
    "district": "Viby J",
}
OPEN = ["submitted", "returned", "accepted", "active", "paused"]
scratch_pg = test_append_only.scratch_pg  # a migrated PostgreSQL database for committed work


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


@pytest.fixture
def b(db):
    """A second caseworker."""
    return make_user(db, "caseworker", name="Sagsbehandler B")


def a_refers(api) -> dict:
    """Caseworker A refers Eva Jensen (CPR 0101901234) with phone, e-mail and address."""
    response = api("caseworker").post("/api/v1/referrals", json=BODY)
    assert response.status_code == 201, response.text
    return response.json()


def close(api, referral_id: int) -> None:
    response = api("coordinator").post(f"/api/v1/referrals/{referral_id}/close", json=CLOSE)
    assert response.status_code == 200, response.text


def set_status(db, referral_id: int, status: str) -> None:
    referral = db.get(Referral, referral_id)
    referral.status = status
    if status in ("active", "paused"):
        referral.mentor_id = make_mentor(db).id
    db.add(referral)
    db.flush()


def citizen_row(db, citizen_id: int) -> Citizen:
    db.expire_all()
    return db.get(Citizen, citizen_id)


class TestApiKnownCpr:
    def test_known_cpr_links_the_referral_and_changes_nothing(self, api, db, b):
        first = a_refers(api)
        close(api, first["id"])
        response = api(b).post("/api/v1/referrals", json={**BODY, "citizen": B_CITIZEN})
        assert response.status_code == 201, response.text
        second = response.json()
        assert second["citizen_id"] == first["citizen_id"]  # contract: reuses that citizen
        citizen = citizen_row(db, first["citizen_id"])
        assert citizen.name == "Eva Jensen"
        assert (citizen.phone, citizen.email, citizen.address) == tuple(A_CONTACT.values())
        assert citizen.district == "Aarhus C"
        # B sees what B submitted; A still sees what A submitted.
        assert second["citizen"]["name"] == "Bent Hansen"
        assert second["citizen"]["district"] == "Viby J"
        seen_by_b = api(b).get(f"/api/v1/referrals/{second['id']}").json()
        assert seen_by_b["citizen"]["name"] == "Bent Hansen"
        assert [r["citizen"]["name"] for r in api(b).get("/api/v1/referrals").json()] == [
            "Bent Hansen"
        ]
        seen_by_a = api("caseworker").get(f"/api/v1/referrals/{first['id']}").json()
        assert seen_by_a["citizen"]["name"] == "Eva Jensen"
        for text in (response.text, str(seen_by_b)):
            for value in ("Eva", *A_CONTACT.values()):
                assert value not in text

    def test_coordinator_and_mentor_still_see_the_citizen_record(self, api, db, users, b):
        first = a_refers(api)
        close(api, first["id"])
        second = api(b).post("/api/v1/referrals", json={**BODY, "citizen": B_CITIZEN}).json()
        coordinator = api("coordinator").get(f"/api/v1/referrals/{second['id']}").json()
        assert coordinator["citizen"]["name"] == "Eva Jensen"
        set_status(db, second["id"], "active")
        referral = db.get(Referral, second["id"])
        referral.mentor_id = make_mentor(db, users["mentor"]).id
        db.add(referral)
        db.flush()
        mentor = api("mentor").get(f"/api/v1/referrals/{second['id']}").json()
        assert mentor["citizen"]["name"] == "Eva Jensen"

    def test_answer_for_a_known_cpr_looks_like_one_for_a_new_cpr(self, api, db, b):
        close(api, a_refers(api)["id"])
        known = api(b).post("/api/v1/referrals", json={**BODY, "citizen": B_CITIZEN})
        new = api(b).post(
            "/api/v1/referrals", json={**BODY, "citizen": {**B_CITIZEN, "cpr": "0202901234"}}
        )
        assert known.status_code == new.status_code == 201
        assert known.headers.keys() == new.headers.keys()
        assert set(known.json()) == set(new.json())
        assert set(known.json()["citizen"]) == set(new.json()["citizen"])
        for text in (known.text.lower(), new.text.lower()):
            assert "allerede" not in text and "already" not in text
        # No change to the known citizen is audited (nothing changed).
        changed = db.exec(
            select(AuditEvent).where(
                AuditEvent.entity == "citizen",
                AuditEvent.action == "update",
                AuditEvent.citizen_id == known.json()["citizen_id"],
            )
        ).all()
        assert changed == []

    def test_refund_report_keeps_the_citizen_record_name(self, api, db, users, b):
        first = a_refers(api)
        set_status(db, first["id"], "active")
        make_time_entry(db, db.get(Referral, first["id"]), date(2026, 2, 2), 90)
        close(api, first["id"])
        assert (
            api(b).post("/api/v1/referrals", json={**BODY, "citizen": B_CITIZEN}).status_code == 201
        )
        report = api("finance").get("/api/v1/reports/refund?from=2026-01-01&to=2026-03-31")
        assert report.status_code == 200, report.text
        assert [r["name"] for r in report.json()["rows"]] == ["Eva Jensen"]


class TestApiOpenReferral:
    @pytest.mark.parametrize("status", OPEN)
    def test_second_open_referral_is_409_neutral(self, api, db, b, status):
        first = a_refers(api)
        set_status(db, first["id"], status)
        response = api(b).post("/api/v1/referrals", json={**BODY, "citizen": B_CITIZEN})
        assert response.status_code == 409, response.text
        assert response.json() == {"detail": NOT_NOW}
        assert str(first["citizen_id"]) not in response.text
        assert db.exec(select(Referral)).all() == [db.get(Referral, first["id"])]
        assert citizen_row(db, first["citizen_id"]).name == "Eva Jensen"

    def test_same_answer_for_the_caseworker_holding_the_open_referral(self, api, db):
        a_refers(api)
        again = api("caseworker").post("/api/v1/referrals", json=with_citizen(phone="87654321"))
        assert again.status_code == 409
        assert again.json() == {"detail": NOT_NOW}

    def test_a_closed_referral_does_not_block(self, api):
        close(api, a_refers(api)["id"])
        assert api("caseworker").post("/api/v1/referrals", json=BODY).status_code == 201


class TestConfirmApi:
    def test_coordinator_confirms_submitted_data_into_the_record_audited(self, api, db, b):
        first = a_refers(api)
        close(api, first["id"])
        second = api(b).post("/api/v1/referrals", json={**BODY, "citizen": B_CITIZEN}).json()
        url = f"/api/v1/referrals/{second['id']}/confirm-citizen"
        response = api("coordinator").post(url)
        assert response.status_code == 200, response.text
        assert response.json()["id"] == second["id"]
        assert response.json()["citizen"]["name"] == "Bent Hansen"
        citizen = citizen_row(db, first["citizen_id"])
        assert (citizen.name, citizen.address, citizen.district) == (
            "Bent Hansen",
            "Andetsteds 2",
            "Viby J",
        )
        assert citizen.phone == "12345678"  # nothing submitted: nothing removed
        row = db.exec(
            select(AuditEvent).where(
                AuditEvent.entity == "citizen",
                AuditEvent.action == "update",
                AuditEvent.citizen_id == citizen.id,
            )
        ).one()
        assert row.purpose == "casework" and row.entity_id == citizen.id
        assert sorted(row.detail["fields"]) == ["address", "district", "name"]
        assert "Bent" not in str(row.detail) and "Andetsteds" not in str(row.detail)
        # A second confirmation changes nothing and audits nothing new.
        assert api("coordinator").post(url).status_code == 200
        again = db.exec(select(AuditEvent).where(AuditEvent.action == "update")).all()
        assert [r for r in again if r.entity == "citizen"] == [row]

    def test_a_closed_referral_confirms_nothing(self, api, db, b):
        first = a_refers(api)
        close(api, first["id"])
        second = api(b).post("/api/v1/referrals", json={**BODY, "citizen": B_CITIZEN}).json()
        close(api, second["id"])
        url = f"/api/v1/referrals/{second['id']}/confirm-citizen"
        assert api("coordinator").post(url).status_code == 409
        assert citizen_row(db, first["citizen_id"]).name == "Eva Jensen"

    def test_only_the_coordinator_confirms(self, api, db):
        referral = a_refers(api)
        url = f"/api/v1/referrals/{referral['id']}/confirm-citizen"
        for role in ("caseworker", "mentor", "finance", "admin"):
            assert api(role).post(url).status_code == 403
        assert api("coordinator").post("/api/v1/referrals/987654/confirm-citizen").status_code == (
            404
        )


def form_of(body: dict, citizen: dict) -> dict:
    return {
        **citizen,
        "job_goal": body["job_goal"],
        "sub_goals": [g["title"] for g in body["sub_goals"]],
        "focus_roles": body["focus_roles"],
        "target_groups": body["target_groups"],
        "required_languages": body["required_languages"],
        "granted_hours_per_week": "3",
        "start_date": body["start_date"],
        "end_date": body["end_date"],
        "legal_basis": "lab",
        "consent": "1",
    }


class TestPages:
    def test_b_sees_own_data_on_every_page_never_a_contact(self, api, pages, db, b):
        first = a_refers(api)
        close(api, first["id"])
        client = pages(b)
        token = client.cookies["mk_csrf"]
        response = client.post(
            "/henvisninger/ny", data={**form_of(BODY, B_CITIZEN), "csrf_token": token}
        )
        assert response.status_code == 303, response.text
        page = client.get(response.headers["location"])
        html = page.text
        assert soup(page).h1.text.strip() == "Bent Hansen"
        assert "Andetsteds 2" in html and "Viby J" in html
        for value in ("Eva", *A_CONTACT.values(), "Aarhus C"):
            assert value not in html, value
        listing = client.get("/henvisninger").text
        assert "Bent Hansen" in listing and "Eva" not in listing
        # Assigned a mentor: B's mentor agreement, logbook overview and logbook page.
        referral = db.exec(select(Referral).where(Referral.caseworker_id == b.id)).one()
        coordinator = api("coordinator")
        assert coordinator.post(f"/api/v1/referrals/{referral.id}/accept").status_code == 200
        assigned = coordinator.post(
            f"/api/v1/referrals/{referral.id}/assignment", json={"mentor_id": mentor(db).id}
        )
        assert assigned.status_code == 201, assigned.text
        agreement = client.get(f"/matchning/aftaler/{assigned.json()['agreement_id']}")
        assert agreement.status_code == 200
        assert "Bent Hansen" in agreement.text and "Eva" not in agreement.text
        logbooks = client.get("/logboeger")
        assert "Bent Hansen" in logbooks.text and "Eva" not in logbooks.text
        logbook = client.get(f"/logbog/{referral.id}")
        assert logbook.status_code == 200
        assert "Bent Hansen" in logbook.text and "Eva" not in logbook.text
        # A's own page is untouched.
        mine = pages("caseworker").get(f"/henvisninger/{first['id']}")
        assert soup(mine).h1.text.strip() == "Eva Jensen" and "12345678" in mine.text

    def test_open_referral_409_at_the_cpr_field_keeping_the_form(self, api, pages, db, b):
        a_refers(api)
        client = pages(b)
        token = client.cookies["mk_csrf"]
        response = client.post(
            "/henvisninger/ny", data={**form_of(BODY, B_CITIZEN), "csrf_token": token}
        )
        assert response.status_code == 409
        page = soup(response)
        assert page.select_one("#error-cpr").text.strip().endswith(NOT_NOW)
        assert page.select_one("#field-name")["value"] == "Bent Hansen"
        assert "Eva" not in response.text and "12345678" not in response.text

    def test_coordinator_sees_the_differences_and_confirms(self, api, pages, db, b):
        first = a_refers(api)
        close(api, first["id"])
        second = api(b).post("/api/v1/referrals", json={**BODY, "citizen": B_CITIZEN}).json()
        coordinator = pages("coordinator")
        page = soup(coordinator.get(f"/henvisninger/{second['id']}"))
        box = page.select_one("#citizen-differences")
        assert "Henvisningen har andre borgeroplysninger end borgerens stamdata" in box.text
        assert "Bent Hansen" in box.text and "Eva Jensen" in box.text
        assert "Viby J" in box.text
        button = box.select_one("form button")
        assert button.text.strip() == "Opdater borgerens stamdata"
        form = box.select_one("form")
        assert form.select_one("input[name=csrf_token]")
        done = coordinator.post(form["action"], data={"csrf_token": coordinator.cookies["mk_csrf"]})
        assert done.status_code == 303, done.text
        assert citizen_row(db, first["citizen_id"]).name == "Bent Hansen"
        after = soup(coordinator.get(f"/henvisninger/{second['id']}"))
        assert after.select_one("#citizen-differences") is None
        # A's own view keeps what A submitted.
        mine = soup(pages("caseworker").get(f"/henvisninger/{first['id']}"))
        assert mine.h1.text.strip() == "Eva Jensen"

    def test_no_box_without_differences_and_caseworker_cannot_confirm(self, api, pages, db):
        referral = a_refers(api)
        coordinator = pages("coordinator")
        page = soup(coordinator.get(f"/henvisninger/{referral['id']}"))
        assert page.select_one("#citizen-differences") is None
        client = pages("caseworker")
        url = f"/henvisninger/{referral['id']}/stamdata"
        assert client.post(url, data={"csrf_token": client.cookies["mk_csrf"]}).status_code == 403


class TestRevise:
    def _returned_of_b(self, api, b) -> dict:
        own = {**B_CITIZEN, "cpr": "0202901234"}
        referral = api(b).post("/api/v1/referrals", json={**BODY, "citizen": own}).json()
        url = f"/api/v1/referrals/{referral['id']}/return"
        assert api("coordinator").post(url, json={"reason": "Forkert CPR"}).status_code == 200
        return referral

    def _revise(self, pages, b, referral_id: int, citizen: dict):
        client = pages(b)
        data = {**form_of(BODY, citizen), "csrf_token": client.cookies["mk_csrf"]}
        return client.post(f"/henvisninger/{referral_id}/ret", data=data)

    def test_changed_cpr_to_a_known_citizen_links_and_changes_nothing(self, api, pages, db, b):
        first = a_refers(api)
        close(api, first["id"])
        referral = self._returned_of_b(api, b)
        response = self._revise(pages, b, referral["id"], B_CITIZEN)
        assert response.status_code == 303, response.text
        db.expire_all()
        assert db.get(Referral, referral["id"]).citizen_id == first["citizen_id"]
        citizen = citizen_row(db, first["citizen_id"])
        assert citizen.name == "Eva Jensen" and citizen.phone == "12345678"
        page = pages(b).get(f"/henvisninger/{referral['id']}")
        assert soup(page).h1.text.strip() == "Bent Hansen"
        for value in ("Eva", *A_CONTACT.values()):
            assert value not in page.text
        edit = pages(b).get(f"/henvisninger/{referral['id']}/ret")
        assert "Eva" not in edit.text and "12345678" not in edit.text

    def test_changed_cpr_to_one_with_an_open_referral_is_409(self, api, pages, db, b):
        first = a_refers(api)
        referral = self._returned_of_b(api, b)
        response = self._revise(pages, b, referral["id"], B_CITIZEN)
        assert response.status_code == 409
        assert soup(response).select_one("#error-cpr").text.strip().endswith(NOT_NOW)
        db.expire_all()
        assert db.get(Referral, referral["id"]).citizen_id != first["citizen_id"]
        assert db.get(Referral, referral["id"]).status == "returned"

    def test_revised_name_stays_with_the_referral(self, api, pages, db, b):
        referral = self._returned_of_b(api, b)
        renamed = {**B_CITIZEN, "cpr": "0202901234", "name": "Bent Hansen Nielsen"}
        assert self._revise(pages, b, referral["id"], renamed).status_code == 303
        assert citizen_row(db, referral["citizen_id"]).name == "Bent Hansen"
        seen = api(b).get(f"/api/v1/referrals/{referral['id']}").json()
        assert seen["citizen"]["name"] == "Bent Hansen Nielsen"


def draft_for(cpr: str, name: str):
    from decimal import Decimal

    from service.corps.referral_drafts import ReferralDraft

    return ReferralDraft(
        citizen={"cpr": cpr, "name": name, "district": "Viby J"},
        job_goal="Fleksjob",
        focus_roles=["personal_support"],
        granted_hours_per_week=Decimal("3"),
        start_date=date(2026, 1, 5),
        end_date=date(2026, 12, 31),
    )


@pytest.mark.parametrize("known", [False, True], ids=["new-cpr", "known-cpr"])
def test_concurrent_referrals_for_one_citizen_one_wins_the_rest_409(scratch_pg, known):
    """Caseworkers referring the same CPR at once: one referral, the others the neutral 409."""
    import threading

    from sqlmodel import Session

    from service.audit.service import Actor
    from service.core.errors import Conflict
    from service.corps.referrals import create_referral

    threads_n = 6
    with Session(scratch_pg, expire_on_commit=False) as s:
        workers = [make_user(s, "caseworker") for _ in range(threads_n)]
        if known:
            old = create_referral(s, actor=Actor(workers[0]), draft=draft_for("0303901234", "X"))
            old.status = "closed"
            s.add(old)
        s.commit()
    barrier = threading.Barrier(threads_n)
    outcomes: list = []

    def refer(n: int) -> None:
        try:
            with Session(scratch_pg, expire_on_commit=False) as s:
                barrier.wait(timeout=10)
                create_referral(
                    s, actor=Actor(workers[n]), draft=draft_for("0303901234", f"Navn {n}")
                )
                s.commit()
                outcomes.append("created")
        except Conflict as error:
            outcomes.append(error.message)
        except BaseException as error:  # reported below
            outcomes.append(error)

    threads = [threading.Thread(target=refer, args=(n,)) for n in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(map(str, outcomes)) == sorted(["created"] + [NOT_NOW] * (threads_n - 1))
    with Session(scratch_pg) as s:
        assert len(s.exec(select(Citizen)).all()) == 1
        open_ = s.exec(select(Referral).where(Referral.status == "submitted")).all()
        assert len(open_) == 1


def test_citizen_email_with_a_header_injection_is_422_and_stores_nothing(api, db):
    """The citizen's e-mail goes through the one address check (service/emailaddr.py)."""
    citizen = {**BODY["citizen"], "email": "eva@x.dk\r\nBcc:spy@evil.example"}
    response = api("caseworker").post("/api/v1/referrals", json={**BODY, "citizen": citizen})
    assert response.status_code == 422, response.text
    assert "email" in str(response.json()["detail"])
    assert db.exec(select(Citizen).where(Citizen.cpr == "0101901234")).first() is None
