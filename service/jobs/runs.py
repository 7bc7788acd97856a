"""The job-run record: one row per (job, run date) makes each job's day claimable once.

A run claims its row (status `running`), then finishes it `done` with the outcome line or
`failed` with the error. A second run while the row is `running` (and not stale) is
refused; a rerun of a `done` or `failed` day, or of a stale `running` one (a process that
died half-way), takes the row over and runs again; notification dedup keys keep it from
notifying anyone twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select

from service.core.clock import utcnow
from service.core.db import insert_ignoring_conflict, rowcount, table_of
from service.core.types import UTCDateTime

STALE_AFTER = timedelta(minutes=30)


class JobRun(SQLModel, table=True):
    __tablename__ = "job_run"
    __table_args__ = (sa.UniqueConstraint("job", "run_date"),)

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    job: str = Field(max_length=60)
    run_date: date
    status: str = Field(default="running", max_length=10)  # running | done | failed
    trigger: str = Field(default="manual", max_length=10)  # manual | schedule
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    outcome: str = Field(default="", sa_type=sa.Text)
    error: str = Field(default="", sa_type=sa.Text)


@dataclass(frozen=True)
class Busy:
    """The day's run is already under way elsewhere."""

    started_at: datetime


def claim(
    session: Session, *, job: str, day: date, trigger: str = "manual", now: datetime | None = None
) -> JobRun | Busy:
    """Claim the (job, day) row for this run, or return Busy when a live run holds it."""
    now = now or utcnow()
    fresh = {"job": job, "run_date": day, "status": "running", "trigger": trigger}
    fresh |= {"started_at": now, "outcome": "", "error": ""}
    if insert_ignoring_conflict(session, table_of(JobRun), fresh, ["job", "run_date"]) == 1:
        return session.exec(select(JobRun).where(JobRun.job == job, JobRun.run_date == day)).one()
    row = session.exec(select(JobRun).where(JobRun.job == job, JobRun.run_date == day)).one()
    if row.status == "running" and row.started_at > now - STALE_AFTER:
        return Busy(row.started_at)
    taken = rowcount(
        session.execute(
            sa.update(JobRun)
            .where(
                col(JobRun.id) == row.id,
                col(JobRun.status) == row.status,
                col(JobRun.started_at) == row.started_at,
            )
            .values(status="running", trigger=trigger, started_at=now, finished_at=None, error="")
        )
    )
    if taken != 1:
        return Busy(row.started_at)
    session.refresh(row)
    return row


def finish(session: Session, run_id: int, *, outcome: str = "", error: str = "") -> None:
    """Mark a claimed run `done` with its outcome, or `failed` with its error."""
    row = session.get_one(JobRun, run_id)
    row.status = "failed" if error else "done"
    row.finished_at = utcnow()
    row.outcome = outcome
    row.error = error[:4000]
    session.add(row)
    session.flush()


def latest_runs(session: Session) -> dict[str, JobRun]:
    """The newest run of each job, by job name."""
    newest = (
        select(JobRun.job, sa.func.max(JobRun.started_at).label("at"))
        .group_by(JobRun.job)
        .subquery()
    )
    rows = session.exec(
        select(JobRun).join(
            newest,
            sa.and_(col(JobRun.job) == newest.c.job, col(JobRun.started_at) == newest.c.at),
        )
    ).all()
    return {row.job: row for row in rows}


def has_run(session: Session, job: str, day: date) -> bool:
    """True when (job, day) has a run record (any status)."""
    return (
        session.exec(select(JobRun.id).where(JobRun.job == job, JobRun.run_date == day)).first()
        is not None
    )
