"""time_entry: a covering index for the refund report (date, referral, mentor, category, minutes)

Replaces ix_time_entry_date, which is its prefix: the report's aggregate queries read the
period's range of this index alone, never the table rows.

Revision ID: 0005_time_entry_cover
Revises: 0004_matching
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_time_entry_cover"
down_revision: str | None = "0004_matching"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["date", "referral_id", "mentor_id", "category", "minutes"]


def upgrade() -> None:
    with op.batch_alter_table("time_entry", schema=None) as batch_op:
        batch_op.create_index("ix_time_entry_date_cover", COLUMNS, unique=False)
        batch_op.drop_index("ix_time_entry_date")


def downgrade() -> None:
    with op.batch_alter_table("time_entry", schema=None) as batch_op:
        batch_op.create_index("ix_time_entry_date", ["date"], unique=False)
        batch_op.drop_index("ix_time_entry_date_cover")
