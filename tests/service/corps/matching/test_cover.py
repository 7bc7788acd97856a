"""Cover during absence: the proposal, confirmation, and the substitute's access in the period."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from service.core import clock
from service.corps.models import Absence, CoverAssignment
from tests.conftest import csrf_token
from tests.factories import make_mentor, make_referral


@pytest.fixture
def setting(db, users):
    """Mentor A is away 10-20 June with one active citizen; users['mentor'] can cover."""
    absent = make_mentor(db)
    substitute = make_mentor(db, user=users["mentor"])
    referral = make_referral(db, users["caseworker"], mentor=absent)
    absence = Absence(
        mentor_id=absent.id, start=date(2026, 6, 10), end=date(2026, 6, 20), kind="sick"
    )
    db.add(absence)
    db.flush()
    return absent, substitute, referral, absence


def logbook(api, referral, day="2026-06-15"):
    body = {"occurred_on": day, "kind": "conversation", "text": "Samtale under afløsning."}
    return api("mentor").post(f"/api/v1/referrals/{referral.id}/logbook", json=body)


def time_entry(api, referral, day="2026-06-15"):
    body = {"referral_id": referral.id, "date": day, "minutes": 60, "category": "citizen_contact"}
    return api("mentor").post("/api/v1/time-entries", json=body)


def confirm(pages, absence, referral, substitute):
    client = pages("coordinator")
    return client.post(
        f"/matchning/afloesning/{absence.id}",
        data={"csrf_token": csrf_token(client), "row": f"{referral.id}:{substitute.id}"},
    )


def test_proposal_lists_the_substitute(pages, setting):
    _absent, substitute, referral, absence = setting
    client = pages("coordinator")
    listing = client.get("/matchning/afloesning")
    assert listing.status_code == 200 and f'data-absence="{absence.id}"' in listing.text
    page = client.get(f"/matchning/afloesning/{absence.id}")
    assert page.status_code == 200
    assert f'data-referral="{referral.id}" data-substitute="{substitute.id}"' in page.text


def test_substitute_writes_during_the_absence_only(api, pages, db, setting, monkeypatch):
    _absent, substitute, referral, absence = setting
    assert logbook(api, referral).status_code == 404  # not confirmed yet
    assert time_entry(api, referral).status_code == 404
    response = confirm(pages, absence, referral, substitute)
    assert response.status_code == 303, response.text
    row = db.exec(select(CoverAssignment)).one()
    assert (row.start, row.end) == (date(2026, 6, 15), date(2026, 6, 20))  # from today
    assert logbook(api, referral).status_code == 201
    entry = time_entry(api, referral)
    assert entry.status_code == 201 and entry.json()["mentor_id"] == substitute.id
    assert api("mentor").get(f"/api/v1/referrals/{referral.id}/logbook").status_code == 200
    # time before the cover began is not theirs to register
    assert time_entry(api, referral, day="2026-06-12").status_code == 404
    monkeypatch.setattr(clock, "today", lambda: date(2026, 6, 21))
    assert logbook(api, referral, day="2026-06-21").status_code == 404
    assert time_entry(api, referral, day="2026-06-19").status_code == 404


def test_a_substitute_without_capacity_is_refused(pages, db, users, setting):
    _absent, substitute, referral, absence = setting
    substitute.max_caseload = 0
    db.add(substitute)
    db.flush()
    response = confirm(pages, absence, referral, substitute)
    assert response.status_code == 409 and "Maksimalt antal borgere" in response.text
    assert db.exec(select(CoverAssignment)).all() == []


def test_the_absent_mentor_cannot_cover_themselves(pages, db, setting):
    absent, _substitute, referral, absence = setting
    response = confirm(pages, absence, referral, absent)
    assert response.status_code == 409


def test_unknown_absence_is_404(pages):
    assert pages("coordinator").get("/matchning/afloesning/999999").status_code == 404
