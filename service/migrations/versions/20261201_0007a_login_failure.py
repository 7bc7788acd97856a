"""login_failure: atomic failed-login counters per (account, address) and per address

The per-user columns user.failed_logins and user.locked_until were read and written back,
so parallel attempts lost counts; they go. Locks in force at upgrade time are dropped.

Revision ID: 0007a
Revises: 0006_refund_claim_build
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007a"
down_revision: str | None = "0006_refund_claim_build"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_failure",
        sa.Column("key", sa.String(length=330), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_failure")),
    )
    op.create_index(op.f("ix_login_failure_email"), "login_failure", ["email"], unique=False)
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of "user" would trip its foreign keys.
    op.execute('ALTER TABLE "user" DROP COLUMN failed_logins')
    op.execute('ALTER TABLE "user" DROP COLUMN locked_until')


def downgrade() -> None:
    op.add_column(
        "user", sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("user", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.drop_index(op.f("ix_login_failure_email"), table_name="login_failure")
    op.drop_table("login_failure")
