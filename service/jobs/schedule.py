"""APScheduler 3 in the app process, with exactly one runner per database.

APScheduler 3 cannot share a job store between processes, so each process that has
SCHEDULER_ENABLED=true competes for one runner lock and only the holder schedules jobs:

- PostgreSQL: a session-level `pg_try_advisory_lock` held on a dedicated connection for the
  process's lifetime. The server releases it when that connection ends, i.e. when the
  process dies; a standby process retries every minute and takes over.
- SQLite: an exclusive `flock` on a file beside the database (`<db>.scheduler.lock`; under
  `var/` for an in-memory database); the operating system releases it when the process dies.

The scheduler runs in Europe/Copenhagen with coalescing, one instance per job and a 6-hour
misfire grace; on start it also catches up each job whose last scheduled time today passed
while no process ran it (no run record for today). Every execution goes through
`service.jobs.runner.run_job` (run record, `session_scope`), as `mentorkorps jobs run` does.
Every few minutes it also mails the outbox (with SMTP) and resumes background work (big
exports, claim workbooks) whose run went silent (`reports.work.resume`).

Each process logs whether it runs the jobs or stands by; on PostgreSQL the lock's
connection carries `application_name` `mentorkorps-scheduler:<host>:<pid>`, so
`pg_stat_activity` shows which process holds it.

For tests only: `SCHEDULER_CRON_OVERRIDE` (cron fields, e.g. `second=*/2`) replaces every
job's schedule, so a test can make the jobs due at once (tests/service/jobs/test_processes.py).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import socket
import threading
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.engine import Engine

from reports import work
from reports.core.danish import TIMEZONE
from service.core import clock
from service.core.db import new_session, session_scope
from service.core.settings import DEFAULT_HOURLY_RATE, VAR_DIR
from service.jobs.registry import JOBS, Job
from service.jobs.runner import run_job
from service.jobs.runs import has_run
from service.notifications import mail

log = logging.getLogger(__name__)
LOCK_NAME = "mentorkorps.scheduler"
# pg advisory lock keys are bigint: a stable one derived from the name.
LOCK_KEY = int.from_bytes(hashlib.sha256(LOCK_NAME.encode()).digest()[:8], "big", signed=True)
MISFIRE_GRACE = timedelta(hours=6)
RETRY_SECONDS = 60
OUTBOX_MINUTES = 2
BACKGROUND_MINUTES = 2  # resume background work a dead process left (reports/work.py)
CRON_OVERRIDE_ENV = "SCHEDULER_CRON_OVERRIDE"


def runner_name() -> str:
    """This process as `<host>:<pid>` (in logs and in the lock connection's application_name)."""
    return f"{socket.gethostname()}:{os.getpid()}"


class AdvisoryLock:
    """The runner lock on PostgreSQL: a session advisory lock on a dedicated connection."""

    def __init__(self, engine: Engine, key: int = LOCK_KEY):
        # Its own engine without a pool: the connection lives exactly as long as the lock.
        name = f"mentorkorps-scheduler:{runner_name()}"[:63]  # PostgreSQL's NAMEDATALEN
        self._engine = sa.create_engine(
            engine.url, poolclass=sa.pool.NullPool, connect_args={"application_name": name}
        )
        self._key = key
        self._connection: sa.Connection | None = None

    @property
    def held(self) -> bool:
        return self._connection is not None

    def acquire(self) -> bool:
        """Take the lock if free; True when this process holds it."""
        if self._connection is not None:
            return True
        connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        got = connection.execute(
            sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key}
        ).scalar()
        if got:
            self._connection = connection
            return True
        connection.close()
        return False

    def alive(self) -> bool:
        """True while the connection that holds the lock still answers."""
        if self._connection is None:
            return False
        try:
            self._connection.execute(sa.text("SELECT 1"))
            return True
        except sa.exc.SQLAlchemyError:
            self.release()
            return False

    def release(self) -> None:
        """Give the lock up: unlock first, since closing frees it only once the backend exits."""
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(sa.exc.SQLAlchemyError):
                connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
            with contextlib.suppress(sa.exc.SQLAlchemyError):
                connection.close()
        self._engine.dispose()


