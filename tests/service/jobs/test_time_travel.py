"""Time travel: each job run on the days its schedule fires, across weekends, Danish holidays
(Easter, Christmas, New Year) and the daylight-saving changes (29 March, 25 October 2026).

Each scheduled day is run twice (a rerun): the rerun notifies nobody. A job that fails
half-way is rolled back and, run again, completes without duplicates. The CLI's
`jobs run NAME --today` walks the same days.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from logbook import followup as logbook_followup
from reports import followup as reports_followup
from reports.core.danish import TIMEZONE
from service.corps import followup as corps_followup
from service.corps import notices
from service.corps.models import MentorAgreement
from service.jobs import runner, schedule
from service.jobs.registry import JOBS
from service.jobs.runs import JobRun
from tests.factories import make_mentor, make_referral
from tests.service.jobs.conftest import add_logbook, add_time, notes, utc

LATE = date(2027, 6, 30)  # an end date beyond every walk


def fires_on(name: str, day: date) -> bool:
    """True when job `name`'s schedule fires on `day` (Danish time)."""
    trigger = schedule.trigger_for(JOBS[name].cron)
    return (
        schedule.last_fire_today(trigger, datetime.combine(day, time(23, 59), TIMEZONE)) is not None
    )


def days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def walk(db, scope, name: str, first: date, last: date) -> dict[date, list[tuple]]:
    """Run job `name` twice on each day its schedule fires from `first` to `last`.

    Returns {day: [(referral_id, user_id), …]} of the notifications each day created.
    """
    seen = {n.id for n in notes(db)}
    created: dict[date, list[tuple]] = {}
    ran = []
    for day in days(first, last):
        if not fires_on(name, day):
            continue
        runner.run_job(name, day, scope=scope)
        again = runner.run_job(name, day, scope=scope)
        assert again.endswith(" 0 notifikationer"), f"a rerun on {day} notified again: {again}"
        ran.append(day)
        db.expire_all()
        new = [n for n in notes(db) if n.id not in seen]
        seen |= {n.id for n in new}
        if new:
            created[day] = sorted((n.referral_id, n.user_id) for n in new)
    runs = db.exec(
        select(JobRun).where(JobRun.job == name, JobRun.run_date >= first, JobRun.run_date <= last)
    ).all()
    assert sorted(r.run_date for r in runs) == ran, "one run record per scheduled day"
    assert {r.status for r in runs} <= {"done"}
    return created


def both(referral, *others) -> list[tuple]:
    return sorted((referral.id, u) for u in others)


# --- the schedules themselves --------------------------------------------------------------


def test_weekday_jobs_skip_the_weekend_and_run_on_holidays_and_dst_days():
    assert not fires_on("unmatched_referrals", date(2026, 3, 28))  # Saturday
    assert not fires_on("unmatched_referrals", date(2026, 3, 29))  # Sunday, DST starts
    assert fires_on("unmatched_referrals", date(2026, 3, 30))
    assert fires_on("unmatched_referrals", date(2026, 4, 3))  # Good Friday: runs, counts 0
    assert fires_on("expiring_agreements", date(2026, 10, 25))  # daily, DST ends
    assert fires_on("monthly_refund_draft", date(2026, 11, 1))  # a Sunday
    assert not fires_on("monthly_refund_draft", date(2026, 11, 8))
    assert fires_on("weekly_time_reminder", date(2026, 12, 30))  # Wednesday
    assert not fires_on("weekly_time_reminder", date(2026, 12, 31))


# --- each job across a weekend, a holiday and a DST change -------------------------------


@pytest.mark.parametrize(
    ("submitted", "first_day"),
    [
        # Tuesday 22 December 09:00: 23, 24, 28, 29, 30 December are 5 working days (25
        # and 26 December are holidays, 1 January too); the 6th is Thursday 31 December.
        (utc(2026, 12, 22, 8), date(2026, 12, 31)),
        # Friday 23 October: 26–30 October (DST ends on the Sunday between) → Monday 2 Nov.
        (utc(2026, 10, 23, 12), date(2026, 11, 2)),
        # 23:30 UTC on Sunday 25 October is 00:30 Monday in Denmark (CET again): the wait
        # counts from Monday 26 October (27–30 October, 2 November), due Tuesday 3 November.
        (utc(2026, 10, 25, 23, 30), date(2026, 11, 3)),
    ],
)
def test_unmatched_referrals_walk(db, users, scope, submitted, first_day):
    referral = make_referral(db, users["caseworker"], submitted_at=submitted, end_date=LATE)
    start = submitted.date() - timedelta(days=1)
    created = walk(db, scope, "unmatched_referrals", start, start + timedelta(days=28))
    assert created == {first_day: both(referral, users["coordinator"].id)}


