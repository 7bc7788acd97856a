"""Run registered jobs (by hand, or from the scheduler) and list them.

Every run goes through `run_job`: claim the (job, day) run record, run the job in its own
transaction, record the outcome (or the error), then mail pending notifications when SMTP
is configured. See `service.jobs.runs` for what a rerun or a concurrent run does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date

from sqlmodel import Session

from reports.core.danish import TIMEZONE, long_date
from service.core.db import session_scope
from service.jobs.registry import JOBS
from service.jobs.runs import Busy, JobRun, claim, finish, latest_runs
from service.notifications import mail

Scope = Callable[[], AbstractContextManager[Session]]
log = logging.getLogger(__name__)


class UnknownJob(KeyError):
    def __str__(self) -> str:
        names = ", ".join(sorted(JOBS)) or "ingen"
        return f"ukendt job {self.args[0]!r} (kendte job: {names})"


def run_job(name: str, today: date, *, scope: Scope | None = None, trigger: str = "manual") -> str:
    """Run one job for `today` in its own transaction; return its outcome line."""
    job = JOBS.get(name)
    if job is None:
        raise UnknownJob(name)
    scope = scope or session_scope
    with scope() as session:
        run = claim(session, job=name, day=today, trigger=trigger)
        run_id = None if isinstance(run, Busy) else run.id
    if run_id is None:
        started = run.started_at.astimezone(TIMEZONE)
        day = long_date(today)
        return f"{name}: kører allerede for {day} (startet {started:%H:%M}); intet gjort"
    try:
        with scope() as session:
            outcome = job.run(session, today)
    except Exception as error:
        with scope() as session:
            finish(session, run_id, error=f"{type(error).__name__}: {error}")
        raise
    with scope() as session:
        finish(session, run_id, outcome=outcome)
    if mail.enabled():
        mail.deliver_pending(scope)
    return outcome


def scope_of(factory: Callable[[], Session]) -> Scope:
    """A scope (commit on success, roll back on error) over sessions from `factory`."""

    @contextmanager
    def scope() -> Iterator[Session]:
        session = factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    return scope


def run_by_hand(name: str, today: date, factory: Callable[[], Session]) -> None:
    """Run a job an admin started from the jobs page, after the page answered.

    Its outcome or error lands in the job's run record, which the page shows; a failure is
    logged here, as no request waits for it.
    """
    try:
        log.info("%s", run_job(name, today, scope=scope_of(factory), trigger="manual"))
    except Exception:
        log.exception("job %s, started by hand, failed", name)


def _when(run: JobRun | None) -> str:
    if run is None:
        return "aldrig kørt"
    started = run.started_at.astimezone(TIMEZONE)
    return f"{run.run_date} ({started:%d.%m %H:%M}) {run.status}"


def job_table(session: Session) -> list[tuple[str, ...]]:
    """Rows of (name, schedule, last run, outcome) for `jobs list`, columns aligned."""
    latest = latest_runs(session)
    rows = []
    for job in JOBS.values():
        run = latest.get(job.name)
        schedule = " ".join(f"{k}={v}" for k, v in job.cron.items())
        outcome = (run.error or run.outcome) if run else job.description
        rows.append((job.name, schedule, _when(run), outcome))
    widths = [max(len(row[i]) for row in rows) for i in range(3)] if rows else []
    return [
        tuple(v.ljust(w) for v, w in zip(row[:3], widths, strict=True)) + row[3:] for row in rows
    ]
