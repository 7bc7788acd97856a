"""What one request costs the database: statements counted at the cursor (issue 16).

An audited API read of a referral is six statements on either engine: the user, the
referral with its citizen, hours and visibility, its sub-goals, then the audit row with its
chain link (lock the heads, move them, insert). A page finds its user, web session and
unread count in one statement. The writes of a read come last, flushed by the commit, so
SQLite's write lock and PostgreSQL's chain lock are held only for the commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from service.auth.models import WebSession
from service.auth.tokens import SESSION_COOKIE
from service.core.db import session_scope
from service.web.app import create_app
from tests.conftest import app_settings, make_user
from tests.factories import make_mentor, make_referral
from tests.service.committed_db import ENGINES, migrated_database

WRITES = ("INSERT", "UPDATE", "DELETE")


def _is_write(statement: str) -> bool:
    text = statement.lstrip().upper()
    return text.startswith(WRITES) or "FOR UPDATE" in text


@contextmanager
def counted(engine: sa.Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        statements.append(" ".join(statement.split()))

    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)


@pytest.fixture(params=ENGINES)
def served(request, tmp_path):
    with migrated_database(request.param, tmp_path) as (_url, engine):
        app = create_app(app_settings(), engine=engine, check_schema=False)
        tokens = app.state.tokens
        with session_scope(engine) as session:
            caseworker = make_user(session, "caseworker")
            mentor = make_user(session, "mentor")
            coordinator = make_user(session, "coordinator")
            referral = make_referral(session, caseworker, mentor=make_mentor(session, mentor))
            cookie, sid = tokens.new_cookie_secret()
            session.add(
                WebSession(id=sid, user_id=coordinator.id, token_version=coordinator.token_version)
            )
            people = {
                "mentor": tokens.issue_api_token(mentor.id, mentor.token_version),
                "coordinator": tokens.issue_api_token(coordinator.id, coordinator.token_version),
                "cookie": cookie,
                "referral": referral.id,
            }
        yield engine, TestClient(app, follow_redirects=False), people


def _get(engine, client, path: str, **kwargs) -> list[str]:
    client.get(path, **kwargs)  # warm: the first request builds the routes
    with counted(engine) as statements:
        response = client.get(path, **kwargs)
    assert response.status_code == 200, response.text
    return statements


@pytest.mark.parametrize("role", ["mentor", "coordinator"])
def test_an_audited_api_read_is_six_statements_with_its_writes_last(served, role):
    engine, client, people = served
    headers = {"Authorization": f"Bearer {people[role]}"}
    statements = _get(engine, client, f"/api/v1/referrals/{people['referral']}", headers=headers)
    assert len(statements) == 6, statements  # 9 for a coordinator, 10 for a mentor before
    reads = [s for s in statements if not _is_write(s)]
    assert len(reads) == 3  # user; referral + citizen + hours (+ mentor); sub-goals
    assert statements[:3] == reads  # the chain's lock is taken by the commit, not before
    assert "audit_event" in statements[-1] and statements[-1].startswith("INSERT")


def test_a_page_finds_its_user_session_and_unread_count_in_one_statement(served):
    engine, client, people = served
    client.cookies.set(SESSION_COOKIE, people["cookie"])
    statements = _get(engine, client, f"/logbog/{people['referral']}")
    guard = [s for s in statements if "web_session" in s or 'FROM "user"' in s or "FROM user" in s]
    assert len(guard) == 1 and "notification" in guard[0]  # 3 statements before
    writes = [i for i, s in enumerate(statements) if _is_write(s)]
    assert writes and writes == list(range(len(statements) - len(writes), len(statements)))
    assert len(statements) <= 10  # 13 before