def test_stale_logbooks_walk_across_the_end_of_summer_time(db, users, scope):
    caseworker, coordinator = users["caseworker"], users["coordinator"]
    mentor = make_mentor(db)
    # Assigned at 22:30 UTC on Saturday 24 October = 00:30 Sunday 25 October (CEST).
    silent = make_referral(
        db,
        caseworker,
        mentor=mentor,
        start_date=date(2026, 9, 1),
        end_date=LATE,
        assigned_at=utc(2026, 10, 24, 22, 30),
    )
    writing = make_referral(
        db, caseworker, mentor=mentor, start_date=date(2026, 9, 1), end_date=LATE
    )
    add_logbook(db, writing, date(2026, 10, 9), mentor.user_id)  # a Friday
    people = (mentor.user_id, coordinator.id)

    assert walk(db, scope, "stale_logbooks", date(2026, 10, 19), date(2026, 10, 25)) == {
        date(2026, 10, 23): both(writing, *people),  # 14 days after 9 October
    }
    add_logbook(db, writing, date(2026, 10, 26), mentor.user_id)  # a new episode
    # Silent since 25 October: due on Sunday 8 November, run on Monday 9 November; the
    # entry of 26 October is due on the same Monday.
    assert walk(db, scope, "stale_logbooks", date(2026, 10, 26), date(2026, 11, 13)) == {
        date(2026, 11, 9): sorted(both(silent, *people) + both(writing, *people)),
    }


def test_ending_referrals_walk_across_christmas_and_dst(db, users, scope):
    caseworker, coordinator = users["caseworker"], users["coordinator"]
    christmas = make_referral(db, caseworker, end_date=date(2026, 12, 25))
    sunday = make_referral(db, caseworker, end_date=date(2026, 12, 27))
    new_year = make_referral(db, caseworker, end_date=date(2027, 1, 4))
    autumn = make_referral(db, caseworker, end_date=date(2026, 11, 8))
    people = (caseworker.id, coordinator.id)

    assert walk(db, scope, "ending_referrals", date(2026, 10, 19), date(2026, 11, 9)) == {
        date(2026, 10, 26): both(autumn, *people),  # 14 days before fell on the DST Sunday
    }
    assert walk(db, scope, "ending_referrals", date(2026, 12, 7), date(2027, 1, 8)) == {
        date(2026, 12, 11): both(christmas, *people),
        date(2026, 12, 14): both(sunday, *people),  # due on Sunday 13th: run on Monday
        date(2026, 12, 21): both(new_year, *people),
    }


def add_agreement(db, referral, valid_to: date, supersedes: MentorAgreement | None = None):
    agreement = MentorAgreement(
        referral_id=referral.id,
        mentor_id=referral.mentor_id,
        mentor_name="Mentor",
        valid_from=referral.start_date,
        valid_to=valid_to,
        goal=referral.job_goal,
        hours_per_week=Decimal("3.00"),
        supersedes_id=supersedes.id if supersedes else None,
    )
    db.add(agreement)
    db.flush()
    return agreement


def test_expiring_agreements_walk_daily_across_dst_and_christmas(db, users, scope):
    caseworker, coordinator = users["caseworker"], users["coordinator"]
    mentor = make_mentor(db)
    autumn = make_referral(db, caseworker, mentor=mentor, end_date=LATE)
    add_agreement(db, autumn, date(2026, 11, 8))
    renewed = make_referral(db, caseworker, mentor=mentor, end_date=LATE)
    old = add_agreement(db, renewed, date(2026, 11, 5))
    add_agreement(db, renewed, date(2027, 4, 30), supersedes=old)  # the old one is quiet
    winter = make_referral(db, caseworker, mentor=mentor, end_date=LATE)
    add_agreement(db, winter, date(2027, 1, 1))
    people = (caseworker.id, coordinator.id)

    assert walk(db, scope, "expiring_agreements", date(2026, 10, 20), date(2026, 11, 10)) == {
        date(2026, 10, 25): both(autumn, *people),  # the job runs daily, DST day included
    }
    assert walk(db, scope, "expiring_agreements", date(2026, 12, 14), date(2027, 1, 2)) == {
        date(2026, 12, 18): both(winter, *people),
    }


