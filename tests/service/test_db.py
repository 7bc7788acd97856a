"""The request session: never starves under load, and commits before it answers."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.core import migrate
from service.core.db import _sqlite_pragmas, make_engine, session_scope
from service.web.app import create_app
from tests.conftest import app_settings, make_user


def test_many_concurrent_requests_with_one_connection(tmp_path):
    url = f"sqlite:///{tmp_path / 'pool.sqlite3'}"
    engine = sa.create_engine(
        url, pool_size=1, max_overflow=0, pool_timeout=5, connect_args={"check_same_thread": False}
    )
    sa.event.listen(engine, "connect", _sqlite_pragmas)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        user = make_user(session, "mentor")
        user_id, version = user.id, user.token_version
    app = create_app(app_settings(), engine=engine, check_schema=False)
    token = app.state.tokens.issue_api_token(user_id, version)

    async def burst() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            headers = {"Authorization": f"Bearer {token}"}
            calls = [client.get("/api/v1/users/me", headers=headers) for _ in range(120)]
            return [r.status_code for r in await asyncio.gather(*calls)]

    # Its own thread: a session-scoped Playwright may already run a loop in the main thread.
    with ThreadPoolExecutor(1) as pool:
        statuses = pool.submit(asyncio.run, asyncio.wait_for(burst(), timeout=60)).result()
    engine.dispose()
    assert statuses == [200] * 120


class FailingCommit(Session):
    def commit(self) -> None:
        raise sa.exc.OperationalError("COMMIT", {}, Exception("disk full"))


def test_a_failed_commit_is_never_answered_as_success(tmp_path):
    """The commit happens before the response is sent: a client never sees 201 for lost data."""
    engine = make_engine(f"sqlite:///{tmp_path / 'commit.sqlite3'}")
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        admin = make_user(session, "admin")
        admin_id, version = admin.id, admin.token_version
    app = create_app(
        app_settings(),
        engine=engine,
        check_schema=False,
        session_factory=lambda: FailingCommit(engine, expire_on_commit=False),
    )
    client = TestClient(app, raise_server_exceptions=False)
    token = app.state.tokens.issue_api_token(admin_id, version)
    response = client.post(
        "/api/v1/users",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "email": "ny@test.dk",
            "name": "Ny",
            "role": "mentor",
            "password": "ny-lang-adgangskode",
        },
    )
    assert response.status_code == 503  # a database error, never success (nor a 500)
    assert response.headers["Retry-After"] == "5"
    engine.dispose()
