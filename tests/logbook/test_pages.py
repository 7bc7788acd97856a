"""The mentor's pages, the readers' logbook pages, time week, approval and the access document."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlmodel import select

from logbook.models import LogbookEntry, LogbookVersion, MonthApproval, TimeEntry
from service.corps.models import SubGoal
from tests.conftest import csrf_token, make_user

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def soup(response):
    return BeautifulSoup(response.text, "html.parser")


def write(client, referral, **fields):
    data = {
        "csrf_token": csrf_token(client),
        "occurred_on": "2026-06-10",
        "kind": "conversation",
        "text": "Samtale om fremmøde.",
        **fields,
    }
    return client.post(f"/logbog/{referral.id}", data=data)


def test_mentor_writes_amends_and_marks_shown(pages, db, referral):
    client = pages("mentor")
    goal = db.exec(select(SubGoal).where(SubGoal.referral_id == referral.id)).first()
    response = write(
        client,
        referral,
        sub_goal_ids=[str(goal.id)],
        observations=["health_relapse"],
        progress="1",
    )
    assert response.status_code == 303, response.text
    entry = db.exec(select(LogbookEntry).where(LogbookEntry.referral_id == referral.id)).one()
    assert entry.sub_goal_ids == [goal.id] and entry.progress == 1
    page = soup(client.get(f"/logbog/{referral.id}"))
    item = page.select_one(f"#entry-{entry.id}")
    assert "Samtale om fremmøde." in item.select_one(".lb-text").text
    assert "needs-caseworker" in item["class"]
    assert page.select_one("#unshown") is not None
    assert page.select_one("svg.lb-chart polyline") is not None

    amended = client.post(
        f"/logbog/notat/{entry.id}/ret",
        data={"csrf_token": csrf_token(client), "text": "Rettet tekst", "reason": "Slåfejl"},
    )
    assert amended.status_code == 303
    shown = client.post(f"/logbog/notat/{entry.id}/vist", data={"csrf_token": csrf_token(client)})
    assert shown.status_code == 303
    page = soup(client.get(f"/logbog/{referral.id}"))
    item = page.select_one(f"#entry-{entry.id}")
    assert item["data-version"] == "2"
    assert item.select_one(".lb-text").text == "Rettet tekst"
    assert "Samtale om fremmøde." in item.select_one(".lb-history").text
    assert page.select_one("#unshown") is None


def test_form_errors_keep_what_was_typed(pages, referral):
    client = pages("mentor")
    response = write(client, referral, text="Mit udkast", occurred_on="2026-06-20")
    assert response.status_code == 422
    page = soup(response)
    assert page.select_one("#error-occurred_on") is not None
    assert page.select_one("#field-text").text == "Mit udkast"


def test_amend_without_reason_rerenders(pages, db, referral):
    client = pages("mentor")
    write(client, referral)
    entry = db.exec(select(LogbookEntry).where(LogbookEntry.referral_id == referral.id)).one()
    response = client.post(
        f"/logbog/notat/{entry.id}/ret",
        data={"csrf_token": csrf_token(client), "text": "Ny tekst", "reason": ""},
    )
    assert response.status_code == 422
    assert soup(response).select_one(f"#amend-text-{entry.id}").text == "Ny tekst"
    assert (
        len(db.exec(select(LogbookVersion).where(LogbookVersion.entry_id == entry.id)).all()) == 1
    )


def test_markup_in_text_is_escaped(pages, referral):
    client = pages("mentor")
    write(client, referral, text=XSS)
    html = client.get(f"/logbog/{referral.id}").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_caseload_shows_last_entry_hours_and_flags(pages, api, referral):
    client = pages("mentor")
    write(client, referral, observations=["not_following_treatment"])
    api("mentor").post(
        "/api/v1/time-entries",
        json={
            "referral_id": referral.id,
            "date": "2026-06-15",
            "minutes": 600,
            "category": "citizen_contact",
        },
    )
    card = soup(client.get("/mine-borgere")).select_one(f"[data-referral='{referral.id}']")
    assert "10. juni 2026" in card.text
    assert "Følger ikke behandling" in card.select_one(".lb-flag").text
    assert "Bevilling opbrugt" in card.text  # 10 h against 3 h this week
    for role in ("coordinator", "caseworker"):
        page = soup(pages(role).get("/logboeger"))
        assert page.select_one(f"[data-referral='{referral.id}'] .lb-flag") is not None


def test_readers_see_the_logbook_and_strangers_get_404(pages, db, referral):
    write(pages("mentor"), referral)
    for role in ("coordinator", "caseworker", "admin"):
        page = soup(pages(role).get(f"/logbog/{referral.id}"))
        assert page.select_one("#timeline .lb-entry") is not None, role
        assert page.select_one("#ny") is None  # only the mentor writes
    stranger = pages(make_user(db, "caseworker"))
    assert stranger.get(f"/logbog/{referral.id}").status_code == 404
    assert pages("finance").get(f"/logbog/{referral.id}").status_code == 403


def test_week_view_create_correct_delete(pages, db, mentor, referral):
    client = pages("mentor")
    response = client.post(
        "/tid",
        data={
            "csrf_token": csrf_token(client),
            "referral_id": str(referral.id),
            "date": "2026-06-09",
            "minutes": "45",
            "category": "citizen_contact",
        },
    )
    assert response.status_code == 303, response.text
    entry = db.exec(select(TimeEntry).where(TimeEntry.referral_id == referral.id)).one()
    page = soup(client.get("/tid?start=2026-06-08"))
    row = page.select_one(f"#week tr[data-referral='{referral.id}']")
    assert "0,75 t" in row.text
    too_much = client.post(
        f"/tid/registrering/{entry.id}",
        data={
            "csrf_token": csrf_token(client),
            "date": "2026-06-09",
            "minutes": "1441",
            "category": "citizen_contact",
        },
    )
    assert too_much.status_code == 422
    fixed = client.post(
        f"/tid/registrering/{entry.id}",
        data={
            "csrf_token": csrf_token(client),
            "date": "2026-06-09",
            "minutes": "60",
            "category": "administration",
            "note": "Rettet",
        },
    )
    assert fixed.status_code == 303
    db.refresh(entry)
    assert (entry.minutes, entry.category) == (60, "administration")
    gone = client.post(
        f"/tid/registrering/{entry.id}/slet", data={"csrf_token": csrf_token(client)}
    )
    assert gone.status_code == 303
    assert db.exec(select(TimeEntry).where(TimeEntry.id == entry.id)).first() is None


def test_week_view_refuses_future_with_message(pages, referral):
    client = pages("mentor")
    response = client.post(
        "/tid",
        data={
            "csrf_token": csrf_token(client),
            "referral_id": str(referral.id),
            "date": "2026-06-16",
            "minutes": "45",
            "category": "citizen_contact",
        },
    )
    assert response.status_code == 422
    assert soup(response).select_one("#error-date") is not None


def test_coordinator_approves_and_reopens(pages, api, db, mentor, referral):
    api("mentor").post(
        "/api/v1/time-entries",
        json={
            "referral_id": referral.id,
            "date": "2026-05-04",
            "minutes": 60,
            "category": "citizen_contact",
        },
    )
    client = pages("coordinator")
    page = soup(client.get("/tid/godkendelser?month=2026-05"))
    assert page.select_one(f"#approvals tr[data-mentor='{mentor.id}']") is not None
    client.post(
        "/tid/godkendelser",
        data={"csrf_token": csrf_token(client), "mentor_id": str(mentor.id), "month": "2026-05"},
    )
    row = db.exec(select(MonthApproval).where(MonthApproval.mentor_id == mentor.id)).one()
    assert row.reopened_at is None
    client.post(
        f"/tid/godkendelser/{row.id}/genaabn",
        data={"csrf_token": csrf_token(client), "reason": "Mangler en dag"},
    )
    db.refresh(row)
    assert row.reopen_reason == "Mangler en dag"
    week = soup(client.get(f"/tid?start=2026-05-04&mentor_id={mentor.id}"))
    assert week.select_one(f"#week tr[data-referral='{referral.id}']") is not None


def test_access_document_lists_every_version(pages, api, referral):
    entry = (
        api("mentor")
        .post(
            f"/api/v1/referrals/{referral.id}/logbook",
            json={"occurred_on": "2026-06-01", "kind": "phone", "text": "Første udgave"},
        )
        .json()
    )
    api("mentor").post(
        f"/api/v1/logbook/{entry['id']}/amendments", json={"text": "Anden udgave", "reason": "R"}
    )
    page = soup(pages("coordinator").get(f"/borgere/{referral.citizen_id}/aktindsigt"))
    versions = page.select(f"#entry-{entry['id']} .access-versions li")
    assert [v.select_one(".lb-text").text for v in versions] == ["Første udgave", "Anden udgave"]
    assert "Aktindsigt" in page.select_one("#trail").text
    assert pages("mentor").get(f"/borgere/{referral.citizen_id}/aktindsigt").status_code == 403