def test_hours_budget_walk_counts_the_dst_sunday_and_christmas(db, users, scope):
    caseworker = users["caseworker"]
    mentor = make_mentor(db)
    referral = make_referral(db, caseworker, mentor=mentor, end_date=LATE)
    people = (mentor.user_id, caseworker.id)
    # October and December 2026 both have 22 working days: 3 × 22 / 5 = 13.20 hours,
    # 80 % = 10.56 hours = 633.6 minutes.
    assert logbook_followup.granted_hours_for_month(referral, date(2026, 10, 1)) == Decimal("13.20")
    assert logbook_followup.granted_hours_for_month(referral, date(2026, 12, 1)) == Decimal("13.20")
    add_time(db, referral, date(2026, 10, 23), 600)
    add_time(db, referral, date(2026, 10, 25), 34)  # the DST Sunday: 634 minutes in October
    add_time(db, referral, date(2026, 12, 23), 600)
    add_time(db, referral, date(2026, 12, 25), 33)  # Christmas Day: 633 minutes, just under

    assert walk(db, scope, "hours_budget", date(2026, 10, 26), date(2026, 11, 6)) == {
        date(2026, 10, 26): both(referral, *people),
    }
    assert walk(db, scope, "hours_budget", date(2026, 12, 21), date(2026, 12, 31)) == {}
    add_time(db, referral, date(2026, 12, 28), 1)
    assert walk(db, scope, "hours_budget", date(2026, 12, 28), date(2027, 1, 8)) == {
        date(2026, 12, 28): both(referral, *people),
    }
    assert "december 2026" in notes(db, "hours_budget")[-1].text


def test_monthly_jobs_walk_once_a_month_from_the_first_day(db, users, scope):
    finance, coordinator = users["finance"], users["coordinator"]
    referral = make_referral(
        db,
        users["caseworker"],
        mentor=make_mentor(db),
        end_date=LATE,
        created_at=utc(2026, 1, 5, 9),
    )
    add_time(db, referral, date(2026, 10, 25), 90)  # the DST Sunday
    add_time(db, referral, date(2026, 12, 25), 30)  # Christmas Day
    make_referral(db, users["caseworker"], created_at=utc(2026, 9, 30, 22, 30))  # 1 Oct, CEST
    make_referral(db, users["caseworker"], created_at=utc(2026, 10, 31, 22, 30))  # 23:30 CET
    make_referral(db, users["caseworker"], created_at=utc(2026, 10, 31, 23, 30))  # 1 November

    # 1 November 2026 is a Sunday, 1 January 2027 a holiday: both run on the first.
    for first, last, month in (
        (date(2026, 10, 26), date(2026, 11, 12), "oktober 2026"),
        (date(2026, 12, 28), date(2027, 1, 12), "december 2026"),
    ):
        refund = walk(db, scope, "monthly_refund_draft", first, last)
        figures = walk(db, scope, "monthly_key_figures", first, last)
        first_of_month = last.replace(day=1)
        assert refund == {first_of_month: [(None, finance.id)]}
        assert figures == {first_of_month: [(None, coordinator.id)]}
        assert month in notes(db, "refund_draft")[-1].text
        assert month in notes(db, "key_figures")[-1].text
    texts = [n.text for n in notes(db, "refund_draft")]
    assert "1 borgere, 1,50 timer" in texts[0] and "1 borgere, 0,50 timer" in texts[1]
    assert "2 nye henvisninger" in notes(db, "key_figures")[0].text


def test_weekly_time_reminder_walk_across_christmas_and_new_year(db, users, scope):
    caseworker = users["caseworker"]
    idle, busy = make_mentor(db), make_mentor(db)
    make_referral(db, caseworker, mentor=idle, end_date=LATE)
    worked = make_referral(db, caseworker, mentor=busy, end_date=LATE)
    add_time(db, worked, date(2026, 12, 24), 60)  # Christmas Eve is a working day

    created = walk(db, scope, "weekly_time_reminder", date(2026, 12, 21), date(2027, 1, 13))
    # Runs Monday to Wednesday; each Monday reminds about the week before, once.
    assert created == {
        date(2026, 12, 21): sorted([(None, idle.user_id), (None, busy.user_id)]),  # week 51
        date(2026, 12, 28): [(None, idle.user_id)],  # week 52 (25 December a holiday)
        date(2027, 1, 4): sorted([(None, idle.user_id), (None, busy.user_id)]),  # week 53
        date(2027, 1, 11): sorted([(None, idle.user_id), (None, busy.user_id)]),  # week 1
    }
    weeks = Counter(n.text.split("uge ")[1].split(" ")[0] for n in notes(db, "time_reminder"))
    assert weeks == {"51": 2, "52": 1, "53": 2, "1": 2}


def test_weekly_time_reminder_after_the_start_of_summer_time(db, users, scope):
    mentor = make_mentor(db)
    make_referral(db, users["caseworker"], mentor=mentor, end_date=LATE)
    created = walk(db, scope, "weekly_time_reminder", date(2026, 3, 28), date(2026, 4, 1))
    assert created == {date(2026, 3, 30): [(None, mentor.user_id)]}
    assert "uge 13 (23. marts 2026 – 27. marts 2026)" in notes(db, "time_reminder")[0].text


# --- a job that fails half-way, run again ---------------------------------------------------

