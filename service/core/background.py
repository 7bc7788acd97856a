"""Background work: one table and one runner for work that outlives its request.

A request queues a task (`queue`, flush only: the request's commit makes it visible) and runs
it after its response (`run_task`). A run first claims its task atomically: the task gets a
fresh owner token and heartbeat (`progress_at`), and every later write of the run (progress,
result, failure) lands only while it still owns the task. A task that shows no sign of life
for STALE_AFTER (its process died, the server restarted) is stale: `resume` (at startup and on
the scheduler's tick) claims it again and runs it from the start, at most MAX_ATTEMPTS times;
the old run, should it wake up, stops at its next write (`Superseded`).

Each run owns its sessions (the `factory`'s) and commits them itself: it runs after the
request, never inside it. What a kind of task does is its handler's, a function of the
claimed task (`Claimed`); the domain that queues the kind maps kinds to handlers.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select

from service.core.clock import utcnow
from service.core.db import rowcount, table_of
from service.core.types import JSONDict, UTCDateTime

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
# A run writes progress every few seconds at the very most; one silent this long is dead.
STALE_AFTER = timedelta(minutes=2)
MAX_ATTEMPTS = 3
GAVE_UP = "Arbejdet blev afbrudt for mange gange (serveren stoppede undervejs)."

Factory = Callable[[], Session]


class BackgroundTask(SQLModel, table=True):
    """One piece of background work: its kind and input, state, progress, owner and result.

    `subject_id` names what the work is for when it has one (a claim's id for its workbook):
    one task per kind and subject.
    """

    __tablename__ = "background_task"
    __table_args__ = (sa.UniqueConstraint("kind", "subject_id"),)

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    kind: str = Field(max_length=30)
    subject_id: int | None = Field(default=None)
    params: dict = Field(default_factory=dict, sa_type=JSONDict)
    status: str = Field(default=QUEUED, max_length=10, index=True)
    done: int = 0
    total: int = 0
    attempts: int = 0
    owner: str = Field(default="", max_length=32)  # the run that holds it ("" while queued)
    progress_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)  # heartbeat
    result: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    error: str = Field(default="", sa_type=sa.Text)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Superseded(Exception):
    """Another run has taken the task over (this one was taken for dead)."""


def _table() -> sa.Table:
    return table_of(BackgroundTask)


def _stale(now: datetime) -> sa.ColumnElement[bool]:
    table = _table()
    return sa.and_(table.c.status.in_((QUEUED, RUNNING)), table.c.progress_at < now - STALE_AFTER)


class Claimed:
    """A task one run owns: its writes land only while the run still owns it."""

    def __init__(self, factory: Factory, task: BackgroundTask):
        self.factory = factory
        self.id, self.owner, self.kind = task.id, task.owner, task.kind
        self.subject_id, self.params = task.subject_id, dict(task.params)
        self.created_by, self.total, self.done = task.created_by, task.total, 0

    def _write(self, session: Session, **values: Any) -> None:
        table = _table()
        result = session.execute(
            sa.update(table)
            .where(table.c.id == self.id, table.c.owner == self.owner, table.c.status == RUNNING)
            .values(progress_at=utcnow(), **values)
        )
        if rowcount(result) != 1:
            raise Superseded(self.id)

    def progress(self, done: int) -> None:
        """Write progress (and a sign of life) in its own short transaction."""
        with self.factory() as session:
            self._write(session, done=done)
            session.commit()
        self.done = done

    def complete(self, session: Session, *, result: bytes | None = None, done: int | None = None):
        """Mark the task done in the caller's transaction (which stores what it made)."""
        self._write(
            session,
            status=DONE,
            result=result,
            done=self.done if done is None else done,
            error="",
            finished_at=utcnow(),
        )

    def fail(self, error: str) -> None:
        """Mark the task failed with the reason the page shows."""
        with self.factory() as session:
            self._write(session, status=FAILED, error=error[:2000] or "Fejl", finished_at=utcnow())
            session.commit()


Handler = Callable[[Claimed], None]


def queue(
    session: Session,
    *,
    kind: str,
    created_by: int,
    params: dict | None = None,
    subject_id: int | None = None,
    total: int = 0,
) -> BackgroundTask:
    """Queue a task (flush only); run it with `run_task` once the caller has committed."""
    task = BackgroundTask(
        kind=kind, created_by=created_by, params=params or {}, subject_id=subject_id, total=total
    )
    session.add(task)
    session.flush()
    return task


def requeue(session: Session, task_id: int) -> bool:
    """Queue a failed or stale task again, atomically (flush only); False while it runs."""
    table, now = _table(), utcnow()
    result = session.execute(
        sa.update(table)
        .where(table.c.id == task_id, sa.or_(_stale(now), table.c.status == FAILED))
        .values(status=QUEUED, owner="", done=0, attempts=0, error="", progress_at=now)
        .values(finished_at=None)
    )
    return rowcount(result) == 1


def claim(factory: Factory, task_id: int) -> Claimed | None:
    """Take a queued or stale task for a new run, atomically, in its own transaction; or None.

    Of two runs trying at once, one wins. A task tried MAX_ATTEMPTS times is not taken again.
    """
    table, now, owner = _table(), utcnow(), uuid.uuid4().hex
    with factory() as session:
        result = session.execute(
            sa.update(table)
            .where(
                table.c.id == task_id,
                sa.or_(table.c.status == QUEUED, _stale(now)),
                table.c.attempts < MAX_ATTEMPTS,
            )
            .values(status=RUNNING, owner=owner, done=0, error="", progress_at=now)
            .values(attempts=table.c.attempts + 1)
        )
        if rowcount(result) != 1:
            return None
        task = session.get_one(BackgroundTask, task_id, populate_existing=True)
        session.commit()
    return Claimed(factory, task)


def execute(claimed: Claimed, handler: Handler) -> None:
    """Run a claimed task's handler; record a failure on the task, never raise."""
    try:
        handler(claimed)
    except Superseded:
        log.info("background task %s: another run took it over", claimed.id)
    except Exception as error:  # the page must show the failure rather than spin for ever
        log.exception("background task %s (%s) failed", claimed.id, claimed.kind)
        try:
            claimed.fail(str(error))
        except Exception:  # e.g. the database is gone: the task goes stale and is resumed
            log.exception("background task %s: the failure could not be recorded", claimed.id)


def run_task(factory: Factory, task_id: int, handlers: Mapping[str, Handler]) -> None:
    """Claim a task and run it (after the request that queued it has committed)."""
    claimed = claim(factory, task_id)
    if claimed is not None:
        execute(claimed, handlers[claimed.kind])


def _give_up(session: Session, kinds: list[str], now: datetime) -> None:
    table = _table()
    session.execute(
        sa.update(table)
        .where(table.c.kind.in_(kinds), _stale(now), table.c.attempts >= MAX_ATTEMPTS)
        .values(status=FAILED, error=GAVE_UP, finished_at=now)
    )


def _pending(session: Session, kinds: list[str]) -> list[tuple[int, datetime]]:
    """(id, last sign of life) of every queued or running task of these kinds."""
    rows = session.exec(
        select(BackgroundTask.id, BackgroundTask.progress_at)
        .where(
            col(BackgroundTask.kind).in_(kinds),
            col(BackgroundTask.status).in_((QUEUED, RUNNING)),
        )
        .order_by(col(BackgroundTask.id))
    ).all()
    return [(task_id, at) for task_id, at in rows]


def resume(
    factory: Factory,
    handlers: Mapping[str, Handler],
    *,
    wait: bool = True,
    sleep: Callable[[float], None] = time.sleep,
) -> list[int]:
    """Run every stale task of the handled kinds again; return the ids run.

    A task that showed life within STALE_AFTER may still run in another process, so it is
    taken over only once it has been silent that long (with `wait`, this waits for that).
    """
    kinds, ran = sorted(handlers), []
    while True:
        now = utcnow()
        with factory() as session:
            _give_up(session, kinds, now)
            session.commit()
            pending = _pending(session, kinds)
        alive = []
        for task_id, at in pending:
            claimed = claim(factory, task_id) if now - at > STALE_AFTER else None
            if claimed is None:
                alive.append(at)
                continue
            execute(claimed, handlers[claimed.kind])
            ran.append(task_id)
        if not wait or not alive:
            return ran
        until = min(alive) + STALE_AFTER - utcnow()
        sleep(max(until.total_seconds(), 0) + 1)


def resume_in_background(
    factory: Factory, handlers: Mapping[str, Handler]
) -> threading.Thread | None:
    """Start `resume` in a thread when some task is left queued or running (at startup)."""
    with factory() as session:
        if not _pending(session, sorted(handlers)):
            return None
    thread = threading.Thread(
        target=resume, args=(factory, handlers), name="background-work", daemon=True
    )
    thread.start()
    return thread
