"""Retention by rule: old closed courses go with their logbook and time, audited; read rows
of the audit trail go after ACCESS_LOG_MONTHS; nothing else may delete journal rows."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select
from typer.testing import CliRunner

from logbook.models import LogbookEntry, LogbookShown, LogbookVersion, TimeEntry
from reports.models import RefundClaim
from service.audit.models import AuditEvent
from service.auth.models import LoginFailure
from service.core.clock import utcnow
from service.corps.models import Citizen, MentorAgreement, Referral, ReferralEvent, SubGoal
from service.jobs import runner
from service.jobs.registry import JOBS
from service.notifications.models import Notification
from service.retention.rules import retention
from tests.factories import make_citizen, make_mentor, make_referral
from tests.service.jobs.conftest import add_logbook, add_time, utc

TODAY = date(2026, 12, 1)
SECRET = "Hemmelig logbogstekst"


def count(db, model, **where) -> int:
    query = select(sa.func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.exec(query).one()


def course(db, users, mentor, *, closed_at=None, citizen=None, day=date(2019, 5, 6)):
    """A course with a logbook entry (two versions, shown), time on `day`, a status event,
    an agreement and a notification."""
    referral = make_referral(
        db,
        users["caseworker"],
        citizen=citizen,
        mentor=mentor,
        status="closed" if closed_at else "active",
        closed_at=closed_at,
        start_date=date(2019, 1, 7),
        end_date=date(2019, 12, 20),
    )
    entry = add_logbook(db, referral, day, users["mentor"].id)
    for version, text in ((1, SECRET), (2, f"{SECRET} (rettet)")):
        db.add(
            LogbookVersion(entry_id=entry.id, version=version, text=text, author_id=entry.author_id)
        )
    db.add(LogbookShown(entry_id=entry.id, by_id=entry.author_id))
    add_time(db, referral, day, 90)
    db.add(ReferralEvent(referral_id=referral.id, to_status="submitted", reason=SECRET))
    db.add(
        MentorAgreement(
            referral_id=referral.id,
            mentor_id=mentor.id,
            mentor_name="M",
            mentor_contact="m@x.dk",
            valid_from=date(2019, 1, 7),
            valid_to=date(2019, 6, 30),
            goal="Mål",
            tasks="Opgaver",
            hours_per_week=3,
        )
    )
    db.add(
        Notification(
            user_id=users["caseworker"].id,
            kind="x",
            text=SECRET,
            referral_id=referral.id,
            dedup_key=f"t{referral.id}",
        )
    )
    db.flush()
    return referral


OLD = utc(2021, 3, 1, 12)  # closed more than 5 years before TODAY
YOUNG = utc(2022, 6, 1, 12)  # closed 4½ years before TODAY


@pytest.fixture
def world(db, users):
    mentor = make_mentor(db, user=users["mentor"])
    shared_citizen = make_citizen(db)
    courses = {
        "alone": course(db, users, mentor, closed_at=OLD),
        "shared_old": course(db, users, mentor, closed_at=OLD, citizen=shared_citizen),
        "shared_open": course(db, users, mentor, citizen=shared_citizen),
        "recent": course(db, users, mentor, closed_at=YOUNG),
        "claimed": course(db, users, mentor, closed_at=OLD, day=date(2019, 3, 4)),
    }
    # A claim whose workbook is still to be built (failed, to be built again) needs the
    # entries of its period: the course with time in March 2019 waits for it.
    db.add(
        RefundClaim(
            period_from=date(2019, 3, 1),
            period_to=date(2019, 3, 31),
            created_by=users["finance"].id,
            workbook=b"",
            sha256="",
            status="failed",
        )
    )
    # A ready claim (workbook stored) over the other courses' time keeps only itself.
    db.add(
        RefundClaim(
            period_from=date(2019, 5, 1),
            period_to=date(2019, 5, 31),
            created_by=users["finance"].id,
            workbook=b"stored",
            sha256="abc",
        )
    )
    db.flush()
    return courses


def test_the_job_is_registered():
    assert "retention" in JOBS and JOBS["retention"].run is retention


def test_old_closed_courses_are_deleted_with_their_logbook_and_time(db, world):
    ids = {name: r.id for name, r in world.items()}
    citizens = {name: r.citizen_id for name, r in world.items()}
    entries = {
        name: db.exec(select(LogbookEntry.id).where(LogbookEntry.referral_id == i)).one()
        for name, i in ids.items()
    }
    outcome = retention(db, TODAY)
    db.expire_all()
    assert outcome.startswith("retention: 2 forløb slettet")
    for name in ("alone", "shared_old"):
        assert db.get(Referral, ids[name]) is None
        assert count(db, LogbookEntry, referral_id=ids[name]) == 0
        assert count(db, LogbookVersion, entry_id=entries[name]) == 0
        assert count(db, LogbookShown, entry_id=entries[name]) == 0
        assert count(db, TimeEntry, referral_id=ids[name]) == 0
        assert count(db, SubGoal, referral_id=ids[name]) == 0
        assert count(db, ReferralEvent, referral_id=ids[name]) == 0
        assert count(db, MentorAgreement, referral_id=ids[name]) == 0
        assert count(db, Notification, referral_id=ids[name]) == 0
    assert db.get(Citizen, citizens["alone"]) is None  # no course left
    assert db.get(Citizen, citizens["shared_old"]) is not None  # still has an open course
    for name in ("shared_open", "recent", "claimed"):  # open, too young, needed by a claim
        assert db.get(Referral, ids[name]) is not None
        assert count(db, LogbookVersion, entry_id=entries[name]) == 2
        assert count(db, TimeEntry, referral_id=ids[name]) == 1
    assert count(db, RefundClaim) == 2  # claims are never deleted

    audits = db.exec(
        select(AuditEvent).where(AuditEvent.entity == "referral", AuditEvent.action == "delete")
    ).all()
    assert sorted(a.entity_id for a in audits) == sorted([ids["alone"], ids["shared_old"]])
    alone = next(a for a in audits if a.entity_id == ids["alone"])
    assert alone.purpose == "administration" and alone.citizen_id == citizens["alone"]
    deleted = alone.detail["deleted"]
    assert deleted["referral"] == 1 and deleted["logbook_version"] == 2
    assert deleted["time_entry"] == 1 and deleted["citizen"] == 1
    assert alone.detail["citizen_deleted"] is True
    assert SECRET not in json.dumps([a.detail for a in audits])

    again = retention(db, TODAY)  # nothing more to do
    assert again.startswith("retention: 0 forløb slettet")


def test_a_course_waits_for_the_claim_that_needs_it(db, world):
    claimed = world["claimed"].id
    retention(db, TODAY)
    claim = db.exec(select(RefundClaim).where(RefundClaim.status == "failed")).one()
    db.execute(
        sa.update(RefundClaim.__table__)
        .where(RefundClaim.__table__.c.id == claim.id)
        .values(status="ready", workbook=b"built", sha256="def")
    )
    outcome = retention(db, TODAY)
    assert outcome.startswith("retention: 1 forløb slettet")
    db.expire_all()
    assert db.get(Referral, claimed) is None


def test_deleting_outside_the_job_is_still_refused(db, world):
    retention(db, TODAY)  # the pass is closed again when the job is done
    entry = db.exec(
        select(LogbookEntry.id).where(LogbookEntry.referral_id == world["recent"].id)
    ).one()
    for sql in (
        "DELETE FROM logbook_version WHERE entry_id = :id",
        "DELETE FROM logbook_shown WHERE entry_id = :id",
        "DELETE FROM logbook_entry WHERE id = :id",
        "DELETE FROM audit_event WHERE id > :id - :id",
        "DELETE FROM referral_event WHERE referral_id > :id - :id",
    ):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), db.begin_nested():
            db.connection().execute(sa.text(sql), {"id": entry})


def test_read_rows_of_the_audit_trail_go_after_24_months(db, users):
    def row(action: str, at) -> int:
        event = AuditEvent(at=at, action=action, purpose="casework", entity="referral")
        db.add(event)
        db.flush()
        return event.id

    old = utc(2024, 11, 15, 12)  # 24½ months before TODAY
    young = utc(2024, 12, 15, 12)  # 23½ months
    gone = [row("read", old), row("search", old)]
    kept = [row("read", young), row("search", young), row("update", old), row("login", old)]
    outcome = retention(db, TODAY)
    assert "2 læse- og søgerækker" in outcome
    db.expire_all()
    assert all(db.get(AuditEvent, i) is None for i in gone)
    assert all(db.get(AuditEvent, i) is not None for i in kept)
    [note] = db.exec(select(AuditEvent).where(AuditEvent.entity == "audit_event")).all()
    assert (note.action, note.purpose, note.detail["rows"]) == ("delete", "administration", 2)


def test_stale_login_failure_counts_go_and_live_locks_stay(db):
    """Typed e-mails and addresses of failed logins are kept only while they count."""
    now = utcnow()  # counters live in real time, whatever day the job is run for
    stale = LoginFailure(
        key="account:x@y.dk|192.0.2.1", email="x@y.dk", failures=3, first_at=now - timedelta(days=2)
    )
    ran_out = LoginFailure(
        key="address:192.0.2.2",
        failures=20,
        first_at=now - timedelta(days=2),
        locked_until=now - timedelta(days=1),
    )
    fresh = LoginFailure(key="address:192.0.2.3", failures=2, first_at=now - timedelta(hours=1))
    locked = LoginFailure(
        key="account:a@b.dk|192.0.2.4",
        email="a@b.dk",
        failures=5,
        first_at=now - timedelta(days=2),
        locked_until=now + timedelta(hours=1),
    )
    db.add_all([stale, ran_out, fresh, locked])
    db.flush()
    outcome = retention(db, TODAY)
    assert "2 udløbne login-tællere" in outcome
    db.expire_all()
    keys = set(db.exec(select(LoginFailure.key)).all())
    assert keys == {"address:192.0.2.3", "account:a@b.dk|192.0.2.4"}


def test_the_settings_set_the_rules(db, world, monkeypatch):
    from service.core.settings import get_settings

    monkeypatch.setenv("RETENTION_YEARS", "7")
    get_settings.cache_clear()
    try:
        assert retention(db, TODAY).startswith("retention: 0 forløb slettet")
        assert retention(db, TODAY + timedelta(days=366 * 2)).startswith(
            "retention: 2 forløb slettet"
        )
    finally:
        get_settings.cache_clear()


def test_jobs_run_retention_from_the_command_line(cli_database):
    from service.cli import app

    cli = CliRunner()
    assert cli.invoke(app, ["migrate"]).exit_code == 0
    result = cli.invoke(app, ["jobs", "run", "retention", "--today", "2026-12-01"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("retention: 0 forløb slettet")


def test_runner_records_the_run(db, world, scope):
    outcome = runner.run_job("retention", TODAY, scope=scope)
    assert outcome.startswith("retention: 2 forløb slettet")
