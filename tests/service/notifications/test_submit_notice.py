"""Issue 13, item 12: a submitted referral reaches the coordinators' inbox (and their mail)."""

from __future__ import annotations

from sqlmodel import col, select

from service.auth.models import Role
from service.notifications.models import Notification
from tests.conftest import make_user
from tests.factories import make_referral
from tests.service.corps.test_api_referrals import BODY
from tests.service.corps.test_pages import FORM


def notices_of(db, user_id: int) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user_id)
    return list(db.exec(query.order_by(col(Notification.id))).all())


def test_a_new_referral_notifies_every_active_coordinator(db, users, api):
    second = make_user(db, Role.coordinator, email="k2@example.dk")
    gone = make_user(db, Role.coordinator, email="k3@example.dk")
    gone.active = False
    db.add(gone)
    db.flush()
    response = api("caseworker").post("/api/v1/referrals", json=BODY)
    assert response.status_code == 201, response.text
    referral_id = response.json()["id"]
    for coordinator_id in (users["coordinator"].id, second.id):
        [notice] = notices_of(db, coordinator_id)
        assert notice.kind == "referral_submitted" and notice.referral_id == referral_id
        assert notice.link == f"/henvisninger/{referral_id}"
        assert f"Ny henvisning nr. {referral_id} (Eva)" in notice.text
        assert "Jensen" not in notice.text and "/" not in notice.text
        assert notice.emailed_at is None  # the outbox mails it like every other notice
    assert notices_of(db, gone.id) == []
    assert notices_of(db, users["caseworker"].id) == []


def test_the_page_that_says_sent_to_the_coordinator_did_send_it(db, users, pages):
    client = pages("caseworker")
    assert client.get("/henvisninger/ny").status_code == 200
    form = {**FORM, "cpr": "010190-1234", "end_date": "2026-12-31"}
    response = client.post(
        "/henvisninger/ny", data={**form, "csrf_token": client.cookies["mk_csrf"]}
    )
    assert response.status_code == 303, response.text
    [notice] = notices_of(db, users["coordinator"].id)
    assert notice.kind == "referral_submitted" and "(Per)" in notice.text
    assert response.headers["location"] == notice.link


def test_a_resubmitted_referral_notifies_the_coordinators_again(db, users, api):
    referral = make_referral(db, users["caseworker"], status="returned")
    response = api("caseworker").post(f"/api/v1/referrals/{referral.id}/resubmit", json={})
    assert response.status_code == 200, response.text
    [notice] = notices_of(db, users["coordinator"].id)
    assert notice.kind == "referral_submitted" and notice.link == f"/henvisninger/{referral.id}"
    assert f"envisning nr. {referral.id}" in notice.text and "sendt igen" in notice.text
