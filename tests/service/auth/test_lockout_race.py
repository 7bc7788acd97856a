"""Parallel wrong passwords cannot outrun the lock-out (issue 11, defect 2).

The `client` fixture serialises everything on one rolled-back connection, so this test runs
the app on a scratch database of its own, each request in its own session and transaction.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.web.app import create_app
from tests.conftest import PASSWORD, app_settings, make_user
from tests.service.committed_db import migrated_database

PARALLEL = 30


@pytest.fixture
def scratch(engine, tmp_path):
    """A throwaway migrated database of the same kind as `engine`, for committed work."""
    with migrated_database(engine.dialect.name, tmp_path) as (_, eng):
        yield eng


def test_thirty_parallel_wrong_passwords_then_the_right_one_is_429(scratch):
    with Session(scratch, expire_on_commit=False) as s:
        email = make_user(s, "mentor").email
        s.commit()
    app = create_app(app_settings(), engine=scratch)

    with TestClient(app, base_url="http://testserver") as client:

        def guess(n: int) -> int:
            data = {"username": email, "password": f"wrong-password-{n:03}"}
            return client.post("/api/v1/auth/token", data=data).status_code

        with ThreadPoolExecutor(PARALLEL) as pool:
            codes = list(pool.map(guess, range(PARALLEL)))
        right = client.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD})

    assert right.status_code == 429
    assert int(right.headers["Retry-After"]) > 0
    assert set(codes) <= {401, 429}
    # Counted before the password check: at most 5 guesses are ever checked.
    assert codes.count(401) == 5
