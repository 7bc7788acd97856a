"""A database that does not answer gives 503 with Retry-After, never 500 (issue 11, item 8).

And a lost connection costs a read nothing: the pool replaces connections the server
closed, and a GET whose connection dies mid-request is run once more. A write whose
connection dies answers 503 and leaves nothing behind.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import select

from service.auth.models import User
from service.auth.tokens import SESSION_COOKIE
from service.core import migrate
from service.core.db import make_engine, session_scope
from service.web.app import create_app
from tests.conftest import app_settings, csrf_token, make_user
from tests.factories import make_referral
from tests.service.committed_db import ENGINES, empty_database, pg_admin, terminate_backends


def unreachable_url(kind: str, tmp_path) -> str:
    if kind == "postgresql":
        return "postgresql+psycopg://nobody@127.0.0.1:1/none"  # nothing listens on port 1
    return f"sqlite:///{tmp_path}"  # a directory: SQLite cannot open it as a database


@pytest.mark.parametrize("kind", ENGINES)
def test_an_unreachable_database_answers_503_with_retry_after(kind, tmp_path):
    engine = make_engine(unreachable_url(kind, tmp_path))
    app = create_app(app_settings(), engine=engine, check_schema=False)
    client = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
    bearer = {"Authorization": f"Bearer {app.state.tokens.issue_api_token(1, 1)}"}

    for response in (
        client.get("/api/v1/users/me", headers=bearer),
        client.post("/api/v1/auth/token", data={"username": "a@b.dk", "password": "x" * 12}),
    ):
        assert response.status_code == 503, response.text
        assert response.headers["Retry-After"] == "5"
        assert "Prøv igen" in response.json()["detail"]

    token = csrf_token(client)
    login = client.post(
        "/log-ind", data={"email": "a@b.dk", "password": "x" * 12, "csrf_token": token}
    )
    client.cookies[SESSION_COOKIE] = app.state.tokens.new_cookie_secret()[0]
    home = client.get("/")
    for page in (login, home):
        assert page.status_code == 503 and page.headers["Retry-After"] == "5"
        html = BeautifulSoup(page.text, "html.parser")
        assert "Prøv igen" in html.h1.text
        assert html.find("a", string="Prøv igen") is not None

    health = client.get("/healthz")
    assert health.status_code == 503 and health.json() == {"status": "error", "db": "error"}
    engine.dispose()


@pytest.fixture
def pg_app(tmp_path):
    """An app on its own committed PostgreSQL database, with an admin and a caseworker."""
    with empty_database("postgresql", tmp_path) as url:
        engine = make_engine(url, pool_size=3)
        migrate.upgrade(engine)
        with session_scope(engine) as session:
            admin = make_user(session, "admin")
            caseworker = make_user(session, "caseworker")
            make_referral(session, caseworker)
            people = {u.role: (u.id, u.token_version) for u in (admin, caseworker)}
        app = create_app(app_settings(), engine=engine, check_schema=False)
        tokens = app.state.tokens
        app.state.test_auth = {
            role: {"Authorization": f"Bearer {tokens.issue_api_token(*who)}"}
            for role, who in people.items()
        }
        app.state.test_url = url
        yield app
        engine.dispose()


def kill_on(engine: sa.Engine, fragment: str) -> list[int]:
    """Terminate the backend of the first statement containing `fragment`, just before it
    runs (pg_terminate_backend from another connection, waiting until the backend is gone).
    Returns the list of killed pids, filled in when it happens."""
    killed: list[int] = []

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _terminate(connection, _cursor, statement, _parameters, _context, _many):
        if killed or fragment not in statement:
            return
        pid = connection.connection.dbapi_connection.info.backend_pid
        admin = pg_admin()
        with admin.connect() as other:
            other.execute(sa.text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
        admin.dispose()
        killed.append(pid)

    return killed


def test_pooled_connections_terminated_between_requests_cost_nothing(pg_app):
    client = TestClient(pg_app, raise_server_exceptions=False)
    auth = pg_app.state.test_auth["caseworker"]
    assert client.get("/api/v1/referrals", headers=auth).status_code == 200
    assert terminate_backends(pg_app.state.test_url) >= 1  # the pool's idle connections
    response = client.get("/api/v1/referrals", headers=auth)
    assert response.status_code == 200, response.text
    assert len(response.json()) == 1


def test_a_read_whose_connection_dies_mid_request_is_run_once_more(pg_app):
    client = TestClient(pg_app, raise_server_exceptions=False)
    auth = pg_app.state.test_auth["caseworker"]
    killed = kill_on(pg_app.state.engine, "FROM referral")  # after the guard read the user
    response = client.get("/api/v1/referrals", headers=auth)
    assert killed, "the backend was not terminated: the test proves nothing"
    assert response.status_code == 200, response.text
    assert len(response.json()) == 1


NEW_USER = {
    "email": "ny@test.dk",
    "name": "Ny",
    "role": "mentor",
    "password": "Trekant-Sommerfugl-91",
}


def test_a_write_whose_connection_dies_answers_503_and_leaves_nothing(pg_app):
    client = TestClient(pg_app, raise_server_exceptions=False)
    killed = kill_on(pg_app.state.engine, "INSERT INTO audit")  # after the user's INSERT
    response = client.post(
        "/api/v1/users",
        headers=pg_app.state.test_auth["admin"],
        json=NEW_USER,
    )
    assert killed, "the backend was not terminated: the test proves nothing"
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == "5"
    with session_scope(pg_app.state.engine) as session:
        assert session.exec(select(User).where(User.email == "ny@test.dk")).first() is None
    again = client.post(
        "/api/v1/users",
        headers=pg_app.state.test_auth["admin"],
        json=NEW_USER,
    )
    assert again.status_code == 201, again.text  # the retry by the client then succeeds
