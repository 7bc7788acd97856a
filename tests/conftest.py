"""Shared fixtures: each test runs on SQLite and on PostgreSQL, in a rolled-back transaction.

- `engine`: a migrated database (`alembic upgrade head`), parametrised over both engines.
- `db`: a Session on one connection inside an outer transaction that is rolled back after
  the test; the app's request sessions join it through savepoints.
- `app`: one app per engine and worker (`shared_app`), its request sessions on the current
  test's connection; `client`: a TestClient of it.
- `users`: one user per role; `api(role)` gives a client with that role's bearer token;
  `page_login(client, user)` logs a client in through the login form.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session
from xdist.scheduler import LoadScopeScheduling

from service.auth import passwords
from service.auth.models import Role, User
from service.core import migrate
from service.core.db import make_engine
from service.core.settings import Settings
from service.web.app import create_app

PG_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "correct-horse-battery"
# argon2id at the lowest cost: see `cheap_password_hashing`.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
ROLES = tuple(Role)
# Kept before `cheap_password_hashing` swaps them.
PRODUCTION_HASHER = passwords._hasher
PRODUCTION_DUMMY_HASH = passwords._DUMMY_HASH


def worker_group(nodeid: str) -> str | None:
    """The group of a test that shares a costly fixture with its group, else None.

    One Chromium and live server for the browser tests, one seeded app for the API fuzzing,
    one crawl of every page per engine (tests/service/test_rendered_pages.py).
    """
    path = nodeid.split("::", 1)[0]
    if path.startswith("tests/browser/"):
        return "browser"
    if path == "tests/test_fuzz_api.py":
        return "fuzz"
    if path == "tests/service/test_rendered_pages.py":
        return "crawl-" + nodeid.rpartition("[")[2].rstrip("]")  # the engine
    return None


class GroupScheduling(LoadScopeScheduling):
    """xdist's `loadgroup` by `worker_group`: a group runs on one worker, other tests alone.

    Not `xdist_group` marks: xdist 3.8 groups them by renaming the item's node id, which
    pytest 9 no longer allows, so the marks group nothing. Groups with the most tests start
    first (xdist's reordering), so no big group is left for the end.
    """

    def _split_scope(self, nodeid: str) -> str:
        return worker_group(nodeid) or nodeid


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log) -> GroupScheduling | None:
    """`--dist loadgroup` (the Makefile's) schedules by `worker_group`."""
    return GroupScheduling(config, log) if config.getvalue("dist") == "loadgroup" else None


def app_settings(**overrides) -> Settings:
    return Settings(
        database_url="sqlite://", secret_key="test-secret-key-not-for-production", **overrides
    )


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def pg_admin() -> sa.Engine:
    """An AUTOCOMMIT engine on the server's maintenance database (fails or skips if down)."""
    admin = sa.create_engine(
        PG_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with admin.connect():
            pass
    except sa.exc.OperationalError as error:
        admin.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI=true but unreachable: {error}")
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}")
    return admin


class LaterDrops:
    """Drops throwaway PostgreSQL databases on a thread of their own, waited for at the end.

    DROP DATABASE waits for a checkpoint (0.3-3 s on a busy server); the test that made the
    database need not. `pytest_sessionfinish` waits for every drop and fails on a failed one.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="drop-database")
        self._pending: list[Future] = []

    def drop(self, name: str) -> None:
        self._pending.append(self._pool.submit(self._drop, name))

    @staticmethod
    def _drop(name: str) -> None:
        admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            admin.dispose()

    def wait(self) -> None:
        pending, self._pending = self._pending, []
        for drop in pending:
            drop.result()


later_drops = LaterDrops()


def pytest_sessionfinish(session: pytest.Session) -> None:
    later_drops.wait()


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    """A uniquely named PostgreSQL database for this test session, dropped after."""
    admin = pg_admin()
    name = f"mk_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    sa.orm.close_all_sessions()
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine(request) -> Iterator[sa.Engine]:
    """A database built by `alembic upgrade head`, on each engine."""
    url = request.getfixturevalue(f"{request.param}_url")
    eng = make_engine(url, pool_size=5, savepoints=True)
    migrate.upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def connection(engine) -> Iterator[sa.Connection]:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        if outer.is_active:
            outer.rollback()


def joined_session(connection: sa.Connection) -> Session:
    return Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def db(connection) -> Iterator[Session]:
    session = joined_session(connection)
    yield session
    session.close()


class CurrentConnection:
    """The connection of the test that runs now, for the app shared by the tests."""

    def __init__(self) -> None:
        self.connection: sa.Connection | None = None

    def session(self) -> Session:
        if self.connection is None:
            raise RuntimeError("a request outside a test: its connection is gone")
        return joined_session(self.connection)


@pytest.fixture(scope="session")
def shared_app(engine) -> tuple[FastAPI, CurrentConnection]:
    """One app per engine and worker, its sessions on the current test's connection.

    FastAPI builds an app's routes at its first request (0.25-0.5 s of CPU for this app's
    routes), so an app per test cost more than the rest of most tests together.
    """
    current = CurrentConnection()
    app = create_app(
        app_settings(), engine=engine, session_factory=current.session, check_schema=False
    )
    return app, current


@pytest.fixture
def app(shared_app, connection) -> Iterator[FastAPI]:
    """The shared app, its request sessions joining this test's rolled-back transaction."""
    app, current = shared_app
    routes = len(app.router.routes)
    current.connection = connection
    yield app
    current.connection = None
    # The next tests get this app too: a test that adds routes or overrides takes them away.
    assert len(app.router.routes) == routes, "a test left routes on the shared app"
    assert not app.dependency_overrides, "a test left dependency overrides on the shared app"


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app, base_url="http://testserver", follow_redirects=False)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """The app hashes and verifies at the lowest argon2id cost while the suite runs.

    At the production cost (64 MiB, three passes, four lanes) each hash or check costs about
    0.3 s of CPU, and the suite makes thousands: 19 per demo seed, one per login of a demo
    user, one per unknown e-mail (the dummy hash). The code paths are the same; only the
    cost parameters differ. `production_password_cost` restores them for the tests that
    check the cost itself (tests/service/auth/test_passwords.py).
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", CHEAP_HASHER)
        patch.setattr(passwords, "_DUMMY_HASH", CHEAP_HASHER.hash("not-a-real-password-000"))
        yield


@pytest.fixture
def production_password_cost(monkeypatch) -> None:
    """The app's own argon2id parameters (as in production) for one test."""
    monkeypatch.setattr(passwords, "_hasher", PRODUCTION_HASHER)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", PRODUCTION_DUMMY_HASH)


