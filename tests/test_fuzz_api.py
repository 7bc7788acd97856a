"""No input ever yields a 500: schemathesis generates requests for every API operation.

Runs on a fresh SQLite database with the demo data, as a coordinator and as a mentor.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from service import demo, migrate
from service.app import create_app
from service.db import make_engine, session_scope
from tests.conftest import app_settings


def operations(app) -> dict:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return {op.label: op for op in (r.ok() for r in schema.get_all_operations())}


# The operations, listed once at collection from an app without a database.
LABELS = sorted(
    operations(create_app(app_settings(), engine=make_engine("sqlite://"), check_schema=False))
)


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('fuzz')}/fuzz.sqlite3")
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        credentials = demo.seed(session)
    app = create_app(app_settings(), engine=engine)
    client = TestClient(app)
    tokens = []
    for email in ("koordinator@demo.mentorkorps.dk", "mentor@demo.mentorkorps.dk"):
        answer = client.post(
            "/api/v1/auth/token", data={"username": email, "password": credentials[email]}
        )
        tokens.append(answer.json()["access_token"])
    yield operations(app), tokens
    engine.dispose()


@pytest.mark.parametrize("label", LABELS)
def test_no_input_yields_500(label, fuzz_target):
    ops, tokens = fuzz_target

    @settings(
        max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    @given(case=ops[label].as_strategy())
    def check(case):
        for token in tokens:
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            assert response.status_code < 500, (case.path, case.body, response.text[:300])

    check()
