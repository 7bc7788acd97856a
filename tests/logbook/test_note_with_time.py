"""The mentor's note and its time from one form: both records or neither (issue 13).

Also the note form's DKFDS checkbox ("Notatet er vist for borgeren").
"""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from logbook.models import LogbookEntry, LogbookShown, MonthApproval, TimeEntry
from logbook.note_with_time import create_entry_with_time
from service.audit.models import AuditEvent
from service.audit.service import Actor
from service.core.errors import Invalid
from tests.conftest import csrf_token
from tests.factories import make_time_entry
from tests.logbook.conftest import make_claim


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


def stored(db, referral):
    notes = db.exec(select(LogbookEntry).where(LogbookEntry.referral_id == referral.id)).all()
    times = db.exec(select(TimeEntry).where(TimeEntry.referral_id == referral.id)).all()
    return notes, times


def test_one_submit_stores_the_note_and_its_time(pages, db, mentor, referral):
    client = pages("mentor")
    response = write(
        client, referral, minutes="45", category="professional_dialogue", shown_to_citizen="1"
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/logbog/{referral.id}"
    (note,), (time,) = stored(db, referral)
    assert note.occurred_on == time.date == date(2026, 6, 10)
    assert (time.minutes, time.category, time.mentor_id) == (45, "professional_dialogue", mentor.id)
    assert time.note == "Logbog: Samtale"  # names the note's kind, never copies its text
    assert db.exec(select(LogbookShown).where(LogbookShown.entry_id == note.id)).one()
    audited = {
        row.entity
        for row in db.exec(select(AuditEvent).where(AuditEvent.action == "create"))
        if row.entity in ("logbook_entry", "time_entry")
    }
    assert audited == {"logbook_entry", "time_entry"}
    page = soup(client.get(f"/logbog/{referral.id}"))
    assert "tiden (45 min.) er registreret" in page.text


def test_a_note_without_time_is_still_allowed(pages, db, referral):
    client = pages("mentor")
    response = write(client, referral, minutes="", category="citizen_contact")
    assert response.status_code == 303, response.text
    notes, times = stored(db, referral)
    assert len(notes) == 1 and times == []


@pytest.mark.parametrize(
    ("minutes", "category", "field"),
    [
        ("0", "citizen_contact", "minutes"),
        ("1441", "citizen_contact", "minutes"),
        ("tre", "citizen_contact", "minutes"),
        ("30", "made_up", "category"),
    ],
)
def test_invalid_time_stores_nothing_and_keeps_the_note(
    pages, db, referral, minutes, category, field
):
    client = pages("mentor")
    response = write(client, referral, text="Mit udkast", minutes=minutes, category=category)
    assert response.status_code == 422
    page = soup(response)
    assert page.select_one(f"#error-{field}") is not None
    assert page.select_one(f"#field-{field}").find_parent(class_="form-error") is not None
    assert page.select_one("#field-text").text == "Mit udkast"
    assert page.select_one("#field-minutes")["value"] == minutes
    assert page.select_one("details#ny").has_attr("open")
    assert stored(db, referral) == ([], [])


def test_a_claimed_period_refuses_both_records(pages, db, users, referral):
    make_claim(db, users["finance"], date(2026, 5, 1), date(2026, 5, 31))
    client = pages("mentor")
    response = write(
        client, referral, occurred_on="2026-05-20", minutes="30", category="citizen_contact"
    )
    assert response.status_code == 422
    page = soup(response)
    error = page.select_one("#error-occurred_on")
    assert error is not None, page.select_one("#error-summary")
    assert error is not None and "Perioden er afregnet" in error.text
    assert page.select_one("#field-text").text == "Samtale om fremmøde."
    assert stored(db, referral) == ([], [])
    # The note alone is no registration of time: the claim does not stop it.
    assert write(client, referral, occurred_on="2026-05-20").status_code == 303
    notes, times = stored(db, referral)
    assert len(notes) == 1 and times == []


def test_an_approved_month_refuses_by_the_minutes(pages, db, users, mentor, referral):
    db.add(
        MonthApproval(
            mentor_id=mentor.id, month=date(2026, 6, 1), approved_by=users["coordinator"].id
        )
    )
    db.flush()
    response = write(pages("mentor"), referral, minutes="30", category="citizen_contact")
    assert response.status_code == 422
    assert "godkendt" in soup(response).select_one("#error-minutes").text
    assert stored(db, referral) == ([], [])


def test_the_note_is_checked_before_the_time_is_written(db, users, mentor, referral):
    """A note the rules refuse leaves no time behind, even inside one open transaction."""
    actor = Actor(users["mentor"])
    with pytest.raises(Invalid) as refused:
        create_entry_with_time(
            session=db,
            actor=actor,
            referral_id=referral.id,
            occurred_on=date(2026, 6, 10),
            kind="conversation",
            text="   ",
            minutes=30,
            category="citizen_contact",
        )
    assert refused.value.field == "text"
    assert stored(db, referral) == ([], [])


def test_the_day_total_refuses_before_the_note_is_written(db, users, mentor, referral):
    make_time_entry(db, referral, date(2026, 6, 10), minutes=1400)
    actor = Actor(users["mentor"])
    with pytest.raises(Invalid) as refused:
        create_entry_with_time(
            session=db,
            actor=actor,
            referral_id=referral.id,
            occurred_on=date(2026, 6, 10),
            kind="conversation",
            text="Lang dag.",
            minutes=60,
            category="citizen_contact",
        )
    assert refused.value.field == "minutes"
    notes, times = stored(db, referral)
    assert notes == [] and len(times) == 1


def test_shown_checkbox_uses_dkfds_markup(pages, referral):
    page = soup(pages("mentor").get(f"/logbog/{referral.id}"))
    box = page.select_one("input#field-shown")
    wrapper = box.parent
    assert "form-group-checkbox" in wrapper["class"] and "form-checkbox" in box["class"]
    label = box.find_next_sibling()
    assert label.name == "label" and label["for"] == "field-shown"
    assert label.text.strip() == "Notatet er vist for borgeren"
    for goal in page.select("input[name=sub_goal_ids]"):
        assert "form-group-checkbox" in goal.parent["class"]
        assert goal.find_next_sibling("label")["for"] == goal["id"]
    options = [o["value"] for o in page.select("#field-category option")]
    assert options[0] == "citizen_contact" and "own_transport" in options
    assert page.select_one("#back-to-citizens")["href"] == "/mine-borgere"
    day = page.select_one("#field-occurred_on")  # only the course's days, none ahead
    assert (day["min"], day["max"], day["value"]) == ("2026-01-05", "2026-06-15", "2026-06-15")
