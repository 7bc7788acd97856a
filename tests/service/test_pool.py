"""Under load with a tiny pool, requests queue for connections but never starve."""

from __future__ import annotations

import asyncio

import httpx
import sqlalchemy as sa

from service import migrate
from service.app import create_app
from service.db import _sqlite_pragmas, session_scope
from tests.conftest import make_user, app_settings


def test_many_concurrent_requests_with_one_connection(tmp_path):
    url = f"sqlite:///{tmp_path / 'pool.sqlite3'}"
    engine = sa.create_engine(url, pool_size=1, max_overflow=0, pool_timeout=5,
                              connect_args={"check_same_thread": False})
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

    statuses = asyncio.run(asyncio.wait_for(burst(), timeout=60))
    engine.dispose()
    assert statuses == [200] * 120
