"""referral.submitted_citizen: what the caseworker submitted about the citizen

A referral keeps the citizen's name and contact data as its caseworker submitted them; the
citizen record changes only by a coordinator's confirmation. Existing referrals get the
citizen record as it is now (the best knowledge of what was submitted).

Revision ID: 0007r
Revises: 0006_refund_claim_build
Create Date: 2026-12-01
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007r"
down_revision: str | None = "0007m"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIELDS = ("name", "phone", "email", "address", "district")


def upgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("submitted_citizen", sa.Text(), nullable=False, server_default="{}")
        )
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT referral.id, citizen.name, citizen.phone, citizen.email, citizen.address,"
            " citizen.district FROM referral JOIN citizen ON citizen.id = referral.citizen_id"
        )
    ).all()
    update = sa.text("UPDATE referral SET submitted_citizen = :value WHERE id = :id")
    for row in rows:
        value = {k: v or "" for k, v in zip(FIELDS, row[1:], strict=True)}
        bind.execute(
            update, {"id": row[0], "value": json.dumps(value, ensure_ascii=False, sort_keys=True)}
        )


def downgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_column("submitted_citizen")
