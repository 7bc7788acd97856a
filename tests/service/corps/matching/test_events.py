"""Event notifications around matching: a returned referral, a confirmed cover."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup
from sqlmodel import select

from service.corps.models import Absence, CoverAssignment
from service.notifications.models import Notification
from tests.conftest import csrf_token
from tests.factories import make_citizen, make_mentor, make_referral


def notes(db, kind):
    query = select(Notification).where(Notification.kind == kind).order_by(Notification.id)
    return list(db.exec(query).all())


def test_returning_a_referral_notifies_its_caseworker(api, db, users):
    citizen = make_citizen(db, name="Anna Sofie Hansen")
    referral = make_referral(db, users["caseworker"], citizen=citizen)
    response = api("coordinator").post(
        f"/api/v1/referrals/{referral.id}/return",
        json={"reason": "Skriv hvor mange timer praktikken starter med."},
    )
    assert response.status_code == 200, response.text
    [note] = notes(db, "referral_returned")
    assert note.user_id == users["caseworker"].id and note.referral_id == referral.id
    assert "retur" in note.text and "Anna" in note.text
    assert citizen.cpr not in note.text and "Hansen" not in note.text
    inbox = api("caseworker").get("/api/v1/notifications").json()
    assert any(n["kind"] == "referral_returned" for n in inbox)


def test_a_refused_return_notifies_nobody(api, db, users):
    referral = make_referral(db, users["caseworker"])
    response = api("coordinator").post(f"/api/v1/referrals/{referral.id}/return", json={})
    assert response.status_code == 422
    assert notes(db, "referral_returned") == []


def test_confirmed_cover_notifies_the_substitute_once(pages, db, users):
    absent = make_mentor(db)
    substitute = make_mentor(db, user=users["mentor"])
    citizen = make_citizen(db, name="Bo Ib Christensen")
    referral = make_referral(
        db,
        users["caseworker"],
        citizen=citizen,
        mentor=absent,
        health_information="Depression og angst.",
    )
    absence = Absence(
        mentor_id=absent.id, start=date(2026, 6, 20), end=date(2026, 6, 30), kind="holiday"
    )
    db.add(absence)
    db.flush()
    client = pages("coordinator")
    for _ in range(2):  # confirming the same again tells nobody twice
        response = client.post(
            f"/matchning/afloesning/{absence.id}",
            data={"csrf_token": csrf_token(client), "row": f"{referral.id}:{substitute.id}"},
        )
        assert response.status_code == 303, response.text
    assert len(db.exec(select(CoverAssignment)).all()) == 1
    [note] = notes(db, "cover_confirmed")
    assert note.user_id == users["mentor"].id and note.referral_id == referral.id
    assert "fra 20. juni 2026 til 30. juni 2026" in note.text
    assert note.link == f"/logbog/{referral.id}"
    for secret in (citizen.cpr, "Christensen", "Depression", "angst"):
        assert secret not in note.text
    page = BeautifulSoup(pages("mentor").get("/notifikationer").text, "html.parser")
    assert "afløser" in page.get_text()
