"""The job-run record: reruns, a concurrent run, a crash half-way; the CLI."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from reports.core.danish import long_date
from service.core.clock import utcnow
from service.jobs import runner
from service.jobs.registry import JOBS, Job
from service.jobs.runs import JobRun
from service.notifications.inbox import notify
from tests.factories import make_referral
from tests.service.jobs.conftest import notes, utc

DAY = date(2026, 4, 10)


def runs(db, job):
    return list(db.exec(select(JobRun).where(JobRun.job == job)).all())


def test_a_run_is_recorded_and_a_rerun_notifies_nobody_twice(db, users, scope):
    make_referral(db, users["caseworker"], submitted_at=utc(2026, 3, 2, 9))
    first = runner.run_job("unmatched_referrals", DAY, scope=scope)
    again = runner.run_job("unmatched_referrals", DAY, scope=scope)
    assert first.endswith("1 notifikationer") and again.endswith("0 notifikationer")
    assert len(notes(db)) == 1
    [run] = runs(db, "unmatched_referrals")
    assert run.status == "done" and run.outcome == again and run.finished_at >= run.started_at


def test_a_concurrent_run_for_the_same_day_is_refused(db, users, scope):
    make_referral(db, users["caseworker"], submitted_at=utc(2026, 3, 2, 9))
    db.add(JobRun(job="unmatched_referrals", run_date=DAY, status="running"))
    db.flush()
    outcome = runner.run_job("unmatched_referrals", DAY, scope=scope)
    assert "kører allerede" in outcome and notes(db) == []
    assert DAY.isoformat() not in outcome and long_date(DAY) in outcome


def test_a_run_that_died_half_way_is_taken_over_without_duplicates(db, users, scope):
    referral = make_referral(db, users["caseworker"], submitted_at=utc(2026, 3, 2, 9))
    # The process died after notifying but before finishing its run record.
    notify(
        db,
        user_ids=[users["coordinator"].id],
        kind="unmatched_referral",
        text="x",
        referral_id=referral.id,
        dedup_key=f"unmatched_referrals:r{referral.id}:2026-03-02",
    )
    db.add(
        JobRun(
            job="unmatched_referrals",
            run_date=DAY,
            status="running",
            started_at=utcnow() - timedelta(hours=2),
        )
    )
    db.flush()
    outcome = runner.run_job("unmatched_referrals", DAY, scope=scope)
    assert outcome.endswith("0 notifikationer") and len(notes(db)) == 1
    assert runs(db, "unmatched_referrals")[0].status == "done"


def test_a_job_failing_half_way_rolls_back_and_a_rerun_completes(db, users, scope, monkeypatch):
    make_referral(db, users["caseworker"], submitted_at=utc(2026, 3, 2, 9))
    real = JOBS["unmatched_referrals"]

    def crashes(session, today):
        real.run(session, today)
        raise RuntimeError("connection lost")

    monkeypatch.setitem(JOBS, real.name, Job(real.name, crashes, real.cron, real.description))
    with pytest.raises(RuntimeError):
        runner.run_job(real.name, DAY, scope=scope)
    [run] = runs(db, real.name)
    assert run.status == "failed" and "connection lost" in run.error and notes(db) == []
    monkeypatch.setitem(JOBS, real.name, real)
    assert runner.run_job(real.name, DAY, scope=scope).endswith("1 notifikationer")
    assert runner.run_job(real.name, DAY, scope=scope).endswith("0 notifikationer")
    assert len(notes(db)) == 1
    db.expire_all()
    assert runs(db, real.name)[0].status == "done"


def test_unknown_job():
    with pytest.raises(runner.UnknownJob):
        runner.run_job("nope", DAY)


def test_cli_jobs_run_and_list(cli_database):
    from service.cli import app

    cli = CliRunner()
    assert cli.invoke(app, ["migrate"]).exit_code == 0
    for name in sorted(JOBS):
        result = cli.invoke(app, ["jobs", "run", name, "--today", "2026-04-07"])
        assert result.exit_code == 0, result.output
        assert result.output.startswith(name)
    listed = cli.invoke(app, ["jobs", "list"])
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    for name in JOBS:
        [line] = [line for line in lines if line.startswith(name + " ")]
        assert "2026-04-07" in line and "done" in line
        said = {"email_digest": "SMTP", "retention": "forløb slettet"}
        assert said.get(name, "notifikationer") in line
    bad = cli.invoke(app, ["jobs", "run", "nope"])
    assert bad.exit_code == 2 and "ukendt job" in bad.output
    bad_day = cli.invoke(app, ["jobs", "run", "hours_budget", "--today", "7/4"])
    assert bad_day.exit_code == 2
