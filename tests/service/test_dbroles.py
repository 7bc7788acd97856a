"""PostgreSQL least privilege: migrations as the owner, the app as a runtime role that owns
nothing and may only read and append to the journal (`mentorkorps db grant`).

Roles are cluster-wide and other test sessions run at the same time: every role and
database here has a uuid suffix and is dropped after.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session
from typer.testing import CliRunner

from logbook.entries import create_entry
from service.audit.service import Actor
from service.cli import app as cli_app
from service.core import migrate
from service.core.db import get_engine, make_engine
from service.core.settings import get_settings
from service.web.app import create_app
from tests.conftest import PG_URL, app_settings, make_user, page_login
from tests.factories import make_claim, make_mentor, make_referral
from tests.service.corps.test_api_referrals import BODY

pytestmark = pytest.mark.postgres_only


def url_for(user: str, database: str) -> str:
    url = sa.engine.make_url(PG_URL).set(username=user, password=None, database=database)
    return url.render_as_string(hide_password=False)


@dataclass
class Roles:
    database: str
    owner: str
    runtime: str
    owner_url: str
    runtime_url: str


@pytest.fixture
def roles(engine, monkeypatch) -> Iterator[Roles]:
    """A database owned and migrated by a non-superuser owner; a runtime role granted by
    `mentorkorps db grant` with MIGRATION_DATABASE_URL (the owner)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("roles and privileges: PostgreSQL only")
    suffix = uuid.uuid4().hex[:10]
    names = Roles(
        database=f"mk_roles_{suffix}",
        owner=f"mk_owner_{suffix}",
        runtime=f"mk_runtime_{suffix}",
        owner_url="",
        runtime_url="",
    )
    names.owner_url = url_for(names.owner, names.database)
    names.runtime_url = url_for(names.runtime, names.database)
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE ROLE "{names.owner}" LOGIN CREATEROLE'))
        conn.execute(sa.text(f'CREATE DATABASE "{names.database}" OWNER "{names.owner}"'))
    try:
        monkeypatch.setenv("DATABASE_URL", names.runtime_url)
        monkeypatch.setenv("MIGRATION_DATABASE_URL", names.owner_url)
        monkeypatch.delenv("RUNTIME_ROLE", raising=False)
        get_settings.cache_clear()
        get_engine.cache_clear()
        runner = CliRunner()
        migrated = runner.invoke(cli_app, ["migrate"])
        assert migrated.exit_code == 0, migrated.output
        granted = runner.invoke(cli_app, ["db", "grant", "--runtime-role", names.runtime])
        assert granted.exit_code == 0, granted.output
        assert "oprettet" in granted.output
        again = runner.invoke(cli_app, ["db", "grant", "--runtime-role", names.runtime])
        assert again.exit_code == 0 and "oprettet" not in again.output  # idempotent
        assert again.output in granted.output
        yield names
    finally:
        get_settings.cache_clear()
        get_engine.cache_clear()
        sa.orm.close_all_sessions()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{names.database}" WITH (FORCE)'))
            conn.execute(sa.text(f'DROP ROLE IF EXISTS "{names.runtime}"'))
            conn.execute(sa.text(f'DROP ROLE IF EXISTS "{names.owner}"'))
        admin.dispose()


@pytest.fixture
def owner(roles) -> Iterator[sa.Engine]:
    eng = make_engine(roles.owner_url, pool_size=2)
    yield eng
    eng.dispose()


@pytest.fixture
def runtime(roles) -> Iterator[sa.Engine]:
    eng = make_engine(roles.runtime_url, pool_size=2)
    yield eng
    eng.dispose()


