"""`mentorkorps backup` and `mentorkorps restore` on both engines (issue 11, Backup and restore).

The round trip uses committed databases of their own: the demo data is seeded into one,
backed up, restored into a new empty database, and every table's rows (all columns) are
compared between the two.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import col, select
from typer.testing import CliRunner

from logbook.models import TrainingExpense
from service.audit.models import AuditEvent
from service.audit.verify import verify_database
from service.auth.models import LoginFailure, User, WebSession
from service.cli import app
from service.core import backup_postgres, migrate
from service.core.background import BackgroundTask
from service.core.db import get_engine, make_engine, session_scope
from service.core.settings import get_settings
from service.corps.models import Citizen, MatchingWeight, Mentor, MentorExclusion
from service.demo import seed as demo
from service.jobs.runs import JobRun
from service.retention.deletion import delete_ids, retention_pass
from tests.conftest import make_user
from tests.service.committed_db import ENGINES, empty_database


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """cli(url, *args): run `mentorkorps` with DATABASE_URL=url."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MIGRATION_DATABASE_URL", raising=False)
    runner = CliRunner()

    def run(url: str, *args: str):
        monkeypatch.setenv("DATABASE_URL", url)
        get_settings.cache_clear()
        get_engine.cache_clear()
        try:
            return runner.invoke(app, list(args))
        finally:
            get_engine().dispose()
            get_engine.cache_clear()

    yield run
    get_settings.cache_clear()


def every_row(url: str) -> dict[str, list[tuple]]:
    """Each table's rows, all columns, in a stable order."""
    engine = make_engine(url, pool_size=1)
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return {
                name: [
                    tuple(row)
                    for row in connection.execute(
                        sa.select(table).order_by(*(table.primary_key.columns or table.columns))
                    )
                ]
                for name, table in sorted(metadata.tables.items())
            }
    finally:
        engine.dispose()


def seeded(url: str) -> None:
    """The demo data, plus a row in each table the demo leaves empty."""
    engine = make_engine(url, pool_size=1)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        demo.seed(session)
        user = session.exec(select(User)).first()
        mentor = session.exec(select(Mentor)).first()
        citizen = session.exec(select(Citizen)).first()
        assert user is not None and mentor is not None and citizen is not None
        session.add_all(
            [
                BackgroundTask(
                    kind="refund_workbook",
                    params={"from": "2026-01-01"},
                    result=b"\x00PK\xff",
                    created_by=user.id,
                    status="done",
                ),
                JobRun(job="stale_logbooks", run_date=date(2026, 11, 2), status="done"),
                MatchingWeight(criterion="language", weight=3, updated_by=user.id),
                MentorExclusion(
                    citizen_id=citizen.id, mentor_id=mentor.id, reason="Nabo", created_by=user.id
                ),
                TrainingExpense(
                    mentor_id=mentor.id,
                    date=date(2026, 3, 2),
                    description="Kursus i konflikthåndtering",
                    amount=Decimal("1234.56"),
                    created_by=user.id,
                ),
                WebSession(id="a" * 64, user_id=user.id, token_version=user.token_version),
                LoginFailure(key="address:192.0.2.7", failures=2),
            ]
        )
    with session_scope(engine) as session, retention_pass(session):  # a chain_gap row
        oldest = session.exec(select(AuditEvent.id).order_by(col(AuditEvent.id))).first()
        assert oldest is not None
        delete_ids(session, "audit_event", [oldest])
    verify_database(engine, source="cli")  # a verify_run row, and the chains are whole
    engine.dispose()


