"""Database engine, sessions and the schema check.

Commit rule: the request's session dependency (or a job's `session_scope`) commits or
rolls back; service functions only `flush`. A request commits when it answers below 400
and rolls back otherwise (an exception, an answer of 400 or more, a refusal redirect).
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import anyio
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel
from starlette.requests import Request

from service.core.settings import get_settings


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # A REPLACE over a journal row must fire its DELETE trigger (issue 11).
    cursor.execute("PRAGMA recursive_triggers=ON")
    cursor.close()


def _sqlite_explicit_begin(engine: Engine) -> None:
    """Let SQLite honour SAVEPOINT (the tests' rolled-back transactions need it)."""

    @sa.event.listens_for(engine, "connect")
    def _no_implicit(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN")


def make_engine(url: str, *, pool_size: int | None = None, savepoints: bool = False) -> Engine:
    """Create an engine for SQLite (WAL, foreign keys on) or PostgreSQL (psycopg 3).

    `hide_parameters`: bound values (CPR numbers, health and logbook text) never appear in
    SQLAlchemy's errors or its statement log. `pool_pre_ping`: a connection the server
    closed (restart, pg_terminate_backend) is replaced at checkout instead of failing a
    request; on SQLite files it costs one in-process `SELECT 1`.
    """
    settings = get_settings()
    size = pool_size or max(5, settings.worker_threads // 2)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1] if "///" in url else ""
        pool: dict = {}
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            pool = {
                "pool_size": size,
                "max_overflow": size,
                "pool_timeout": 30,
                "pool_pre_ping": True,
            }
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 10},
            hide_parameters=True,
            **pool,
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        if savepoints:
            _sqlite_explicit_begin(engine)
        return engine
    return sa.create_engine(
        url,
        pool_size=size,
        max_overflow=size,
        pool_timeout=30,
        pool_pre_ping=True,
        hide_parameters=True,
        connect_args={"connect_timeout": 5},
    )


@lru_cache
def get_engine() -> Engine:
    """Return the process-wide engine for DATABASE_URL."""
    return make_engine(get_settings().database_url)


def new_session(engine: Engine) -> Session:
    """Open a session on the engine (the app's default session factory)."""
    return Session(engine, expire_on_commit=False)


def table_of(model: type[SQLModel]) -> sa.Table:
    """A table model's Core table (SQLModel sets `__table__` at class creation, untyped)."""
    return cast(sa.Table, model.__table__)  # type: ignore[attr-defined]


def rowcount(result: sa.Result[Any]) -> int:
    """Rows an UPDATE or DELETE touched (SQLModel's `execute` hides the CursorResult type)."""
    return cast(sa.CursorResult[Any], result).rowcount


def insert_ignoring_conflict(
    session: Session, table: sa.Table, values: dict[str, Any], keys: list[str]
) -> int:
    """INSERT … ON CONFLICT (keys) DO NOTHING on SQLite and PostgreSQL; return the rowcount."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=keys)
        .returning(table.c.id)  # rowcount is not reliable here on every driver
    )
    return len(session.execute(statement).all())


def pool_capacity(engine: Engine) -> int | None:
    """How many connections the engine's pool can hand out at once (None: unbounded)."""
    pool = engine.pool
    if isinstance(pool, sa.pool.QueuePool):
        return pool.size() + max(pool._max_overflow, 0)
    return None


class DatabaseSlots:
    """Admit at most as many requests to the database as the pool has connections.

    Without it, sync routes deadlock under load (the classic FastAPI pitfall): every worker
    thread waits for a pooled connection while the requests holding the connections wait
    for a worker thread to finish. Requests beyond the pool's size wait here, on the event
    loop, holding neither a thread nor a connection.
    """

    def __init__(self, capacity: int | None):
        self.capacity = capacity
        self._by_loop: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def limiter(self) -> anyio.CapacityLimiter | None:
        if self.capacity is None:
            return None
        loop = asyncio.get_running_loop()
        if loop not in self._by_loop:
            self._by_loop[loop] = anyio.CapacityLimiter(self.capacity)
        return self._by_loop[loop]


# How the request was answered, in its ASGI scope: a yield dependency never sees the response.
# ANSWER_STATUS is the response's status (service/web/routing.py sets it on every route);
# ANSWER_COMMITS, when a route sets it, overrides the status (service/web/routing.py).
ANSWER_STATUS = "mentorkorps.answer_status"
ANSWER_COMMITS = "mentorkorps.answer_commits"
_REDO = "mentorkorps.redo"  # Session.info key


def redo_after_rollback(session: Session, redo: Callable[[Session], None]) -> None:
    """Run `redo` in a new transaction when the request's answer is rolled back.

    For records of what the request did show (the audit trail's reads): a page answering 422
    still showed the citizen's data, though the change it refused is undone.
    """
    session.info.setdefault(_REDO, []).append(redo)


def answer_commits(request: Request) -> bool:
    """Whether the request's answer commits: below 400, unless the route said otherwise."""
    verdict = request.scope.get(ANSWER_COMMITS)
    if verdict is not None:
        return bool(verdict)
    status = request.scope.get(ANSWER_STATUS)
    if status is None:  # a route outside service.web.routing.Router: a bug, not a guess
        raise RuntimeError(f"no answer status for {request.url.path}: route it with Router")
    return bool(status < 400)


# The request's session, in its ASGI scope, for the route that settles it in its own thread.
SESSION = "mentorkorps.session"
_SETTLED = "mentorkorps.settled"  # Session.info key: committed or rolled back already
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def request_session(request: Request) -> Session | None:
    """The session the request's session dependency opened, if it opened one."""
    return request.scope.get(SESSION)


# One queue of writers per SQLite engine, in this process. SQLite's busy handler polls with
# sleeps of up to 100 ms, so under many writers the lock sits free while they sleep, and an
# unlucky one reaches busy_timeout ("database is locked"). A writer waits here instead, with
# no transaction open, and is handed the lock the moment the previous one commits. Other
# processes (a second worker, the CLI) still meet the busy handler.
_WRITERS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_GATE = "mentorkorps.writer_gate"  # Session.info key: the writers' lock this session holds
_WRITERS_LOCK = threading.Lock()


def _sqlite_idle(session: Session) -> sa.Connection | None:
    """The session's SQLite connection when no transaction is open on it (else None)."""
    bind = session.get_bind()
    if not isinstance(bind, Engine) or bind.dialect.name != "sqlite":
        return None  # PostgreSQL, or a session joined to a test's connection
    connection = session.connection()
    driver = connection.connection.driver_connection
    return connection if driver is not None and not driver.in_transaction else None


def _enter_writers(session: Session) -> bool:
    """Join this engine's queue of writers; False when SQLite's lock is not ours to take."""
    if _GATE in session.info:
        return False
    connection = _sqlite_idle(session)
    if connection is None:
        return False
    with _WRITERS_LOCK:
        gate = _WRITERS.setdefault(cast(Engine, session.get_bind()), threading.Lock())
    gate.acquire()
    session.info[_GATE] = gate
    return True


def _leave_writers(session: Session) -> None:
    gate = session.info.pop(_GATE, None)
    if gate is not None:
        gate.release()


def begin_writing(session: Session, request: Request) -> None:
    """On SQLite, open a writing request's transaction with BEGIN IMMEDIATE.

    A request that writes (an unsafe method) takes SQLite's write lock before its first
    read, so what it reads is what it writes over, and it never has to upgrade a read
    transaction (an upgrade that meets another writer fails at once with SQLITE_BUSY; the
    busy handler only waits for a lock a transaction starts with). Reads stay outside any
    write lock. Call it in the thread that then does the work and settles the session, so
    the lock is never held while the request waits for a thread. Inside a transaction that
    is already open (the tests' savepoints) it does nothing.
    """
    if request.method in SAFE_METHODS or not _enter_writers(session):
        return
    try:
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        _leave_writers(session)
        raise


def _commit(session: Session) -> None:
    """Commit; on SQLite, writes still pending (a read's audit rows) queue as writers first."""
    if session.new or session.dirty or session.deleted:
        _enter_writers(session)
    session.commit()


def _roll_back_answer(session: Session) -> None:
    redo = session.info.pop(_REDO, [])
    session.rollback()
    if redo:
        for step in redo:
            step(session)
        _commit(session)


def settle(session: Session, request: Request) -> None:
    """Commit the answer below 400 or roll it back (with its redo), in the calling thread."""
    session.info[_SETTLED] = True
    try:
        if answer_commits(request):
            _commit(session)
        else:
            _roll_back_answer(session)
    except BaseException:
        session.rollback()
        raise
    finally:
        _leave_writers(session)


def abandon(session: Session) -> None:
    """Roll back after an exception, in the calling thread (no redo: nothing was answered)."""
    session.info[_SETTLED] = True
    try:
        session.rollback()
    finally:
        _leave_writers(session)


async def _close(session: Session) -> None:
    if session.in_transaction():  # a connection to hand back: that may do I/O
        await anyio.to_thread.run_sync(session.close)
    else:
        session.close()


async def session_dependency(request: Request) -> AsyncIterator[Session]:
    """Yield the request's session; commit an answer below 400, roll back anything else.

    A sync route of `service.web.routing.Router` settles the session itself, in the thread
    that did the work (`settle`); this settles it only when no such route did (an answer
    before the endpoint ran: a refusal by the guard, a validation error).
    """
    limiter = request.app.state.db_slots.limiter()
    if limiter is not None:
        await limiter.acquire()
    session = request.app.state.session_factory()
    request.scope[SESSION] = session
    try:
        yield session
    except BaseException:
        if not session.info.get(_SETTLED):
            await anyio.to_thread.run_sync(abandon, session)
        raise
    else:
        if not session.info.get(_SETTLED):
            await anyio.to_thread.run_sync(settle, session, request)
    finally:
        try:
            await _close(session)
        finally:
            request.scope.pop(SESSION, None)
            if limiter is not None:
                limiter.release()


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session for jobs and the CLI: commits on success, rolls back on error."""
    session = Session(engine or get_engine(), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