def seed(owner: sa.Engine) -> dict:
    """Committed rows in every journal table, written as the owner."""
    with Session(owner, expire_on_commit=False) as s:
        users = {r: make_user(s, r) for r in ("mentor", "caseworker", "coordinator", "finance")}
        referral = make_referral(
            s, users["caseworker"], mentor=make_mentor(s, user=users["mentor"])
        )
        view = create_entry(
            session=s,
            actor=Actor(users["mentor"]),
            referral_id=referral.id,
            occurred_on=date(2026, 6, 1),
            kind="conversation",
            text="Original",
            shown_to_citizen=True,
        )
        s.execute(
            sa.text(
                "INSERT INTO referral_event (referral_id, at, to_status, reason, detail) "
                "VALUES (:r, now(), 'submitted', '', '{}')"
            ),
            {"r": referral.id},
        )
        make_claim(s, users["finance"], date(2026, 1, 1), date(2026, 1, 31))
        s.commit()
        return {"users": users, "referral": referral, "entry_id": view.entry.id}


def attempt(engine: sa.Engine, *statements: str) -> str:
    """Run the statements in one transaction; they must fail. Returns the error."""
    with engine.connect() as conn, pytest.raises(sa.exc.DatabaseError) as error:
        for statement in statements:
            conn.execute(sa.text(statement))
    return str(error.value)


JOURNAL = ("logbook_version", "audit_event", "referral_event")
FORBIDDEN = [
    *(f"UPDATE {t} SET id = id" for t in JOURNAL),  # noqa: S608
    *(f"DELETE FROM {t}" for t in JOURNAL),  # noqa: S608
    *(f"TRUNCATE {t} CASCADE" for t in JOURNAL),
    *(f"ALTER TABLE {t} DISABLE TRIGGER USER" for t in JOURNAL),
    "CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger AS $$ BEGIN RETURN OLD; END; "
    "$$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION public.refuse_change() RETURNS trigger AS $$ BEGIN RETURN NULL; "
    "END; $$ LANGUAGE plpgsql",
    "DROP TRIGGER logbook_version_append_only ON logbook_version",
    "UPDATE refund_claim SET totals = '{}'",
    "UPDATE refund_claim SET period_to = period_to + 1",
    "DELETE FROM refund_claim",
    "UPDATE alembic_version SET version_num = version_num",
]


def test_the_runtime_role_cannot_change_or_unprotect_the_journal(roles, owner, runtime):
    seed(owner)
    for statement in FORBIDDEN:
        error = attempt(runtime, statement)
        assert "permission denied" in error or "must be owner" in error, (statement, error)
    # Not even with the retention job's setting.
    error = attempt(runtime, "SET LOCAL mentorkorps.retention = 'on'", "DELETE FROM audit_event")
    assert "permission denied" in error
    with runtime.connect() as conn:
        owned = conn.execute(
            sa.text(
                "SELECT count(*) FROM pg_class WHERE relowner = "
                "(SELECT oid FROM pg_roles WHERE rolname = current_user)"
            )
        ).scalar_one()
    assert owned == 0


def test_the_runtime_role_appends_and_keeps_the_other_tables(roles, owner, runtime):
    rows = seed(owner)
    with runtime.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO audit_event (at, actor, action, purpose, entity, ip, detail) "
                "VALUES (now(), 'test', 'read', 'casework', 'x', '', '{}')"
            )
        )
        changed = conn.execute(
            sa.text("UPDATE \"user\" SET name = 'Omdøbt' WHERE id = :id"),
            {"id": rows["users"]["coordinator"].id},
        )
        assert changed.rowcount == 1
        # a claim's workbook columns are the runtime role's to write (while it builds)
        conn.execute(sa.text("UPDATE refund_claim SET status = status, sha256 = sha256"))
        conn.execute(sa.text("UPDATE background_task SET progress_at = now()"))
    with owner.connect() as conn:
        assert (
            conn.execute(
                sa.text("SELECT count(*) FROM audit_event WHERE actor = 'test'")
            ).scalar_one()
            == 1
        )