@pytest.mark.parametrize("kind", ENGINES)
def test_round_trip_keeps_every_row_of_every_table(kind, tmp_path, cli):
    file = tmp_path / "mentorkorps.backup"
    with empty_database(kind, tmp_path) as original, empty_database(kind, tmp_path) as copy:
        seeded(original)
        made = cli(original, "backup", str(file))
        assert made.exit_code == 0, made.output
        assert "Sikkerhedskopien er gemt" in made.output
        assert oct(file.stat().st_mode)[-3:] == "600"  # it holds CPR numbers

        restored = cli(copy, "restore", str(file))
        assert restored.exit_code == 0, restored.output
        assert "Gendannet:" in restored.output and "nyeste version" in restored.output

        before, after = every_row(original), every_row(copy)
        assert list(after) == list(before)
        for table, rows in before.items():
            assert after[table] == rows, f"table {table} differs after restore"
        # retention_pass holds a row only inside the retention job's transaction
        empty = [t for t, rows in before.items() if not rows and t != "retention_pass"]
        assert not empty, f"give these tables a row in seeded(): {empty}"
        checked = cli(copy, "verify")  # the hash chains survive the round trip
        assert checked.exit_code == 0, checked.output
        assert checked.output.startswith("OK: audit_event ")

        engine = make_engine(copy, pool_size=1)  # the copy takes new rows (sequences restored)
        with session_scope(engine) as session:
            assert make_user(session, "mentor").id > max(r[0] for r in after["user"])
        engine.dispose()


@pytest.mark.parametrize("kind", ENGINES)
def test_restore_refuses_a_database_with_data_or_a_schema(kind, tmp_path, cli):
    file = tmp_path / "mentorkorps.backup"
    with (
        empty_database(kind, tmp_path) as original,
        empty_database(kind, tmp_path) as migrated,
    ):
        engine = make_engine(original, pool_size=1)
        migrate.upgrade(engine)
        with session_scope(engine) as session:
            make_user(session, "admin")
        engine.dispose()
        assert cli(original, "backup", str(file)).exit_code == 0
        over_data = cli(original, "restore", str(file))
        assert over_data.exit_code == 1
        assert "ikke tom" in over_data.output and "har rækker" in over_data.output

        engine = make_engine(migrated, pool_size=1)
        migrate.upgrade(engine)
        engine.dispose()
        over_schema = cli(migrated, "restore", str(file))
        assert over_schema.exit_code == 1 and "allerede et skema" in over_schema.output
        assert every_row(migrated)["user"] == []  # untouched

        again = cli(original, "backup", str(file))
        assert again.exit_code == 1 and "findes allerede" in again.output


@pytest.mark.parametrize("kind", ENGINES)
def test_restore_refuses_a_file_that_is_no_backup(kind, tmp_path, cli):
    junk = tmp_path / "junk.backup"
    junk.write_text("ikke en sikkerhedskopi\n")
    with empty_database(kind, tmp_path) as empty:
        result = cli(empty, "restore", str(junk))
        missing = cli(empty, "restore", str(tmp_path / "findes-ikke.backup"))
    assert (
        result.exit_code == 1 and "ikke en" in result.output and "sikkerhedskopi" in result.output
    )
    assert missing.exit_code == 1 and "findes ikke" in missing.output


@pytest.mark.parametrize("kind", ENGINES)
def test_a_backup_of_an_older_schema_is_restored_at_head(kind, tmp_path, cli):
    file = tmp_path / "old.backup"
    with empty_database(kind, tmp_path) as old, empty_database(kind, tmp_path) as copy:
        engine = make_engine(old, pool_size=1)
        config = migrate.alembic_config(old)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0005")
        engine.dispose()
        assert cli(old, "backup", str(file)).exit_code == 0
        restored = cli(copy, "restore", str(file))
        assert restored.exit_code == 0, restored.output
        engine = make_engine(copy, pool_size=1)
        assert migrate.current_revision(engine) == migrate.head_revision()
        engine.dispose()


def test_missing_postgresql_tools_are_named(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.setattr(
        backup_postgres, "PG_BIN_GLOB", str(tmp_path / "no-postgresql" / "*" / "bin")
    )
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    made = cli(url, "backup", str(tmp_path / "x.backup"))
    assert made.exit_code == 1 and "pg_dump blev ikke fundet" in made.output
    (tmp_path / "x.backup").write_bytes(b"PGDMP")
    restored = cli(url, "restore", str(tmp_path / "x.backup"))
    assert restored.exit_code == 1 and "pg_restore blev ikke fundet" in restored.output
    assert not (tmp_path / "x.backup.delvis").exists()
