"""seed-demo fills the corps: varied mentors and the referrals of the seed cases."""

from __future__ import annotations

from collections import Counter

from sqlmodel import select

from service.corps.models import Citizen, Mentor, MentorRate, Referral, SubGoal
from service.corps.referral_drafts import draft_errors, draft_of
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