CRASH_DAY = date(2026, 11, 2)  # Monday after the DST change, first week of the month
# verify_journal notifies only on a broken hash chain; retention notifies nobody.
NOTIFYING = sorted(set(JOBS) - {"email_digest", "verify_journal", "retention"})


def world(db, users) -> None:
    """Rows that make every notifying job notify someone on CRASH_DAY, most of them twice."""
    caseworker = users["caseworker"]
    for _ in range(2):
        make_referral(db, caseworker, submitted_at=utc(2026, 10, 1, 8), end_date=LATE)
        mentor = make_mentor(db)
        referral = make_referral(
            db, caseworker, mentor=mentor, start_date=date(2026, 9, 1), end_date=date(2026, 11, 10)
        )
        add_agreement(db, referral, date(2026, 11, 10))
        add_time(db, referral, date(2026, 10, 14), 60)
        add_time(db, referral, CRASH_DAY, 700)


@pytest.mark.parametrize("name", NOTIFYING)
def test_a_job_failing_half_way_is_rolled_back_and_a_rerun_completes(
    db, users, scope, monkeypatch, name
):
    world(db, users)
    real = notices.notify
    calls = []

    def fails_after_the_first(session, **kwargs):
        created = real(session, **kwargs)
        calls.append(created)
        if len(calls) == 1:
            raise RuntimeError("forbindelsen til databasen gik tabt")
        return created

    for module in (corps_followup, logbook_followup, reports_followup, notices):
        monkeypatch.setattr(module, "notify", fails_after_the_first)
    with pytest.raises(RuntimeError):
        runner.run_job(name, CRASH_DAY, scope=scope)
    assert calls and calls[0] >= 1  # it had notified someone when it failed
    db.expire_all()
    [run] = db.exec(select(JobRun).where(JobRun.job == name)).all()
    assert run.status == "failed" and "gik tabt" in run.error
    assert notes(db) == []  # the half-done run left nothing behind

    outcome = runner.run_job(name, CRASH_DAY, scope=scope)  # still patched: calls go on
    created = int(outcome.rsplit("; ", 1)[1].split()[0])
    db.expire_all()
    made = notes(db)
    assert created == len(made) >= 1
    assert runner.run_job(name, CRASH_DAY, scope=scope).endswith("; 0 notifikationer")
    db.expire_all()
    assert len(notes(db)) == len(made)
    keys = Counter((n.user_id, n.dedup_key) for n in notes(db))
    assert set(keys.values()) == {1}
    [run] = db.exec(select(JobRun).where(JobRun.job == name)).all()
    assert run.status == "done" and run.error == ""


# --- the CLI: `mentorkorps jobs run NAME --today DAY` --------------------------------------

CLI_DAYS = [
    date(2026, 3, 28),  # Saturday
    date(2026, 3, 29),  # Sunday, summer time starts
    date(2026, 3, 30),
    date(2026, 4, 3),  # Good Friday
    date(2026, 4, 6),  # Easter Monday
    date(2026, 4, 7),
    date(2026, 10, 25),  # summer time ends
    date(2026, 11, 1),  # Sunday, first of the month
    date(2026, 12, 24),
    date(2026, 12, 25),  # Christmas Day
    date(2027, 1, 1),  # New Year's Day
]


def test_cli_time_travel_across_weekend_holidays_and_dst_without_duplicates(cli_database):
    from service.cli import app
    from service.core.db import get_engine, session_scope
    from service.notifications.models import Notification
    from tests.conftest import make_user

    cli = CliRunner()
    assert cli.invoke(app, ["migrate"]).exit_code == 0
    with session_scope(get_engine()) as session:
        users = {
            r: make_user(session, r, f"{r}@test.dk")
            for r in ("coordinator", "caseworker", "finance")
        }
        world(session, users)
        make_referral(session, users["caseworker"], submitted_at=utc(2026, 3, 20, 9), end_date=LATE)

    def notifications() -> list[tuple]:
        with session_scope(get_engine()) as session:
            return sorted(
                (n.user_id, n.dedup_key) for n in session.exec(select(Notification)).all()
            )

    for rerun in (False, True):
        before = notifications()
        for day in CLI_DAYS:
            for name in sorted(JOBS):
                result = cli.invoke(app, ["jobs", "run", name, "--today", day.isoformat()])
                assert result.exit_code == 0, result.output
                assert result.output.startswith(name)
                if rerun:
                    quiet = name in ("email_digest", "retention")  # they notify nobody
                    assert "0 notifikationer" in result.output or quiet
        if rerun:
            assert notifications() == before
    assert notifications(), "the walk should have notified someone"
    with session_scope(get_engine()) as session:
        runs = session.exec(select(JobRun)).all()
        assert Counter((r.job, r.run_date) for r in runs) == {
            (name, day): 1 for name in JOBS for day in CLI_DAYS
        }
        assert {r.status for r in runs} == {"done"}
