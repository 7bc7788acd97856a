"""background_task: one table for background work (big exports, claim workbooks)

- export_job's rows move to background_task with their ids (the export pages' URLs keep
  working); one still queued or running shows no sign of life since it was made, so it is
  found stale and built again.
- A claim whose workbook is not built yet gets its build as a task (kind 'claim_workbook',
  subject the claim): a 'building' one running under its builder, with its progress; a
  'failed' one failed with its error, and the claim 'building' (a failure is the task's).
- refund_claim keeps status (ready/building), workbook, sha256 and total (its entries);
  done, error, progress_at and builder go (SQLite drops them in place, so the journal
  guard's triggers stay). export_job goes.

Revision ID: 0008j_background_work
Revises: 0007r
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008j_background_work"
down_revision: str | None = "0007r"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BUILD_COLUMNS = ("done", "error", "progress_at", "builder")
TASK_COLUMNS = (
    "kind, subject_id, params, status, done, total, attempts, owner, progress_at, result, "
    "error, created_by, created_at, finished_at"
)


def _create_task_table() -> None:
    op.create_table(
        "background_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("progress_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result", sa.LargeBinary(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user.id"], name=op.f("fk_background_task_created_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_background_task")),
        sa.UniqueConstraint("kind", "subject_id", name=op.f("uq_background_task_kind")),
    )
    op.create_index(op.f("ix_background_task_status"), "background_task", ["status"])


def _create_export_table() -> None:
    """export_job as migration 0001 made it."""
    op.create_table(
        "export_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("result", sa.LargeBinary(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user.id"], name=op.f("fk_export_job_created_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_job")),
    )


def _next_id_after_copy(table: str) -> None:
    """PostgreSQL: rows copied with their ids leave the id sequence behind."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
        )


def upgrade() -> None:
    _create_task_table()
    op.execute(
        f"INSERT INTO background_task (id, {TASK_COLUMNS}) "  # noqa: S608  (names from this file)
        "SELECT id, kind, NULL, params, status, done, total, 0, '', "
        "COALESCE(finished_at, created_at), result, error, created_by, created_at, finished_at "
        "FROM export_job ORDER BY id"
    )
    _next_id_after_copy("background_task")
    op.execute(
        f"INSERT INTO background_task ({TASK_COLUMNS}) "  # noqa: S608
        "SELECT 'claim_workbook', id, '{}', "
        "CASE WHEN status = 'failed' THEN 'failed' ELSE 'running' END, done, total, 1, builder, "
        "COALESCE(progress_at, created_at), NULL, error, created_by, created_at, NULL "
        "FROM refund_claim WHERE status <> 'ready' ORDER BY id"
    )
    op.execute("UPDATE refund_claim SET status = 'building' WHERE status = 'failed'")
    for column in BUILD_COLUMNS:
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE refund_claim DROP COLUMN {column}")
        else:
            op.drop_column("refund_claim", column)
    op.drop_table("export_job")


def downgrade() -> None:
    _create_export_table()
    op.execute(
        "INSERT INTO export_job (id, kind, params, status, done, total, result, error, "
        "created_by, created_at, finished_at) "
        "SELECT id, kind, params, status, done, total, result, error, created_by, created_at, "
        "finished_at FROM background_task WHERE kind = 'refund_workbook' ORDER BY id"
    )
    _next_id_after_copy("export_job")
    with op.batch_alter_table("refund_claim", schema=None) as batch_op:
        batch_op.add_column(sa.Column("done", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("error", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("progress_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("builder", sa.String(length=32), nullable=False, server_default="")
        )
    task = (
        "(SELECT {column} FROM background_task WHERE kind = 'claim_workbook' "
        "AND subject_id = refund_claim.id)"
    )
    op.execute(
        "UPDATE refund_claim SET "  # noqa: S608
        + ", ".join(
            f"{column} = {task.format(column=source)}"
            for column, source in (
                ("done", "done"),
                ("error", "error"),
                ("progress_at", "progress_at"),
                ("builder", "owner"),
                ("status", "CASE WHEN status = 'failed' THEN 'failed' ELSE 'building' END"),
            )
        )
        + " WHERE status <> 'ready' AND EXISTS "
        + task.format(column="1")
    )
    op.execute("UPDATE refund_claim SET done = total WHERE status = 'ready'")
    op.drop_index(op.f("ix_background_task_status"), table_name="background_task")
    op.drop_table("background_task")
