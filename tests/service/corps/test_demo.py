"""seed-demo fills the corps: varied mentors and the referrals of the seed cases."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlmodel import select

from reports.core.danish import local_date
from service.audit.service import Actor
from service.auth.models import Role, User
from service.core import clock
from service.core.workdays import is_working_day, working_days_between
from service.corps.models import Citizen, Mentor, MentorRate, Referral, SubGoal
from service.corps.referral_drafts import draft_errors, draft_of
from service.corps.referral_queries import inbox
from service.demo.seed import seed


def test_seed_adds_mentors_and_referrals_in_every_status(db):
    messages: list[str] = []
    seed(db, messages.append)
    mentors = db.exec(select(Mentor)).all()
    assert len(mentors) == 15
    languages = {lang for m in mentors for lang in m.languages}
    assert {"ar", "ku", "so", "tr"} <= languages
    districts = {m.district for m in mentors}
    assert {"Aarhus C", "Aarhus N", "Aarhus V", "Viby J", "Brabrand", "Tilst"} <= districts
    assert {m.employment for m in mentors} == {"full_time", "part_time"}
    assert len({m.weekly_hours for m in mentors}) > 5
    assert len(db.exec(select(MentorRate)).all()) == 16
    statuses = Counter(r.status for r in db.exec(select(Referral)))
    assert set(statuses) == {"submitted", "accepted", "returned", "active", "paused", "closed"}
    citizens = {c.id: c for c in db.exec(select(Citizen))}
    assert len(citizens) == 11
    first_names = {c.name.split()[0] for c in citizens.values()}
    assert first_names == {
        "Eva", "Per", "Bo", "Ibrahim", "Ole", "Rie", "Esben", "Tove", "Anne", "Kim", "Morten"
    }  # fmt: skip
    for referral in db.exec(select(Referral)):
        assert referral.considerations and referral.target_groups and referral.job_goal
        goals = db.exec(select(SubGoal).where(SubGoal.referral_id == referral.id)).all()
        assert len(goals) >= 2
        assert draft_errors(draft_of(db, referral), form=True) == {}, referral.job_goal
        if not referral.consent_information_exchange:
            assert referral.health_information == ""
        if referral.status in ("active", "paused", "closed"):
            assert referral.mentor_id
    assert any("mentorer" in m for m in messages)


def test_seed_is_deterministic_apart_from_dates(db):
    seed(db)
    ibrahim = db.exec(select(Citizen).where(Citizen.name == "Ibrahim Saleh")).one()
    referral = db.exec(select(Referral).where(Referral.citizen_id == ibrahim.id)).one()
    assert ibrahim.cpr == "1506881239"
    assert referral.required_languages == ["da", "ku"]
    assert "pain" in referral.target_groups


def test_the_inbox_has_a_history_of_0_to_15_working_days(db, monkeypatch):
    """Issue 13, item 11: every waiting referral was dated today, so every age showed 0."""
    today = date(2026, 6, 15)  # a Monday: the waits reach back over weekends
    monkeypatch.setattr(clock, "today", lambda: today)
    seed(db)
    coordinator = db.exec(select(User).where(User.role == Role.coordinator)).one()
    waiting = inbox(db, actor=Actor(coordinator), today=today)
    ages = [w.age_working_days for w in waiting]
    assert len(waiting) >= 5 and min(ages) == 0 and max(ages) == 15
    assert len(set(ages)) == len(ages)  # spread out, not piled on one day
    assert ages == sorted(ages, reverse=True)  # oldest first
    for w in waiting:  # submitted on a working day, and created then too
        day = local_date(w.referral.submitted_at)
        assert is_working_day(day) and local_date(w.referral.created_at) == day
        assert working_days_between(day, today) == w.age_working_days
    statuses = {r.status for r in db.exec(select(Referral))}
    assert statuses == {"submitted", "accepted", "returned", "active", "paused", "closed"}