@functools.cache
def _password_hash() -> str:
    """An argon2id hash of PASSWORD at the lowest cost, for the fixtures' users."""
    return CHEAP_HASHER.hash(PASSWORD)


def make_user(
    db: Session, role: Role | str, email: str | None = None, name: str | None = None
) -> User:
    """Add a user with the test PASSWORD (flushed, visible to the app's sessions)."""
    user = User(
        email=email or f"{role}-{uuid.uuid4().hex[:6]}@test.dk",
        name=name or role.title(),
        role=Role(role),
        password_hash=_password_hash(),
    )
    db.add(user)
    db.flush()
    return user


@pytest.fixture
def users(db) -> dict:
    return {role: make_user(db, role, f"{role}@test.dk") for role in ROLES}


@pytest.fixture
def api(app, users):
    """api(role) → a TestClient with a bearer token of that role's user."""

    def for_role(role_or_user) -> TestClient:
        user = users[role_or_user] if isinstance(role_or_user, str) else role_or_user
        token = app.state.tokens.issue_api_token(user.id, user.token_version)
        c = TestClient(app, base_url="http://testserver", follow_redirects=False)
        c.headers["Authorization"] = f"Bearer {token}"
        return c

    return for_role


def csrf_token(client: TestClient) -> str:
    """Fetch the login page once so the client holds a CSRF cookie; return the token."""
    if "mk_csrf" not in client.cookies:
        client.get("/log-ind")
    return client.cookies["mk_csrf"]


def page_login(client: TestClient, user, password: str = PASSWORD):
    token = csrf_token(client)
    response = client.post(
        "/log-ind",
        data={"email": user.email, "password": password, "csrf_token": token, "next": "/"},
    )
    assert response.status_code == 303, response.text
    return response


@pytest.fixture
def pages(app, users):
    """pages(role) → a TestClient logged in through the login form as that role."""

    def for_role(role_or_user) -> TestClient:
        user = users[role_or_user] if isinstance(role_or_user, str) else role_or_user
        c = TestClient(app, base_url="http://testserver", follow_redirects=False)
        page_login(c, user)
        return c

    return for_role
