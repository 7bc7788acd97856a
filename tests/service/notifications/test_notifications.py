"""Notifications: idempotent notify, the events, the API, the inbox page and its header."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlmodel import select

from logbook.notices import observation_needs_caseworker
from service.auth.models import User
from service.corps import notices as events
from service.notifications.inbox import notify, scrub, unread_count
from service.notifications.models import Notification
from tests.conftest import make_user
from tests.factories import make_citizen, make_mentor, make_referral


def add(db, user, key, text="Besked", **fields):
    notify(db, user_ids=[user.id], kind="test", text=text, dedup_key=key, **fields)
    return db.exec(
        select(Notification).where(Notification.user_id == user.id, Notification.dedup_key == key)
    ).one()


def test_notify_is_idempotent_per_user_and_key(db, users):
    ids = [users["coordinator"].id, users["finance"].id, None]
    assert notify(db, user_ids=ids, kind="k", text="t", dedup_key="a") == 2
    assert notify(db, user_ids=ids, kind="k", text="t", dedup_key="a") == 0
    assert notify(db, user_ids=[*ids, users["admin"].id], kind="k", text="t", dedup_key="a") == 1
    assert notify(db, user_ids=ids, kind="k", text="t", dedup_key="b") == 2


def test_cpr_shaped_numbers_are_scrubbed():
    assert scrub("Borger 010190-1234 og 0101901234, tlf 12345678") == (
        "Borger [skjult] og [skjult], tlf 12345678"
    )


def test_events_name_the_first_name_only_and_never_the_observation(db, users):
    caseworker, coordinator = users["caseworker"], users["coordinator"]
    mentor = make_mentor(db)
    citizen = make_citizen(db, name="Anna Sofie Hansen")
    referral = make_referral(db, caseworker, citizen=citizen, mentor=mentor)
    assert events.referral_returned(db, referral) == 1
    assert events.mentor_assigned(db, referral, agreement_url="/agreements/9") == 2
    assert observation_needs_caseworker(db, referral, 77, ["health_progress"]) == 0
    assert observation_needs_caseworker(db, referral, 77, ["health_relapse"]) == 1
    assert observation_needs_caseworker(db, referral, 77, ["health_relapse"]) == 0
    assert events.agreement_expiring(db, referral, referral.end_date) == 2
    rows = db.exec(select(Notification)).all()
    assert {(n.kind, n.user_id) for n in rows} == {
        ("referral_returned", caseworker.id),
        ("mentor_assigned", mentor.user_id),
        ("mentor_assigned", caseworker.id),
        ("observation", caseworker.id),
        ("agreement_expiring", caseworker.id),
        ("agreement_expiring", coordinator.id),
    }
    for n in rows:
        assert "Anna" in n.text and "Hansen" not in n.text and citizen.cpr not in n.text
        assert "relapse" not in n.text and "helbred" not in n.text.lower()
        assert n.referral_id == referral.id
    assigned = [n for n in rows if n.kind == "mentor_assigned"]
    assert all(n.link == "/agreements/9" and "/" not in n.text for n in assigned)


def test_api_lists_newest_first_filters_unread_and_marks_read(db, users, api):
    mentor = users["mentor"]
    other = make_user(db, "mentor")
    older = add(db, mentor, "1", "Ældst")
    newer = add(db, mentor, "2", "Nyest", referral_id=make_referral(db, users["caseworker"]).id)
    foreign = add(db, other, "3")
    client = api("mentor")

    listed = client.get("/api/v1/notifications").json()
    assert [n["id"] for n in listed] == [newer.id, older.id]
    assert set(listed[0]) == {"id", "kind", "text", "created_at", "read", "referral_id"}
    assert listed[0]["referral_id"] == newer.referral_id and listed[0]["read"] is False
    assert "+00:00" in listed[0]["created_at"] or listed[0]["created_at"].endswith("Z")

    assert client.post(f"/api/v1/notifications/{older.id}/read").status_code == 204
    assert client.post(f"/api/v1/notifications/{older.id}/read").status_code == 204
    unread = client.get("/api/v1/notifications", params={"unread": "true"}).json()
    assert [n["id"] for n in unread] == [newer.id]
    assert client.post(f"/api/v1/notifications/{foreign.id}/read").status_code == 404
    assert client.post("/api/v1/notifications/999999/read").status_code == 404
    assert unread_count(db, user_id=other.id) == 1


def test_inbox_page_header_count_mark_read_and_open(db, users, pages):
    caseworker = users["caseworker"]
    referral = make_referral(db, caseworker)
    first = add(
        db, caseworker, "1", "Første", referral_id=referral.id, link=f"/henvisninger/{referral.id}"
    )
    add(db, caseworker, "2", "Anden")
    client = pages("caseworker")

    page = BeautifulSoup(client.get("/notifikationer").text, "html.parser")
    assert page.select_one("#unread-count").get_text(strip=True) == "2 ulæste notifikationer"
    assert len(page.select("#notifications li.unread")) == 2
    assert page.select_one("#unread-count")["href"] == "/notifikationer"
    token = client.cookies["mk_csrf"]

    opened = client.post(
        f"/notifikationer/{first.id}/laest", data={"csrf_token": token, "open": "1"}
    )
    assert (
        opened.status_code == 303 and opened.headers["location"] == f"/henvisninger/{referral.id}"
    )
    home = BeautifulSoup(client.get("/").text, "html.parser")
    assert home.select_one("#unread-count").get_text(strip=True) == "1 ulæst notifikation"

    done = client.post("/notifikationer/alle-laest", data={"csrf_token": token})
    assert done.status_code == 303
    page = BeautifulSoup(client.get("/notifikationer?unread=1").text, "html.parser")
    assert page.select("#notifications li") == []
    assert page.select_one("#unread-count").get_text(strip=True) == "Ingen ulæste notifikationer"


def test_digest_setting(db, users, pages):
    client = pages("finance")
    client.get("/notifikationer")
    response = client.post(
        "/notifikationer/indstillinger",
        data={"csrf_token": client.cookies["mk_csrf"], "email_digest": "1"},
    )
    assert response.status_code == 303
    db.expire_all()
    assert db.get(User, users["finance"].id).email_digest is True
    page = BeautifulSoup(client.get("/notifikationer").text, "html.parser")
    assert page.select_one("#digest-1").has_attr("checked")


def test_a_caseworkers_notices_name_the_citizen_as_submitted_never_the_record(db, users):
    """Issue 11, defect 1: another caseworker's citizen record never reaches a notice."""
    caseworker = users["caseworker"]
    citizen = make_citizen(db, name="Eva Jensen")  # known from another caseworker's referral
    referral = make_referral(db, caseworker, citizen=citizen)
    referral.submitted_citizen = {**referral.submitted_citizen, "name": "Bent Hansen"}
    db.add(referral)
    db.flush()
    assert events.referral_returned(db, referral) == 1
    notice = db.exec(select(Notification).where(Notification.user_id == caseworker.id)).one()
    assert "(Bent)" in notice.text and "Eva" not in notice.text
