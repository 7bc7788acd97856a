"""Migrations from an empty database on both engines, and the schema check."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from service.all_models import metadata
from service.core import migrate
from service.core.db import make_engine
from service.web.app import SchemaOutdated, create_app
from tests.conftest import PG_URL, app_settings


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request, tmp_path):
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
        yield engine
        engine.dispose()
        return
    request.getfixturevalue("postgresql_url")  # skips or fails like the rest of the suite
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"mk_mig_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(
        sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    )
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_from_empty_creates_every_table_and_is_idempotent(empty_engine):
    assert migrate.current_revision(empty_engine) is None
    migrate.upgrade(empty_engine)
    tables = set(sa.inspect(empty_engine).get_table_names())
    assert set(metadata.tables) <= tables
    assert migrate.current_revision(empty_engine) == migrate.head_revision()
    migrate.upgrade(empty_engine)  # twice changes nothing
    assert migrate.current_revision(empty_engine) == migrate.head_revision()


def test_models_and_migrations_agree(empty_engine):
    """Autogenerate finds nothing to do: the migrations build exactly the models' schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == []


def test_app_refuses_an_unmigrated_database(empty_engine):
    app = create_app(app_settings(), engine=empty_engine)
    with pytest.raises(SchemaOutdated, match="mentorkorps migrate"), TestClient(app):
        pass


def test_app_refuses_an_outdated_database(empty_engine):
    from alembic import command

    config = migrate.alembic_config(empty_engine.url.render_as_string(hide_password=False))
    command.upgrade(config, "0001")
    assert "forældet" in migrate.schema_problem(empty_engine)
    app = create_app(app_settings(), engine=empty_engine)
    with pytest.raises(SchemaOutdated), TestClient(app):
        pass


def test_app_serves_a_migrated_database(empty_engine):
    migrate.upgrade(empty_engine)
    with TestClient(create_app(app_settings(), engine=empty_engine)) as client:
        assert client.get("/healthz").json() == {"status": "ok", "db": "ok"}


def test_0007c_chains_the_rows_that_existed_and_keeps_the_triggers(empty_engine):
    """Rows written before the hash chains get chained in id order; append-only still holds."""
    from alembic import command

    from service.audit.verify import verify

    config = migrate.alembic_config(empty_engine.url.render_as_string(hide_password=False))
    command.upgrade(config, "0006_refund_claim_build")
    with empty_engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # no users or entries here: skip the FKs
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        else:
            conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        for n in range(1, 2502):  # more than one batch of the migration
            conn.execute(
                sa.text(
                    "INSERT INTO audit_event (at, user_id, actor, action, purpose, entity, "
                    "entity_id, citizen_id, ip, detail) VALUES (:at, NULL, 'a@b.dk', 'read', "
                    "'casework', 'citizen', :n, :n, '127.0.0.1', :detail)"
                ),
                {
                    "at": f"2026-11-2{n % 9} 10:00:00.{n:06d}",
                    "n": n,
                    "detail": '{"b": 1, "a": "æ"}' if n % 2 else "",
                },
            )
        for n in range(1, 4):
            conn.execute(
                sa.text(
                    "INSERT INTO logbook_version (entry_id, version, text, reason, author_id, "
                    "created_at) VALUES (1, :n, :t, '', 1, :at)"
                ),
                {"n": n, "t": f"Tekst {n}", "at": "2026-11-20 09:00:00"},
            )
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as conn:
        outcome = verify(conn)
        assert outcome.ok, outcome.message
        assert outcome.counts == {"audit_event": 2501, "logbook_version": 3}
        first = conn.execute(sa.text("SELECT MIN(id) FROM audit_event")).scalar()
        assert (
            conn.execute(
                sa.text("SELECT chain_seq FROM audit_event WHERE id = :id"), {"id": first}
            ).scalar()
            == 1
        )
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), empty_engine.begin() as conn:
        conn.execute(sa.text("UPDATE logbook_version SET text = 'x'"))
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), empty_engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_event"))
