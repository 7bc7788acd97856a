"""Exactly one runner per database, and schedules in Danish time across DST."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from reports.core.danish import TIMEZONE
from service.jobs import schedule
from service.jobs.registry import JOBS

TEST_KEY = 424242  # not the app's key: a running app must not interfere


@pytest.fixture
def pg_engine(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    return engine


def test_only_one_of_two_connections_gets_the_advisory_lock(pg_engine):
    first = schedule.AdvisoryLock(pg_engine, key=TEST_KEY)
    second = schedule.AdvisoryLock(pg_engine, key=TEST_KEY)
    try:
        assert first.acquire() is True
        assert second.acquire() is False
        assert first.alive()
        first.release()  # closing its connection releases the lock
        assert second.acquire() is True
    finally:
        first.release()
        second.release()


def test_the_lock_goes_when_the_holding_connection_dies(pg_engine):
    holder = schedule.AdvisoryLock(pg_engine, key=TEST_KEY)
    standby = schedule.AdvisoryLock(pg_engine, key=TEST_KEY)
    try:
        assert holder.acquire()
        pid = holder._connection.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        with pg_engine.connect() as other:
            other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        assert standby.acquire() is True
        assert holder.alive() is False  # the dead holder notices and stops
    finally:
        holder.release()
        standby.release()


def test_file_lock_admits_one_holder(tmp_path):
    first = schedule.FileLock(tmp_path / "db.sqlite3.scheduler.lock")
    second = schedule.FileLock(tmp_path / "db.sqlite3.scheduler.lock")
    assert first.acquire() and not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_runner_lock_fits_the_database(tmp_path):
    sqlite = sa.create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    lock = schedule.runner_lock(sqlite)
    assert isinstance(lock, schedule.FileLock)
    assert lock.path == tmp_path / "x.sqlite3.scheduler.lock"


def test_schedules_stay_at_seven_danish_time_across_dst():
    trigger = schedule.trigger_for(JOBS["unmatched_referrals"].cron)
    before = datetime(2026, 3, 27, 8, 0, tzinfo=TIMEZONE)  # Friday, CET
    fire = trigger.get_next_fire_time(None, before)
    assert fire == datetime(2026, 3, 30, 7, 0, tzinfo=TIMEZONE)  # Monday, CEST
    assert fire.utcoffset().total_seconds() == 7200


def test_last_fire_today_finds_a_missed_run():
    trigger = schedule.trigger_for(JOBS["unmatched_referrals"].cron)
    assert schedule.last_fire_today(trigger, datetime(2026, 4, 7, 9, 0, tzinfo=TIMEZONE)) == (
        datetime(2026, 4, 7, 7, 0, tzinfo=TIMEZONE)
    )
    assert schedule.last_fire_today(trigger, datetime(2026, 4, 7, 6, 0, tzinfo=TIMEZONE)) is None
    saturday = datetime(2026, 4, 11, 9, 0, tzinfo=TIMEZONE)
    assert schedule.last_fire_today(trigger, saturday) is None


def wait_for(condition, seconds: float = 5.0) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_two_schedulers_on_one_database_one_runs_then_the_other_takes_over(engine, monkeypatch):
    monkeypatch.setattr(schedule, "JOBS", {})  # no job may commit into the shared test database
    monkeypatch.setattr(schedule, "RETRY_SECONDS", 0.1)
    first = schedule.JobScheduler(engine).start()
    assert wait_for(lambda: first.running)
    second = schedule.JobScheduler(engine).start()
    try:
        assert not wait_for(lambda: second.running, seconds=0.5)
        first.stop()  # the runner goes away (as when its process dies)
        assert wait_for(lambda: second.running)
        assert second.scheduler.timezone.key == "Europe/Copenhagen"
    finally:
        first.stop()
        second.stop()


def within(seconds: float, call):
    """call() in a thread; fail instead of hanging when it takes longer than `seconds`."""
    import threading

    result = []
    worker = threading.Thread(target=lambda: result.append(call()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert result, f"did not return within {seconds}s"
    return result[0]


def test_last_fire_today_is_quick_for_a_frequent_schedule():
    trigger = schedule.trigger_for({"second": "*/2"})  # as SCHEDULER_CRON_OVERRIDE in tests
    evening = datetime(2026, 11, 23, 19, 0, 1, tzinfo=TIMEZONE)
    # The scheduler computes this for every job when it starts.
    found = within(0.5, lambda: schedule.last_fire_today(trigger, evening))
    assert found == datetime(2026, 11, 23, 19, 0, 0, tzinfo=TIMEZONE)


@pytest.mark.parametrize(
    ("cron", "now", "expected"),
    [
        ({"second": "*/2"}, (23, 59, 59), (23, 59, 58)),
        ({"minute": "*/30"}, (23, 59, 0), (23, 30, 0)),
        ({"hour": 2, "minute": 30}, (9, 0, 0), (2, 30, 0)),
        ({"minute": "*/30"}, (3, 10, 0), None),  # just after the repeated hour
    ],
)
def test_last_fire_today_ends_on_the_day_summer_time_ends(cron, now, expected):
    # On 25 October 2026 the hour 02:00–03:00 comes twice; APScheduler 3's next fire time
    # steps back into it, which made the search loop for ever.
    trigger = schedule.trigger_for(cron)
    moment = datetime(2026, 10, 25, *now, tzinfo=TIMEZONE)
    found = within(2, lambda: schedule.last_fire_today(trigger, moment))
    assert found is not None and found.timestamp() <= moment.timestamp()
    assert found.date() == moment.date()
    if expected:
        assert found.timetuple()[3:6] == expected


def test_cron_override_replaces_every_schedule_for_tests(monkeypatch):
    job = JOBS["unmatched_referrals"]
    monkeypatch.delenv(schedule.CRON_OVERRIDE_ENV, raising=False)
    assert schedule.cron_for(job) == job.cron
    monkeypatch.setenv(schedule.CRON_OVERRIDE_ENV, "second=*/2")
    assert schedule.cron_for(job) == {"second": "*/2"}
    monkeypatch.setenv(schedule.CRON_OVERRIDE_ENV, "sekund=*/2")
    with pytest.raises(TypeError):
        schedule.cron_for(job)
