"""A confirmed substitute sees the covered citizen on "Mine borgere" and writes the logbook."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup

from service.auth.models import User
from service.core import clock
from service.corps.models import Absence, CoverAssignment
from tests.conftest import csrf_token
from tests.factories import make_citizen, make_mentor, make_referral


def soup(response):
    return BeautifulSoup(response.text, "html.parser")


@pytest.fixture
def covered(db, users):
    """users['mentor'] covers Anna (mentor A away 10-20 June) and has a citizen of their own."""
    absent = make_mentor(db)
    substitute = make_mentor(db, user=users["mentor"])
    referral = make_referral(
        db, users["caseworker"], citizen=make_citizen(db, name="Anna Dækket"), mentor=absent
    )
    own = make_referral(
        db, users["caseworker"], citizen=make_citizen(db, name="Otto Egen"), mentor=substitute
    )
    absence = Absence(
        mentor_id=absent.id, start=date(2026, 6, 10), end=date(2026, 6, 20), kind="sick"
    )
    db.add(absence)
    db.flush()
    db.add(
        CoverAssignment(
            absence_id=absence.id,
            referral_id=referral.id,
            substitute_mentor_id=substitute.id,
            start=date(2026, 6, 12),
            end=date(2026, 6, 20),
            confirmed_by=users["coordinator"].id,
        )
    )
    db.flush()
    return referral, own


def cards(client):
    page = soup(client.get("/mine-borgere"))
    return {int(li["data-referral"]): li for li in page.select("#caseload li")}


def test_mine_borgere_shows_the_covered_citizen_during_the_cover_only(pages, covered, monkeypatch):
    referral, own = covered
    client = pages("mentor")
    found = cards(client)  # today is 15 June (the matching tests' fixed day)
    assert set(found) == {referral.id, own.id}
    assert "Anna Dækket" in found[referral.id].get_text()
    assert "Afløser til 20. juni 2026" in found[referral.id].select_one(".lb-cover").get_text()
    assert found[own.id].select_one(".lb-cover") is None
    for day in (date(2026, 6, 11), date(2026, 6, 21)):
        monkeypatch.setattr(clock, "today", lambda day=day: day)
        assert set(cards(client)) == {own.id}


def test_other_mentors_do_not_see_it(pages, db, users, covered):
    referral, _own = covered
    other = make_mentor(db)
    outsider = db.get(User, other.user_id)
    assert referral.id not in cards(pages(outsider))


def test_the_substitute_sees_the_write_form_and_writes(pages, db, covered, monkeypatch):
    referral, _own = covered
    client = pages("mentor")
    page = soup(client.get(f"/logbog/{referral.id}"))
    form = page.select_one("#ny form")
    assert form is not None
    response = client.post(
        f"/logbog/{referral.id}",
        data={
            "csrf_token": csrf_token(client),
            "occurred_on": "2026-06-15",
            "kind": "conversation",
            "text": "Samtale under afløsningen.",
        },
    )
    assert response.status_code == 303, response.text
    page = soup(client.get(f"/logbog/{referral.id}"))
    assert "Samtale under afløsningen." in page.get_text()
    monkeypatch.setattr(clock, "today", lambda: date(2026, 6, 21))
    assert client.get(f"/logbog/{referral.id}").status_code == 404


def test_a_substitute_writes_only_for_days_inside_the_cover(api, covered):
    referral, _own = covered
    mentor = api("mentor")  # today is 15 June; the cover runs 12-20 June

    def write(day: str):
        return mentor.post(
            f"/api/v1/referrals/{referral.id}/logbook",
            json={
                "occurred_on": day,
                "kind": "conversation",
                "text": "Samtale som afløser.",
                "sub_goal_ids": [],
                "observations": [],
                "progress": None,
                "shown_to_citizen": False,
            },
        )

    assert write("2026-06-13").status_code == 201
    before = write("2026-06-05")
    assert before.status_code == 422
    assert before.json()["detail"][0]["loc"][-1] == "occurred_on"
