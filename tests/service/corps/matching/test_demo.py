"""seed-demo's matching data: assignments and agreements for courses, work for the plan, cover."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from service.core import clock
from service.corps.models import (
    Absence,
    AssignmentRecord,
    CoverAssignment,
    MentorAgreement,
    Referral,
)
from service.demo.seed import seed
from service.notifications.models import Notification


def test_seed_assigns_agrees_and_leaves_work_for_the_plan(db, monkeypatch):
    today = date.today()  # the corps' demo referrals are dated from the real today
    monkeypatch.setattr(clock, "today", lambda: today)
    messages: list[str] = []
    seed(db, messages.append)
    referrals = list(db.exec(select(Referral)))
    courses = [r for r in referrals if r.status in ("active", "paused")]
    assert courses
    for referral in courses:
        [assignment] = db.exec(
            select(AssignmentRecord).where(AssignmentRecord.referral_id == referral.id)
        )
        assert assignment.mentor_id == referral.mentor_id and assignment.reason
        [agreement] = db.exec(
            select(MentorAgreement).where(MentorAgreement.referral_id == referral.id)
        )
        assert agreement.mentor_id == referral.mentor_id
        assert agreement.valid_from == referral.start_date
        assert referral.start_date < agreement.valid_to <= referral.end_date
    waiting = [r for r in referrals if r.status == "accepted"]
    assert len(waiting) >= 2 and all(r.mentor_id is None for r in waiting)
    [cover] = db.exec(select(CoverAssignment))
    absence = db.get(Absence, cover.absence_id)
    covered = db.get(Referral, cover.referral_id)
    assert today < absence.start == cover.start and cover.end == absence.end
    assert covered.mentor_id == absence.mentor_id != cover.substitute_mentor_id
    assert db.exec(select(Notification).where(Notification.kind == "cover_confirmed")).all()
    assert any("tildelinger med mentoraftale" in m for m in messages)
    assert any("Afløsning bekræftet" in m for m in messages)
