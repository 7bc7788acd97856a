"""The expiring_agreements job: the newest agreement of each open course, once per agreement."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from reports.core.danish import long_date
from service.corps import followup
from service.corps.models import MentorAgreement
from service.jobs.registry import JOBS
from tests.factories import make_citizen, make_mentor, make_referral
from tests.service.jobs.conftest import notes, recipients

TODAY = date(2026, 4, 20)


def agreement(db, referral, valid_to, supersedes=None) -> MentorAgreement:
    row = MentorAgreement(
        referral_id=referral.id,
        mentor_id=referral.mentor_id,
        mentor_name="Mette Mentor",
        valid_from=valid_to - timedelta(days=180),
        valid_to=valid_to,
        goal=referral.job_goal,
        hours_per_week=Decimal("3.00"),
        supersedes_id=supersedes.id if supersedes else None,
    )
    db.add(row)
    db.flush()
    return row


def test_registered_daily():
    job = JOBS["expiring_agreements"]
    assert job.description and job.cron.get("hour") is not None
    assert "day_of_week" not in job.cron and "day" not in job.cron  # every day


def test_newest_agreement_of_open_courses_ending_within_14_days(db, users):
    caseworker, coordinator = users["caseworker"], users["coordinator"]
    mentor = make_mentor(db)
    soon = make_referral(db, caseworker, mentor=mentor)
    due = agreement(db, soon, TODAY + timedelta(days=14))
    paused = make_referral(db, caseworker, mentor=mentor, status="paused")
    agreement(db, paused, TODAY)
    renewed = make_referral(db, caseworker, mentor=mentor)
    old = agreement(db, renewed, TODAY + timedelta(days=3))
    agreement(db, renewed, TODAY + timedelta(days=180), supersedes=old)  # the current one
    later = make_referral(db, caseworker, mentor=mentor)
    agreement(db, later, TODAY + timedelta(days=15))
    over = make_referral(db, caseworker, mentor=mentor)
    agreement(db, over, TODAY - timedelta(days=1))
    closed = make_referral(db, caseworker, mentor=mentor, status="closed")
    agreement(db, closed, TODAY + timedelta(days=2))

    outcome = followup.expiring_agreements(db, TODAY)
    assert outcome == "expiring_agreements: 2 mentoraftaler udløber snart; 4 notifikationer"
    flagged = notes(db, "agreement_expiring")
    assert sorted({n.referral_id for n in flagged}) == sorted([soon.id, paused.id])
    assert recipients(db, "agreement_expiring") == sorted(
        [caseworker.id, coordinator.id, caseworker.id, coordinator.id]
    )
    [text] = {n.text for n in flagged if n.referral_id == soon.id}
    assert long_date(due.valid_to) in text
    assert all(n.dedup_key.startswith("agreement_expiring:a") for n in flagged)


def test_idempotent_per_agreement_and_a_renewal_is_announced_again(db, users):
    mentor = make_mentor(db)
    referral = make_referral(db, users["caseworker"], mentor=mentor)
    first = agreement(db, referral, TODAY + timedelta(days=10))
    followup.expiring_agreements(db, TODAY)
    assert followup.expiring_agreements(db, TODAY).endswith("0 notifikationer")
    followup.expiring_agreements(db, TODAY + timedelta(days=1))  # a later day, same agreement
    assert len(notes(db, "agreement_expiring")) == 2
    # A renewal capped by the course's end: same end date, a new agreement → told again.
    renewal = agreement(db, referral, first.valid_to, supersedes=first)
    assert followup.expiring_agreements(db, TODAY + timedelta(days=2)).endswith("2 notifikationer")
    keys = {n.dedup_key for n in notes(db, "agreement_expiring")}
    assert keys == {f"agreement_expiring:a{first.id}", f"agreement_expiring:a{renewal.id}"}


def test_no_cpr_in_the_text(db, users):
    citizen = make_citizen(db, name="Anna Sofie Hansen")
    referral = make_referral(db, users["caseworker"], citizen=citizen, mentor=make_mentor(db))
    agreement(db, referral, TODAY + timedelta(days=5))
    JOBS["expiring_agreements"].run(db, TODAY)
    [*found] = notes(db, "agreement_expiring")
    assert found
    for note in found:
        assert citizen.cpr not in note.text and "Hansen" not in note.text and "Anna" in note.text