def test_only_the_owner_in_a_retention_pass_deletes(roles, owner):
    """refuse_change() lets a DELETE through only with the setting AND as the owner."""
    rows = seed(owner)
    intruder = f"mk_intruder_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url_for("postgres", roles.database), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE ROLE "{intruder}" LOGIN'))
            conn.execute(sa.text(f'GRANT SELECT, DELETE ON logbook_shown TO "{intruder}"'))
        other = make_engine(url_for(intruder, roles.database), pool_size=1)
        try:
            error = attempt(
                other, "SET LOCAL mentorkorps.retention = 'on'", "DELETE FROM logbook_shown"
            )
            assert "append-only" in error
        finally:
            other.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'REVOKE ALL ON logbook_shown FROM "{intruder}"'))
            conn.execute(sa.text(f'DROP ROLE "{intruder}"'))
        admin.dispose()
    assert "append-only" in attempt(owner, "DELETE FROM logbook_shown")
    with owner.connect() as conn:
        conn.execute(sa.text("SET LOCAL mentorkorps.retention = 'on'"))
        deleted = conn.execute(
            sa.text("DELETE FROM logbook_shown WHERE entry_id = :id"), {"id": rows["entry_id"]}
        )
        assert deleted.rowcount == 1
        conn.rollback()


def test_the_app_serves_as_the_runtime_role(roles, owner, runtime):
    rows = seed(owner)
    app = create_app(app_settings(), engine=runtime)
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as client:
        page_login(client, rows["users"]["caseworker"])  # a web session and an audit row
        created = client.post(
            "/api/v1/referrals",
            json=BODY,
            headers={"Authorization": f"Bearer {issue(app, rows['users']['caseworker'])}"},
        )
        assert created.status_code == 201, created.text
        # An amendment locks its entry: no row lock (the runtime role may not UPDATE it).
        amended = client.post(
            f"/api/v1/logbook/{rows['entry_id']}/amendments",
            json={"text": "Rettet", "reason": "Stavefejl"},
            headers={"Authorization": f"Bearer {issue(app, rows['users']['mentor'])}"},
        )
        assert amended.status_code == 201, amended.text
        assert amended.json()["version"] == 2
    with owner.connect() as conn:
        events = conn.execute(
            sa.text("SELECT count(*) FROM referral_event WHERE referral_id = :id"),
            {"id": created.json()["id"]},
        ).scalar_one()
    assert events == 1


def issue(app, user) -> str:
    return app.state.tokens.issue_api_token(user.id, user.token_version)


def test_migrate_uses_the_migration_url_and_regrants(roles, owner, monkeypatch):
    """With RUNTIME_ROLE set, `mentorkorps migrate` (as the owner) grants again."""
    with owner.begin() as conn:
        conn.execute(sa.text(f'REVOKE ALL ON audit_event FROM "{roles.runtime}"'))
    monkeypatch.setenv("RUNTIME_ROLE", roles.runtime)
    get_settings.cache_clear()
    result = CliRunner().invoke(cli_app, ["migrate"])
    assert result.exit_code == 0, result.output
    assert roles.runtime in result.output
    with owner.connect() as conn:
        may = conn.execute(
            sa.text(
                "SELECT has_table_privilege(:r, 'audit_event', 'INSERT'), "
                "has_table_privilege(:r, 'audit_event', 'UPDATE')"
            ),
            {"r": roles.runtime},
        ).one()
    assert tuple(may) == (True, False)
    assert migrate.current_revision(owner) == migrate.head_revision()


def test_the_retention_job_deletes_as_the_owner(roles, owner, runtime, monkeypatch):
    """The scheduler's session is the runtime role's; the job deletes on the owner's URL."""
    from service.retention.rules import NotOwner, retention
    from tests.service.jobs.conftest import utc

    with Session(owner, expire_on_commit=False) as s:
        caseworker = make_user(s, "caseworker")
        old = make_referral(s, caseworker, status="closed", closed_at=utc(2019, 1, 1, 12))
        s.commit()
    with Session(runtime) as s:
        outcome = retention(s, date(2026, 12, 1))  # MIGRATION_DATABASE_URL is set
        s.commit()
    assert outcome.startswith("retention: 1 forløb slettet")
    with owner.connect() as conn:
        left = conn.execute(
            sa.text("SELECT count(*) FROM referral WHERE id = :id"), {"id": old.id}
        ).scalar_one()
    assert left == 0
    monkeypatch.delenv("MIGRATION_DATABASE_URL")
    get_settings.cache_clear()
    with Session(runtime) as s, pytest.raises(NotOwner, match="MIGRATION_DATABASE_URL"):
        retention(s, date(2026, 12, 1))
