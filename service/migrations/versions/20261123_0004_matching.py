"""matching: weights, exclusions, assignments, mentor agreements and cover

Revision ID: 0004_matching
Revises: 0003c_notifications
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_matching"
down_revision: str | None = "0003c_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "matching_weight",
        sa.Column("criterion", sa.String(length=30), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["user.id"], name=op.f("fk_matching_weight_updated_by_user")
        ),
        sa.PrimaryKeyConstraint("criterion", name=op.f("pk_matching_weight")),
    )
    op.create_table(
        "mentor_exclusion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["citizen_id"], ["citizen.id"], name=op.f("fk_mentor_exclusion_citizen_id_citizen")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user.id"], name=op.f("fk_mentor_exclusion_created_by_user")
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentor.id"], name=op.f("fk_mentor_exclusion_mentor_id_mentor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_exclusion")),
        sa.UniqueConstraint("citizen_id", "mentor_id", name=op.f("uq_mentor_exclusion_citizen_id")),
    )
    with op.batch_alter_table("mentor_exclusion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mentor_exclusion_citizen_id"), ["citizen_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mentor_exclusion_mentor_id"), ["mentor_id"], unique=False
        )

    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.Integer(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("top_mentor_id", sa.Integer(), nullable=True),
        sa.Column("top_score", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["by"], ["user.id"], name=op.f("fk_assignment_by_user")),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentor.id"], name=op.f("fk_assignment_mentor_id_mentor")
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referral.id"], name=op.f("fk_assignment_referral_id_referral")
        ),
        sa.ForeignKeyConstraint(
            ["top_mentor_id"], ["mentor.id"], name=op.f("fk_assignment_top_mentor_id_mentor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
    )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignment_mentor_id"), ["mentor_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_assignment_referral_id"), ["referral_id"], unique=False
        )

    op.create_table(
        "cover_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("absence_id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("substitute_mentor_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("confirmed_by", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["absence_id"], ["absence.id"], name=op.f("fk_cover_assignment_absence_id_absence")
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by"], ["user.id"], name=op.f("fk_cover_assignment_confirmed_by_user")
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referral.id"], name=op.f("fk_cover_assignment_referral_id_referral")
        ),
        sa.ForeignKeyConstraint(
            ["substitute_mentor_id"],
            ["mentor.id"],
            name=op.f("fk_cover_assignment_substitute_mentor_id_mentor"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cover_assignment")),
        sa.UniqueConstraint(
            "absence_id", "referral_id", name=op.f("uq_cover_assignment_absence_id")
        ),
    )
    with op.batch_alter_table("cover_assignment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cover_assignment_absence_id"), ["absence_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_cover_assignment_referral_id"), ["referral_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_cover_assignment_substitute_mentor_id"),
            ["substitute_mentor_id"],
            unique=False,
        )

    op.create_table(
        "mentor_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("mentor_name", sa.String(length=200), nullable=False),
        sa.Column("mentor_contact", sa.String(length=254), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("goal", sa.String(length=500), nullable=False),
        sa.Column("tasks", sa.Text(), nullable=False),
        sa.Column("hours_per_week", sa.BigInteger(), nullable=False),
        sa.Column("complaint", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user.id"], name=op.f("fk_mentor_agreement_created_by_user")
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentor.id"], name=op.f("fk_mentor_agreement_mentor_id_mentor")
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referral.id"], name=op.f("fk_mentor_agreement_referral_id_referral")
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["mentor_agreement.id"],
            name=op.f("fk_mentor_agreement_supersedes_id_mentor_agreement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_agreement")),
    )
    with op.batch_alter_table("mentor_agreement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mentor_agreement_mentor_id"), ["mentor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mentor_agreement_referral_id"), ["referral_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("mentor_agreement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentor_agreement_referral_id"))
        batch_op.drop_index(batch_op.f("ix_mentor_agreement_mentor_id"))

    op.drop_table("mentor_agreement")
    with op.batch_alter_table("cover_assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cover_assignment_substitute_mentor_id"))
        batch_op.drop_index(batch_op.f("ix_cover_assignment_referral_id"))
        batch_op.drop_index(batch_op.f("ix_cover_assignment_absence_id"))

    op.drop_table("cover_assignment")
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_referral_id"))
        batch_op.drop_index(batch_op.f("ix_assignment_mentor_id"))

    op.drop_table("assignment")
    with op.batch_alter_table("mentor_exclusion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentor_exclusion_mentor_id"))
        batch_op.drop_index(batch_op.f("ix_mentor_exclusion_citizen_id"))

    op.drop_table("mentor_exclusion")
    op.drop_table("matching_weight")