class FileLock:
    """The runner lock on SQLite: an exclusive flock, released by the OS with the process."""

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None

    @classmethod
    def for_engine(cls, engine: Engine) -> FileLock:
        database = engine.url.database
        if database and database != ":memory:":
            return cls(Path(f"{database}.scheduler.lock"))
        return cls(VAR_DIR / "scheduler.lock")

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def alive(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def runner_lock(engine: Engine) -> AdvisoryLock | FileLock:
    """The runner lock that fits the engine's database."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine)
    return FileLock.for_engine(engine)


def trigger_for(cron: dict) -> CronTrigger:
    return CronTrigger(timezone=TIMEZONE, **cron)


def cron_for(job: Job) -> dict:
    """The job's cron fields, or SCHEDULER_CRON_OVERRIDE's (`field=value …`, tests only)."""
    raw = os.environ.get(CRON_OVERRIDE_ENV, "").strip()
    if not raw:
        return job.cron
    fields = dict(part.split("=", 1) for part in raw.split())
    trigger_for(fields)  # refuse a malformed override at start, not at the first run
    return fields


def last_fire_today(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The trigger's latest fire time today at or before `now` (None when there is none).

    Searches the last minute, then the last hour, then the whole day, so a frequent schedule
    costs a few steps, not one per fire since midnight. Stops where APScheduler's next fire
    time does not move forward: on the day summer time ends it steps back into the repeated
    hour 02:00–03:00, and the search looped for ever.
    """
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    for span in (timedelta(minutes=1), timedelta(hours=1), None):
        start = midnight if span is None else max(midnight, now - span)
        fire, last = trigger.get_next_fire_time(None, start), None
        while (
            fire is not None
            and fire.timestamp() <= now.timestamp()
            and (last is None or fire.timestamp() > last.timestamp())
        ):
            last = fire
            fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
        if last is not None:
            return last
    return None


class JobScheduler:
    """Competes for the runner lock; while it holds it, runs the registered jobs on time."""

    def __init__(self, engine: Engine, default_rate: Decimal = DEFAULT_HOURLY_RATE):
        self.engine = engine
        self.default_rate = default_rate  # the app's, for the background work it resumes
        self.lock = runner_lock(engine)
        self.scheduler: BackgroundScheduler | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._standby_logged = False
        self.ran: list[str] = []  # names of jobs this process ran (for tests and logs)

    def _scope(self):
        return session_scope(self.engine)

    def _run(self, name: str) -> None:
        try:
            outcome = run_job(name, clock.today(), scope=self._scope, trigger="schedule")
            self.ran.append(name)
            log.info("%s", outcome)
        except Exception:
            log.exception("job %s failed", name)

    def _outbox(self) -> None:
        try:
            mail.deliver_pending(self._scope)
        except Exception:
            log.exception("e-mail outbox failed")

    def _background(self) -> None:
        try:
            work.resume(lambda: new_session(self.engine), self.default_rate, wait=False)
        except Exception:
            log.exception("resuming background work failed")

    def _start_scheduler(self) -> None:
        scheduler = BackgroundScheduler(
            timezone=TIMEZONE,
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": int(MISFIRE_GRACE.total_seconds()),
            },
        )
        now = clock.local_now()
        for job in JOBS.values():
            trigger = trigger_for(cron_for(job))
            scheduler.add_job(self._run, trigger, args=[job.name], id=job.name, name=job.name)
            missed = last_fire_today(trigger, now)
            if missed is not None and now - missed <= MISFIRE_GRACE:
                with self._scope() as session:
                    caught_up = has_run(session, job.name, now.date())
                if not caught_up:
                    scheduler.add_job(self._run, args=[job.name], id=f"{job.name}:catch-up")
        scheduler.add_job(
            self._background, "interval", minutes=BACKGROUND_MINUTES, id="background-work"
        )
        if mail.enabled():
            scheduler.add_job(self._outbox, "interval", minutes=OUTBOX_MINUTES, id="outbox")
        scheduler.start()
        self.scheduler = scheduler
        log.info("scheduler started: this process (%s) runs the jobs", runner_name())

    def _stop_scheduler(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                if self.scheduler is None and self.lock.acquire():
                    self._start_scheduler()
                elif self.scheduler is None and not self._standby_logged:
                    log.info("scheduler standby: another process runs the jobs (%s)", runner_name())
                    self._standby_logged = True
                elif self.scheduler is not None and not self.lock.alive():
                    log.warning("runner lock lost; scheduler stopped")
                    self._stop_scheduler()
            except Exception:
                log.exception("scheduler lock check failed")
            self._stop.wait(RETRY_SECONDS)

    def start(self) -> JobScheduler:
        """Start competing for the lock in a background thread; return self."""
        self._thread = threading.Thread(target=self._watch, name="job-scheduler", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the scheduler and give up the lock."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._stop_scheduler()
        self.lock.release()

    @property
    def running(self) -> bool:
        return self.scheduler is not None
