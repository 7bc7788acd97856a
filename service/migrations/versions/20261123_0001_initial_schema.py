"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "citizen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cpr", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("district", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen")),
        sa.UniqueConstraint("cpr", name=op.f("uq_citizen_cpr")),
    )
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
    )
    op.create_table(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("token_version", sa.Integer(), nullable=False),
        sa.Column("email_digest", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user")),
        sa.UniqueConstraint("email", name=op.f("uq_user_email")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("citizen_id", sa.Integer(), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_audit_event_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_citizen_at", ["citizen_id", "at"], unique=False)
        batch_op.create_index("ix_audit_event_user_at", ["user_id", "at"], unique=False)

    op.create_table(
        "crisis_plan_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user.id"], name=op.f("fk_crisis_plan_version_author_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_plan_version")),
    )
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
    op.create_table(
        "mentor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("gender", sa.String(length=10), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("languages", sa.Text(), nullable=False),
        sa.Column("background_areas", sa.Text(), nullable=False),
        sa.Column("target_groups", sa.Text(), nullable=False),
        sa.Column("roles", sa.Text(), nullable=False),
        sa.Column("district", sa.String(length=100), nullable=False),
        sa.Column("weekly_hours", sa.BigInteger(), nullable=False),
        sa.Column("max_caseload", sa.Integer(), nullable=False),
        sa.Column("employment", sa.String(length=10), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("presentation", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_mentor_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor")),
        sa.UniqueConstraint("user_id", name=op.f("uq_mentor_user_id")),
    )
    op.create_table(
        "refund_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("totals", sa.Text(), nullable=False),
        sa.Column("workbook", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user.id"], name=op.f("fk_refund_claim_created_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund_claim")),
    )
    with op.batch_alter_table("refund_claim", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_refund_claim_period_from"), ["period_from"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_refund_claim_period_to"), ["period_to"], unique=False)

    op.create_table(
        "refund_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("rate", sa.BigInteger(), nullable=False),
        sa.Column("refundable_categories", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user.id"], name=op.f("fk_refund_rule_created_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund_rule")),
        sa.UniqueConstraint("valid_from", name=op.f("uq_refund_rule_valid_from")),
    )
    op.create_table(
        "web_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_web_session_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_session")),
    )
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_session_user_id"), ["user_id"], unique=False)

    op.create_table(
        "absence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentor.id"], name=op.f("fk_absence_mentor_id_mentor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absence")),
    )
    with op.batch_alter_table("absence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_absence_mentor_id"), ["mentor_id"], unique=False)

    op.create_table(
        "mentor_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("hourly_rate", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentor.id"], name=op.f("fk_mentor_rate_mentor_id_mentor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_rate")),
        sa.UniqueConstraint("mentor_id", "valid_from", name=op.f("uq_mentor_rate_mentor_id")),
    )
    with op.batch_alter_table("mentor_rate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentor_rate_mentor_id"), ["mentor_id"], unique=False)

    op.create_table(
        "month_approval",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("approved_by", sa.Integer(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reopened_by", sa.Integer(), nullable=True),
        sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reopen_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by"], ["user.id"], name=op.f("fk_month_approval_approved_by_user")
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentor.id"], name=op.f("fk_month_approval_mentor_id_mentor")
        ),
        sa.ForeignKeyConstraint(
            ["reopened_by"], ["user.id"], name=op.f("fk_month_approval_reopened_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_month_approval")),
    )
    with op.batch_alter_table("month_approval", schema=None) as batch_op:
        batch_op.create_index(
            "ix_month_approval_mentor_month", ["mentor_id", "month"], unique=False
        )

    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("caseworker_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("job_goal", sa.String(length=500), nullable=False),
        sa.Column("focus_roles", sa.Text(), nullable=False),
        sa.Column("focus_areas", sa.Text(), nullable=False),
        sa.Column("target_groups", sa.Text(), nullable=False),
        sa.Column("required_languages", sa.Text(), nullable=False),
        sa.Column("preferred_mentor_gender", sa.String(length=10), nullable=True),
        sa.Column("granted_hours_per_week", sa.BigInteger(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("legal_basis", sa.String(length=20), nullable=False),
        sa.Column("lab_tasks", sa.Text(), nullable=False),
        sa.Column("sel85_tasks", sa.Text(), nullable=False),
        sa.Column("tasks_can", sa.Text(), nullable=False),
        sa.Column("tasks_cannot", sa.Text(), nullable=False),
        sa.Column("consent_information_exchange", sa.Boolean(), nullable=False),
        sa.Column("health_information", sa.Text(), nullable=False),
        sa.Column("considerations", sa.Text(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["caseworker_id"], ["user.id"], name=op.f("fk_referral_caseworker_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["citizen_id"], ["citizen.id"], name=op.f("fk_referral_citizen_id_citizen")
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentor.id"], name=op.f("fk_referral_mentor_id_mentor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_caseworker_id"), ["caseworker_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_referral_citizen_id"), ["citizen_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referral_mentor_id"), ["mentor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referral_status"), ["status"], unique=False)

    op.create_table(
        "training_expense",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user.id"], name=op.f("fk_training_expense_created_by_user")
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentor.id"], name=op.f("fk_training_expense_mentor_id_mentor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_expense")),
    )
    with op.batch_alter_table("training_expense", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_expense_date"), ["date"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_training_expense_mentor_id"), ["mentor_id"], unique=False
        )

    op.create_table(
        "logbook_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("sub_goal_ids", sa.Text(), nullable=False),
        sa.Column("observations", sa.Text(), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user.id"], name=op.f("fk_logbook_entry_author_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referral.id"], name=op.f("fk_logbook_entry_referral_id_referral")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logbook_entry")),
    )
    with op.batch_alter_table("logbook_entry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_logbook_entry_referral_occurred", ["referral_id", "occurred_on"], unique=False
        )

    op.create_table(
        "referral_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("from_status", sa.String(length=10), nullable=True),
        sa.Column("to_status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referral.id"], name=op.f("fk_referral_event_referral_id_referral")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_referral_event_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_event")),
    )
    with op.batch_alter_table("referral_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_event_referral_id"), ["referral_id"], unique=False
        )

    op.create_table(
        "sub_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referral.id"], name=op.f("fk_sub_goal_referral_id_referral")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sub_goal")),
    )
    with op.batch_alter_table("sub_goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sub_goal_referral_id"), ["referral_id"], unique=False)

    op.create_table(
        "time_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user.id"], name=op.f("fk_time_entry_created_by_user")
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentor.id"], name=op.f("fk_time_entry_mentor_id_mentor")
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referral.id"], name=op.f("fk_time_entry_referral_id_referral")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_time_entry")),
    )
    with op.batch_alter_table("time_entry", schema=None) as batch_op:
        batch_op.create_index("ix_time_entry_date", ["date"], unique=False)
        batch_op.create_index("ix_time_entry_mentor_date", ["mentor_id", "date"], unique=False)
        batch_op.create_index("ix_time_entry_referral_date", ["referral_id", "date"], unique=False)

    op.create_table(
        "logbook_shown",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["by_id"], ["user.id"], name=op.f("fk_logbook_shown_by_id_user")),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["logbook_entry.id"], name=op.f("fk_logbook_shown_entry_id_logbook_entry")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logbook_shown")),
        sa.UniqueConstraint("entry_id", name=op.f("uq_logbook_shown_entry_id")),
    )
    op.create_table(
        "logbook_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user.id"], name=op.f("fk_logbook_version_author_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["logbook_entry.id"],
            name=op.f("fk_logbook_version_entry_id_logbook_entry"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logbook_version")),
        sa.UniqueConstraint("entry_id", "version", name=op.f("uq_logbook_version_entry_id")),
    )
    with op.batch_alter_table("logbook_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_logbook_version_entry_id"), ["entry_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("logbook_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_logbook_version_entry_id"))

    op.drop_table("logbook_version")
    op.drop_table("logbook_shown")
    with op.batch_alter_table("time_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_time_entry_referral_date")
        batch_op.drop_index("ix_time_entry_mentor_date")
        batch_op.drop_index("ix_time_entry_date")

    op.drop_table("time_entry")
    with op.batch_alter_table("sub_goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sub_goal_referral_id"))

    op.drop_table("sub_goal")
    with op.batch_alter_table("referral_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_event_referral_id"))

    op.drop_table("referral_event")
    with op.batch_alter_table("logbook_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_logbook_entry_referral_occurred")

    op.drop_table("logbook_entry")
    with op.batch_alter_table("training_expense", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_expense_mentor_id"))
        batch_op.drop_index(batch_op.f("ix_training_expense_date"))

    op.drop_table("training_expense")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_status"))
        batch_op.drop_index(batch_op.f("ix_referral_mentor_id"))
        batch_op.drop_index(batch_op.f("ix_referral_citizen_id"))
        batch_op.drop_index(batch_op.f("ix_referral_caseworker_id"))

    op.drop_table("referral")
    with op.batch_alter_table("month_approval", schema=None) as batch_op:
        batch_op.drop_index("ix_month_approval_mentor_month")

    op.drop_table("month_approval")
    with op.batch_alter_table("mentor_rate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentor_rate_mentor_id"))

    op.drop_table("mentor_rate")
    with op.batch_alter_table("absence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_absence_mentor_id"))

    op.drop_table("absence")
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_session_user_id"))

    op.drop_table("web_session")
    op.drop_table("refund_rule")
    with op.batch_alter_table("refund_claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refund_claim_period_to"))
        batch_op.drop_index(batch_op.f("ix_refund_claim_period_from"))

    op.drop_table("refund_claim")
    op.drop_table("mentor")
    op.drop_table("export_job")
    op.drop_table("crisis_plan_version")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_user_at")
        batch_op.drop_index("ix_audit_event_citizen_at")

    op.drop_table("audit_event")
    op.drop_table("user")
    op.drop_table("contact")
    op.drop_table("citizen")
