"""The retention rules (the nightly `retention` job): closed courses older than
RETENTION_YEARS go, and read/search rows of the audit trail older than ACCESS_LOG_MONTHS.

What a deleted course takes with it: the referral and every row that points at it (logbook
entries with their versions and shown marks, time entries, sub-goals, status events,
agreements, assignments, covers, notifications), and its citizen when no course is left.

Also the counters of failed logins that no longer count (a day old, no lock in force).

What stays:
- refund claims, always (the database refuses their deletion): a ready claim keeps its
  period, totals and the workbook exactly as claimed, with its sha256;
- a course with time inside the period of a claim whose workbook is not built yet
  ('building' or 'failed'): the build recomputes from those entries, so the course waits
  until the claim is ready;
- the other audit rows of a deleted course and citizen (who did what, when and why, by id:
  no content); only their read and search rows go, after ACCESS_LOG_MONTHS like everyone's.

Each deleted course leaves one audit row (entity referral, action delete, purpose
administration) with the counts per table, never the deleted content.

On PostgreSQL the deletion needs the tables' owner (the runtime role may not delete journal
rows): with MIGRATION_DATABASE_URL set the job does its work on its own connection as that
owner, committed on its own; otherwise it runs in the caller's session and refuses to start
unless that session's user owns the tables.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from logbook.models import TimeEntry
from reports.core.danish import local_midnight, month_bounds
from reports.models import RefundClaim
from service.audit.service import Actor, record
from service.auth import lockout
from service.core.clock import utcnow
from service.core.db import make_engine, session_scope, table_of
from service.core.settings import get_settings
from service.corps.models import Referral
from service.retention.deletion import delete_course, prune_access_log, retention_pass

ACTOR = Actor(None)
LABEL = "retention"


class NotOwner(RuntimeError):
    """The job's connection does not own the journal tables (PostgreSQL)."""


def years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def months_before(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 - months
    first = date(index // 12, index % 12 + 1, 1)
    return first.replace(day=min(today.day, month_bounds(first)[1].day))


def _check_owner(session: Session) -> None:
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    owner = connection.execute(
        sa.text(
            "SELECT pg_has_role(current_user, relowner, 'MEMBER') FROM pg_class "
            "WHERE oid = 'logbook_version'::regclass"
        )
    ).scalar_one()
    if not owner:
        raise NotOwner(
            "retention sletter som tabellernes ejer: sæt MIGRATION_DATABASE_URL "
            "(eller kør `mentorkorps jobs run retention` med ejerens DATABASE_URL)"
        )


def _due(session: Session, before: datetime) -> tuple[list[tuple], set[int]]:
    """Closed courses closed before `before` (id, citizen id, closed at), and those of them
    that a claim without its workbook still needs."""
    referral, entry, claim = (table_of(m) for m in (Referral, TimeEntry, RefundClaim))
    due = session.execute(
        sa.select(referral.c.id, referral.c.citizen_id, referral.c.closed_at)
        .where(referral.c.status == "closed", referral.c.closed_at < before)
        .order_by(referral.c.id)
    ).all()
    waiting = session.execute(
        sa.select(entry.c.referral_id)
        .join(
            claim,
            sa.and_(claim.c.period_from <= entry.c.date, claim.c.period_to >= entry.c.date),
        )
        .join(referral, referral.c.id == entry.c.referral_id)
        .where(
            claim.c.status != "ready",
            referral.c.status == "closed",
            referral.c.closed_at < before,
        )
        .distinct()
    ).scalars()
    return [tuple(row) for row in due], set(waiting)


def apply_retention(session: Session, today: date, years: int, months: int) -> str:
    """Delete what the rules say is due on `today`, audited; return the outcome line."""
    _check_owner(session)
    courses, waiting = _due(session, local_midnight(years_before(today, years)))
    deleted = citizens = 0
    with retention_pass(session):
        for referral_id, citizen_id, closed_at in courses:
            if referral_id in waiting:
                continue
            counts, gone = delete_course(session, referral_id)
            deleted += 1
            citizens += gone is not None
            record(
                session,
                ACTOR,
                "delete",
                purpose="administration",
                entity="referral",
                entity_id=referral_id,
                citizen_id=citizen_id,
                detail={
                    "rule": f"afsluttet for mere end {years} år siden",
                    "closed_at": closed_at.isoformat(),
                    "deleted": counts,
                    "citizen_deleted": gone is not None,
                },
                actor_label=LABEL,
            )
        before = local_midnight(months_before(today, months))
        pruned = prune_access_log(session, before)
        if pruned:
            record(
                session,
                ACTOR,
                "delete",
                purpose="administration",
                entity="audit_event",
                detail={
                    "actions": ["read", "search"],
                    "before": before.isoformat(),
                    "rows": pruned,
                },
                actor_label=LABEL,
            )
        session.flush()
    # Every lock-out window is under an hour: a day-old count without a lock counts no more.
    counters = lockout.purge_stale(session, utcnow(), older_than=timedelta(days=1))
    waited = len(waiting)
    return (
        f"retention: {deleted} forløb slettet ({citizens} borgere), "
        f"{waited} venter på et refusionskrav; "
        f"{pruned} læse- og søgerækker ældre end {months} måneder fjernet; "
        f"{counters} udløbne login-tællere fjernet"
    )


def retention(session: Session, today: date) -> str:
    """The job: as the owner (MIGRATION_DATABASE_URL) on PostgreSQL when set, else here."""
    settings = get_settings()
    years, months = settings.retention_years, settings.access_log_months
    owner_url = settings.migration_database_url
    if owner_url and session.connection().dialect.name == "postgresql":
        engine = make_engine(owner_url, pool_size=1)
        try:
            with session_scope(engine) as owner:
                return apply_retention(owner, today, years, months)
        finally:
            engine.dispose()
    return apply_retention(session, today, years, months)
