"""Migrations from an empty database on both engines, and the schema check."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from service import migrate
from service.all_models import metadata
from service.app import SchemaOutdated, create_app
from service.db import make_engine
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
