"""Migration 0008j on both engines: export jobs and unbuilt claim workbooks move into
background_task with their state, and back on downgrade."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command

from service.core import migrate
from tests.service.test_migrations import empty_engine  # noqa: F401  (the fixture)

BEFORE, AFTER = "0007r", "0008j_background_work"
MADE = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def to(engine: sa.Engine, revision: str, down: bool = False) -> None:
    config = migrate.alembic_config(engine.url.render_as_string(hide_password=False))
    (command.downgrade if down else command.upgrade)(config, revision)


def rows(engine: sa.Engine, sql: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(sql))]


def seed(engine: sa.Engine) -> None:
    """A user, three exports (done, running, queued) and three claims (ready, building, failed)."""
    insert_export = sa.text(
        "INSERT INTO export_job (id, kind, params, status, done, total, result, error, "
        "created_by, created_at, finished_at) VALUES (:id, 'refund_workbook', "
        '\'{"from": "2026-01-01", "to": "2026-03-31"}\', :status, :done, 9, :result, \'\', '
        "1, :made, :finished)"
    )
    insert_claim = sa.text(
        "INSERT INTO refund_claim (id, period_from, period_to, created_by, created_at, totals, "
        "workbook, sha256, status, done, total, error, progress_at, builder) VALUES "
        "(:id, :start, :end, 1, :made, '{}', :workbook, :sha, :status, :done, 9, :error, "
        ":progress, :builder)"
    )
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                'INSERT INTO "user" (id, email, name, role, password_hash, active, '
                "token_version, email_digest, created_at) "
                "VALUES (1, 'f@example.dk', 'Finance', 'finance', 'x', true, 1, false, :made)"
            ),
            {"made": MADE},
        )
        for id_, status, done, result, finished in (
            (4, "done", 9, b"PK", MADE),
            (7, "running", 3, None, None),
            (8, "queued", 0, None, None),
        ):
            connection.execute(
                insert_export,
                {
                    "id": id_,
                    "status": status,
                    "done": done,
                    "result": result,
                    "made": MADE,
                    "finished": finished,
                },
            )
        for id_, month, status, done, error, builder in (
            (1, 1, "ready", 9, "", ""),
            (2, 2, "building", 4, "", "b" * 32),
            (3, 3, "failed", 2, "Totalerne passer ikke", "c" * 32),
        ):
            ready = status == "ready"
            connection.execute(
                insert_claim,
                {
                    "id": id_,
                    "start": f"2026-0{month}-01",
                    "end": f"2026-0{month}-28",
                    "made": MADE,
                    "workbook": b"PK" if ready else b"",
                    "sha": "f" * 64 if ready else "",
                    "status": status,
                    "done": done,
                    "error": error,
                    "progress": None if ready else MADE,
                    "builder": builder,
                },
            )


def test_exports_and_unbuilt_claims_move_into_background_task_and_back(empty_engine):  # noqa: F811
    engine = empty_engine
    to(engine, BEFORE)
    seed(engine)
    to(engine, AFTER)

    tasks = rows(
        engine,
        "SELECT id, kind, subject_id, status, done, total, attempts, owner, error "
        "FROM background_task ORDER BY id",
    )
    exports, claims = tasks[:3], tasks[3:]
    assert [t[:6] for t in exports] == [
        (4, "refund_workbook", None, "done", 9, 9),
        (7, "refund_workbook", None, "running", 3, 9),
        (8, "refund_workbook", None, "queued", 0, 9),
    ]
    assert [t[0] > 8 for t in claims] == [True, True]  # new ids after the exports' ids
    assert [t[1:] for t in claims] == [
        ("claim_workbook", 2, "running", 4, 9, 1, "b" * 32, ""),
        ("claim_workbook", 3, "failed", 2, 9, 1, "c" * 32, "Totalerne passer ikke"),
    ]
    assert rows(engine, "SELECT id, status, total FROM refund_claim ORDER BY id") == [
        (1, "ready", 9),
        (2, "building", 9),
        (3, "building", 9),
    ]
    columns = {c["name"] for c in sa.inspect(engine).get_columns("refund_claim")}
    assert not columns & {"done", "error", "progress_at", "builder"}
    assert "export_job" not in sa.inspect(engine).get_table_names()
    with engine.begin() as connection:  # the id sequence follows the copied ids
        new = connection.execute(
            sa.text(
                "INSERT INTO background_task (kind, params, status, done, total, attempts, owner, "
                "progress_at, error, created_by, created_at) VALUES ('refund_workbook', '{}', "
                "'queued', 0, 0, 0, '', :made, '', 1, :made) RETURNING id"
            ),
            {"made": MADE},
        ).scalar_one()
    assert new > max(t[0] for t in tasks)
    # The journal guard still holds: a ready claim's workbook is fixed.
    with engine.connect() as connection:
        try:
            connection.execute(
                sa.text("UPDATE refund_claim SET workbook = :d WHERE id = 1"), {"d": b"x"}
            )
        except sa.exc.DBAPIError as error:
            assert "refund_claim" in str(error)
        else:
            raise AssertionError("a ready claim's workbook changed")

    to(engine, BEFORE, down=True)
    assert rows(engine, "SELECT id, status, done FROM export_job ORDER BY id") == [
        (4, "done", 9),
        (7, "running", 3),
        (8, "queued", 0),
        (new, "queued", 0),
    ]
    assert rows(
        engine, "SELECT id, status, done, error, builder FROM refund_claim ORDER BY id"
    ) == [
        (1, "ready", 9, "", ""),
        (2, "building", 4, "", "b" * 32),
        (3, "failed", 2, "Totalerne passer ikke", "c" * 32),
    ]
    assert "background_task" not in sa.inspect(engine).get_table_names()
