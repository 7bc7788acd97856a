"""Schemathesis fuzzes every API operation as every role and checks each answer.

Runs on a fresh SQLite database with the demo data (one login per role). Each generated
request is sent as one of the roles the operation admits (drawn with the request, so the
examples are split across roles, not multiplied); the roles it refuses, and no login at
all, are tried once per operation. Every answer must be documented in the OpenAPI schema:
no 500, a documented status code, content type and headers, a body matching the documented
schema; and a request the schema calls invalid must be refused (4xx).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.core import migrate
from service.core.db import make_engine, session_scope
from service.demo import seed as demo
from service.web.app import create_app
from tests.conftest import app_settings
from tests.route_roles import ALL, PUBLIC, ROUTES

CHECKS = [
    not_a_server_error,
    negative_data_rejection,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Per operation, shared by the roles it admits; FUZZ_EXAMPLES=200 for a deeper run by hand.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))


def operations(app) -> dict:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    found = {}
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()  # the schema itself is broken
        found[result.ok().label] = result.ok()
    return found


def admitted(label: str) -> frozenset[str]:
    """The roles that may call the operation (tests/route_roles.py); none for public ones."""
    method, path = label.split(" ", 1)
    if (method, path) in PUBLIC:
        return frozenset()
    return ROUTES[(method, path)]


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
    headers = {}
    for email, _name, role in demo.DEMO_USERS:
        answer = client.post(
            "/api/v1/auth/token", data={"username": email, "password": credentials[email]}
        )
        headers[role] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    assert set(headers) == ALL
    yield operations(app), headers
    engine.dispose()


@st.composite
def cases(draw, operation):
    """Valid and invalid requests; ids often point at demo rows, so not everything is a 404."""
    case = draw(
        st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )
    )
    if case.meta.generation.mode.is_negative:
        return case  # left as generated, so it must be refused (negative_data_rejection)
    containers = [case.path_parameters or {}]
    if isinstance(case.body, dict):
        containers.append(case.body)
    for container in containers:
        for name in list(container):
            if name.endswith("_id") and draw(st.booleans()):
                container[name] = draw(DEMO_IDS)
    return case


DEMO_IDS = st.integers(1, 120)  # the demo data's ids are small (time entries reach 100)


@pytest.mark.parametrize("label", LABELS)
def test_every_answer_is_documented(label, fuzz_target):
    ops, headers = fuzz_target
    roles = sorted(admitted(label))
    # A public operation is called without a login; the others as a role they admit.
    senders = [headers[role] for role in roles] or [{}]

    @settings(
        max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    @given(case=cases(ops[label]), auth=st.sampled_from(senders))
    def check(case, auth):
        response = case.call(headers=auth)
        case.validate_response(response, checks=CHECKS, headers=auth)

    check()


@pytest.mark.parametrize("label", [label for label in LABELS if admitted(label)])
def test_refused_roles_get_documented_answers(label, fuzz_target):
    """Each role the operation refuses gets 403, no login 401, as the schema documents."""
    ops, headers = fuzz_target
    refused = sorted(ALL - admitted(label))

    @settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=ops[label].as_strategy(GenerationMode.POSITIVE))
    def check(case):
        # A NUL character is refused (422) before the login is looked at (service/nul_guard.py).
        assume("\\x00" not in repr((case.path_parameters, case.query, case.body)))
        for role in refused:
            response = case.call(headers=headers[role])
            assert response.status_code == 403, (role, response.status_code, response.text)
            case.validate_response(response, checks=CHECKS)
        response = case.call()
        assert response.status_code == 401, response.text
        case.validate_response(response, checks=CHECKS)

    check()
