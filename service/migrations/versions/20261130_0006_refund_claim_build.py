"""refund_claim: the workbook's build state, for claims whose workbook is built in the background

Existing claims were built in their request: they are 'ready'.

Revision ID: 0006_refund_claim_build
Revises: 0005_time_entry_cover
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_refund_claim_build"
down_revision: str | None = "0005_time_entry_cover"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("refund_claim", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=10), nullable=False, server_default="ready")
        )
        batch_op.add_column(sa.Column("done", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("total", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("error", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("progress_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("builder", sa.String(length=32), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("refund_claim", schema=None) as batch_op:
        batch_op.drop_column("builder")
        batch_op.drop_column("progress_at")
        batch_op.drop_column("error")
        batch_op.drop_column("total")
        batch_op.drop_column("done")
        batch_op.drop_column("status")
