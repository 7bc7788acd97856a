"""A small world for the refund tests: two mentors, rate changes, default rate, evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from logbook.models import LogbookEntry, LogbookShown, TimeEntry, TrainingExpense
from service.core import clock
from service.corps.models import Citizen, Mentor, MentorRate, Referral
from tests.factories import make_citizen, make_mentor, make_referral

TODAY = date(2026, 6, 15)
Q1 = ("2026-01-01", "2026-03-31")


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


@dataclass
class World:
    m1: Mentor  # users["mentor"]; rates 400.10 from 2025-06-01, 437.37 from 2026-02-15
    m2: Mentor  # no rate: DEFAULT_HOURLY_RATE (400.00)
    anna: Citizen  # CPR with a leading zero
    formula: Citizen  # a name that looks like a formula
    half: Citizen  # 3 minutes at 400.10 → 20.005 kr → 20.01 (half-up)
    r_anna: Referral
    r_formula: Referral
    r_half: Referral


def add_time(db, referral, mentor, day, minutes, category="citizen_contact", note="", user=None):
    entry = TimeEntry(
        referral_id=referral.id,
        mentor_id=mentor.id,
        date=day,
        minutes=minutes,
        category=category,
        note=note,
        created_by=user.id if user else mentor.user_id,
    )
    db.add(entry)
    db.flush()
    return entry


def add_note(db, referral, day, author_id, shown=False):
    entry = LogbookEntry(
        referral_id=referral.id, author_id=author_id, occurred_on=day, kind="conversation"
    )
    db.add(entry)
    db.flush()
    if shown:
        db.add(LogbookShown(entry_id=entry.id, by_id=author_id))
        db.flush()
    return entry


@pytest.fixture
def world(db, users) -> World:
    m1 = make_mentor(db, user=users["mentor"])
    m2 = make_mentor(db)
    db.add(MentorRate(mentor_id=m1.id, valid_from=date(2025, 6, 1), hourly_rate=Decimal("400.10")))
    db.add(MentorRate(mentor_id=m1.id, valid_from=date(2026, 2, 15), hourly_rate=Decimal("437.37")))
    anna = make_citizen(db, cpr="0102031234", name="Anna Jensen")
    formula = make_citizen(db, cpr="2912851111", name='=HYPERLINK("http://x","y")')
    half = make_citizen(db, cpr="1507770000", name="Halv Øre")
    cw = users["caseworker"]
    r_anna = make_referral(db, cw, citizen=anna, mentor=m1)
    r_formula = make_referral(db, cw, citizen=formula, mentor=m2)
    r_half = make_referral(db, cw, citizen=half, mentor=m1)
    # Anna, m1: before and after m1's rate change, own transport, a March note day.
    add_time(db, r_anna, m1, date(2026, 1, 12), 600, note="=1+1 samtale")
    add_time(db, r_anna, m1, date(2026, 1, 12), 45, "own_transport")
    add_time(db, r_anna, m1, date(2026, 2, 20), 95)
    add_time(db, r_anna, m1, date(2026, 3, 3), 30, "administration")
    add_time(db, r_anna, m1, date(2026, 3, 4), 61, "transport_with_citizen")
    # The formula-named citizen, m2 at the default rate.
    add_time(db, r_formula, m2, date(2026, 2, 2), 125, note="@cmd")
    add_time(db, r_formula, m2, date(2026, 2, 3), 17, "professional_dialogue")
    add_time(db, r_formula, m2, date(2026, 2, 4), 33, "own_transport")
    # Half an øre.
    add_time(db, r_half, m1, date(2026, 1, 20), 3, "administration")
    # Outside Q1.
    add_time(db, r_anna, m1, date(2026, 4, 2), 120)
    # Training in and outside the period.
    db.add(
        TrainingExpense(
            mentor_id=m1.id,
            date=date(2026, 2, 10),
            description="Kursus i motiverende samtale",
            amount=Decimal("8000.00"),
            created_by=users["coordinator"].id,
        )
    )
    db.add(
        TrainingExpense(
            mentor_id=m2.id,
            date=date(2026, 4, 10),
            description="Supervision",
            amount=Decimal("999.99"),
            created_by=users["coordinator"].id,
        )
    )
    # Evidence: Anna's 12 Jan is shown, 20 Feb noted but not shown; formula's 2 Feb has none.
    add_note(db, r_anna, date(2026, 1, 12), users["mentor"].id, shown=True)
    add_note(db, r_anna, date(2026, 2, 20), users["mentor"].id)
    db.flush()
    return World(m1, m2, anna, formula, half, r_anna, r_formula, r_half)
