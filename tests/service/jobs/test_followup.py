"""Each follow-up job (corps, logbook, reports): a small world, time travel across weekends,
Easter and DST."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from logbook import followup as logbook_followup
from reports import followup as reports_followup
from service.core.workdays import working_days_between, working_days_in
from service.corps import followup as corps_followup
from service.jobs.registry import JOBS
from tests.factories import make_citizen, make_mentor, make_referral
from tests.service.jobs.conftest import add_logbook, add_time, notes, recipients, utc

SEVEN = {
    "unmatched_referrals",
    "stale_logbooks",
    "ending_referrals",
    "hours_budget",
    "monthly_refund_draft",
    "monthly_key_figures",
    "weekly_time_reminder",
}


def test_all_seven_jobs_are_registered_with_schedules():
    assert set(JOBS) >= SEVEN
    for name in SEVEN:
        assert JOBS[name].cron and JOBS[name].description


def test_working_days_follow_the_danish_calendar():
    # Easter 2026: Maundy Thursday 2 April, Good Friday 3 April, Easter Monday 6 April.
    assert working_days_between(date(2026, 3, 30), date(2026, 4, 7)) == 3
    assert working_days_in(date(2026, 4, 1), date(2026, 4, 30)) == 19
    assert working_days_between(date(2026, 4, 3), date(2026, 4, 6)) == 0


def test_unmatched_referrals_counts_working_days_across_easter_and_dst(db, users):
    caseworker, coordinator = users["caseworker"], users["coordinator"]
    # 22:30 UTC on Sunday 29 March (the DST change) is 00:30 Monday 30 March in Denmark.
    waiting = make_referral(db, caseworker, submitted_at=utc(2026, 3, 29, 22, 30))
    accepted = make_referral(db, caseworker, status="accepted", submitted_at=utc(2026, 3, 20, 9))
    make_referral(db, caseworker, status="returned", submitted_at=utc(2026, 3, 1, 9))
    assigned = make_mentor(db)
    make_referral(db, caseworker, mentor=assigned, submitted_at=utc(2026, 3, 1, 9))

    # Thursday 9 April: 30 March + 4 working days (31/3, 1/4, 7/4, 8/4, 9/4 → 5): not yet.
    corps_followup.unmatched_referrals(db, date(2026, 4, 9))
    assert [n.referral_id for n in notes(db, "unmatched_referral")] == [accepted.id]
    outcome = corps_followup.unmatched_referrals(db, date(2026, 4, 10))
    assert sorted(n.referral_id for n in notes(db)) == sorted([accepted.id, waiting.id])
    assert recipients(db, "unmatched_referral") == [coordinator.id, coordinator.id]
    assert outcome.endswith("1 notifikationer")
    # The same day again, and later days of the same wait: nobody twice.
    assert corps_followup.unmatched_referrals(db, date(2026, 4, 10)).endswith("0 notifikationer")
    corps_followup.unmatched_referrals(db, date(2026, 4, 20))
    assert len(notes(db)) == 2


def test_stale_logbooks_notifies_mentor_and_coordinators(db, users):
    caseworker, coordinator = users["caseworker"], users["coordinator"]
    mentor = make_mentor(db)
    today = date(2026, 4, 20)
    stale = make_referral(db, caseworker, mentor=mentor)
    add_logbook(db, stale, today - timedelta(days=14), mentor.user_id)
    fresh = make_referral(db, caseworker, mentor=mentor)
    add_logbook(db, fresh, today - timedelta(days=13), mentor.user_id)
    never = make_referral(db, caseworker, mentor=mentor, start_date=date(2026, 3, 1))
    just_started = make_referral(db, caseworker, mentor=mentor, start_date=today)
    make_referral(db, caseworker, mentor=mentor, status="paused", start_date=date(2026, 1, 5))

    logbook_followup.stale_logbooks(db, today)
    logbook_followup.stale_logbooks(db, today)
    flagged = notes(db, "stale_logbook")
    assert sorted({n.referral_id for n in flagged}) == sorted([stale.id, never.id])
    assert just_started.id not in {n.referral_id for n in flagged}
    assert sorted(n.user_id for n in flagged if n.referral_id == stale.id) == sorted(
        [mentor.user_id, coordinator.id]
    )
    # A new entry starts a new episode; until it too is 14 days old, nothing new.
    add_logbook(db, stale, today, mentor.user_id)

    def about_stale() -> int:
        return sum(n.referral_id == stale.id for n in notes(db, "stale_logbook"))

    logbook_followup.stale_logbooks(db, today + timedelta(days=13))
    assert about_stale() == 2
    logbook_followup.stale_logbooks(db, today + timedelta(days=14))
    assert about_stale() == 4


def test_ending_referrals_within_14_days(db, users):
    caseworker, coordinator = users["caseworker"], users["coordinator"]
    today = date(2026, 6, 1)
    ending = make_referral(db, caseworker, end_date=today + timedelta(days=14))
    make_referral(db, caseworker, end_date=today + timedelta(days=15))
    make_referral(db, caseworker, end_date=today - timedelta(days=1))
    make_referral(db, caseworker, status="closed", end_date=today + timedelta(days=3))

    corps_followup.ending_referrals(db, today)
    corps_followup.ending_referrals(db, today)
    assert recipients(db, "ending_referral") == sorted([caseworker.id, coordinator.id])
    assert {n.referral_id for n in notes(db)} == {ending.id}
    assert "15. juni 2026" in notes(db)[0].text
    corps_followup.ending_referrals(db, today + timedelta(days=1))  # the 15-day one is now due
    assert len(notes(db)) == 4


def test_hours_budget_at_80_percent_of_the_months_granted_hours(db, users):
    caseworker = users["caseworker"]
    mentor = make_mentor(db)
    referral = make_referral(db, caseworker, mentor=mentor)  # 3.00 hours a week
    # April 2026 has 19 Danish working days: 3 × 19 / 5 = 11.40 hours; 80 % = 9.12 hours.
    assert logbook_followup.granted_hours_for_month(referral, date(2026, 4, 1)) == Decimal("11.40")
    add_time(db, referral, date(2026, 3, 31), 600)  # last month: does not count
    add_time(db, referral, date(2026, 4, 1), 540)  # 9.00 hours
    logbook_followup.hours_budget(db, date(2026, 4, 20))
    assert notes(db, "hours_budget") == []
    add_time(db, referral, date(2026, 4, 2), 10)  # 9.17 hours
    logbook_followup.hours_budget(db, date(2026, 4, 20))
    logbook_followup.hours_budget(db, date(2026, 4, 21))
    assert recipients(db, "hours_budget") == sorted([mentor.user_id, caseworker.id])
    assert "9,17 af 11,40" in notes(db)[0].text and "april 2026" in notes(db)[0].text


def test_hours_budget_prorates_a_referral_starting_mid_month(db, users):
    referral = make_referral(
        db, users["caseworker"], mentor=make_mentor(db), start_date=date(2026, 4, 20)
    )
    # 20–30 April: 9 working days → 3 × 9 / 5 = 5.40 hours.
    assert logbook_followup.granted_hours_for_month(referral, date(2026, 4, 25)) == Decimal("5.40")


def test_monthly_refund_draft_notifies_finance_once_a_month(db, users):
    referral = make_referral(db, users["caseworker"], mentor=make_mentor(db))
    add_time(db, referral, date(2026, 3, 10), 90)
    reports_followup.monthly_refund_draft(db, date(2026, 4, 1))
    reports_followup.monthly_refund_draft(db, date(2026, 4, 1))
    reports_followup.monthly_refund_draft(db, date(2026, 4, 2))
    [note] = notes(db)
    assert note.user_id == users["finance"].id and note.kind == "refund_draft"
    assert note.link == "/refusion?from=2026-03-01&to=2026-03-31"
    assert "marts 2026" in note.text and "1 borgere, 1,50 timer" in note.text


def test_monthly_key_figures_notifies_coordinators(db, users):
    make_referral(db, users["caseworker"], created_at=utc(2026, 3, 31, 22, 30))  # 1 April local
    make_referral(db, users["caseworker"], created_at=utc(2026, 3, 15, 9))
    reports_followup.monthly_key_figures(db, date(2026, 4, 3))
    reports_followup.monthly_key_figures(db, date(2026, 4, 3))
    [note] = notes(db)
    assert note.user_id == users["coordinator"].id
    assert note.link == "/noegletal?month=2026-03"
    assert "1 nye henvisninger" in note.text


def test_weekly_time_reminder_for_mentors_without_time_last_week(db, users):
    caseworker = users["caseworker"]
    busy, idle = make_mentor(db), make_mentor(db)
    make_mentor(db)  # no citizens: no reminder
    worked = make_referral(db, caseworker, mentor=busy)
    make_referral(db, caseworker, mentor=idle)
    add_time(db, worked, date(2026, 3, 31), 60)  # Easter week: 30 March – 3 April
    today = date(2026, 4, 7)  # Tuesday after Easter Monday
    logbook_followup.weekly_time_reminder(db, today)
    logbook_followup.weekly_time_reminder(db, today + timedelta(days=1))
    assert recipients(db, "time_reminder") == [idle.user_id]
    assert "uge 14" in notes(db)[0].text


@pytest.mark.parametrize("name", sorted(SEVEN))
def test_no_cpr_in_any_text(db, users, name):
    citizen = make_citizen(db, name="Anna Sofie Hansen")
    mentor = make_mentor(db)
    referral = make_referral(
        db,
        users["caseworker"],
        citizen=citizen,
        mentor=mentor,
        end_date=date(2026, 4, 30),
        submitted_at=utc(2026, 1, 2, 9),
    )
    make_referral(db, users["caseworker"], citizen=citizen, submitted_at=utc(2026, 1, 2, 9))
    add_time(db, referral, date(2026, 4, 1), 600)
    JOBS[name].run(db, date(2026, 4, 20))
    for note in notes(db):
        assert citizen.cpr not in note.text and "Hansen" not in note.text
