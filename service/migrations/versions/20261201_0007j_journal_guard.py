"""journal guard: REPLACE refused, referral events and claims protected, deletion by retention only

- SQLite: every journal table also refuses an INSERT over an existing row (REPLACE INTO,
  INSERT OR REPLACE), whether or not the connection fires triggers recursively.
- referral_event is append-only like the logbook and the audit trail.
- refund_claim: the period, creator, creation time and totals never change; the workbook,
  its sha256 and the status not once stored ('ready' with a sha256: a claim built in its
  own request is inserted 'ready' and gets its workbook in the same transaction); a claim is
  never deleted or truncated.
- Deletion of journal rows only by the retention job: PostgreSQL's refuse_change() lets a
  DELETE through only while `mentorkorps.retention` is 'on' (SET LOCAL) and the current user
  owns the table; SQLite's DELETE triggers only while a row exists in retention_pass (which
  the job inserts and removes inside its own transaction).

Revision ID: 0007j
Revises: 0006_refund_claim_build
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007j"
down_revision: str | None = "0007c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_TABLES = ("logbook_entry", "logbook_version", "logbook_shown", "audit_event")
TABLES = (*OLD_TABLES, "referral_event")
# Unique keys other than id: a REPLACE conflicting on them would delete the other row.
UNIQUE_KEYS = {"logbook_version": ("entry_id", "version"), "logbook_shown": ("entry_id",)}
CLAIM_FIXED = ("id", "period_from", "period_to", "created_by", "created_at", "totals")
CLAIM_FIXED_WHEN_READY = ("status", "workbook", "sha256")
CLAIM_MESSAGE = (
    "a claim's period, creator and totals are fixed, its workbook once ready, "
    "and a claim is never deleted"
)

PG_REFUSE_CHANGE = """
CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger AS $$
BEGIN
    -- Only the retention job deletes: it sets mentorkorps.retention with SET LOCAL, and
    -- runs as the tables' owner (the runtime role has no DELETE privilege here anyway).
    IF TG_OP = 'DELETE'
       AND pg_catalog.current_setting('mentorkorps.retention', true) = 'on'
       AND pg_catalog.pg_has_role(
           current_user,
           (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID),
           'MEMBER') THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql
"""

PG_OLD_REFUSE_CHANGE = """
CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql
"""


def _pg_claim_function() -> str:
    same = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in CLAIM_FIXED)
    same_when_ready = " AND ".join(
        f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in CLAIM_FIXED_WHEN_READY
    )
    return f"""
CREATE FUNCTION refuse_claim_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND {same}
       AND (OLD.status IS DISTINCT FROM 'ready' OR OLD.sha256 = '' OR ({same_when_ready})) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'refund_claim: % refused: {CLAIM_MESSAGE.replace("'", "''")}', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql
"""


def _raise(message: str) -> str:
    return f"SELECT RAISE(ABORT, '{message.replace(chr(39), chr(39) * 2)}')"


def _sqlite_no_replace(table: str, message: str) -> str:
    keys = [("id",), *([UNIQUE_KEYS[table]] if table in UNIQUE_KEYS else [])]
    clash = " OR ".join(
        f"EXISTS (SELECT 1 FROM {table} WHERE "  # noqa: S608  (names from this file)
        + " AND ".join(f"{c} = NEW.{c}" for c in key)
        + ")"
        for key in keys
    )
    return (
        f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} WHEN {clash} "
        f"BEGIN {_raise(message)}; END"
    )


def upgrade() -> None:
    op.create_table(
        "retention_pass",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_pass")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_REFUSE_CHANGE)
        op.execute(
            "CREATE TRIGGER referral_event_append_only BEFORE UPDATE OR DELETE ON referral_event "
            "FOR EACH ROW EXECUTE FUNCTION refuse_change()"
        )
        op.execute(
            "CREATE TRIGGER referral_event_no_truncate BEFORE TRUNCATE ON referral_event "
            "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()"
        )
        op.execute(_pg_claim_function())
        op.execute(
            "CREATE TRIGGER refund_claim_fixed BEFORE UPDATE OR DELETE ON refund_claim "
            "FOR EACH ROW EXECUTE FUNCTION refuse_claim_change()"
        )
        op.execute(
            "CREATE TRIGGER refund_claim_no_truncate BEFORE TRUNCATE ON refund_claim "
            "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()"
        )
        return
    for table in OLD_TABLES:
        for operation in ("update", "delete"):
            op.execute(f"DROP TRIGGER {table}_no_{operation}")
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN {_raise(f'{table} is append-only: UPDATE refused')}; END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "  # noqa: S608
            "WHEN NOT EXISTS (SELECT 1 FROM retention_pass) "
            f"BEGIN {_raise(f'{table} is append-only: DELETE refused')}; END"
        )
        op.execute(_sqlite_no_replace(table, f"{table} is append-only: REPLACE refused"))
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CLAIM_FIXED)
    changed_when_ready = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CLAIM_FIXED_WHEN_READY)
    op.execute(
        "CREATE TRIGGER refund_claim_fixed BEFORE UPDATE ON refund_claim "
        f"WHEN {changed} OR (OLD.status = 'ready' AND OLD.sha256 != '' AND ({changed_when_ready})) "
        f"BEGIN {_raise(f'refund_claim: UPDATE refused: {CLAIM_MESSAGE}')}; END"
    )
    op.execute(
        "CREATE TRIGGER refund_claim_no_delete BEFORE DELETE ON refund_claim "
        f"BEGIN {_raise(f'refund_claim: DELETE refused: {CLAIM_MESSAGE}')}; END"
    )
    op.execute(
        _sqlite_no_replace("refund_claim", f"refund_claim: REPLACE refused: {CLAIM_MESSAGE}")
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER refund_claim_no_truncate ON refund_claim")
        op.execute("DROP TRIGGER refund_claim_fixed ON refund_claim")
        op.execute("DROP FUNCTION refuse_claim_change()")
        op.execute("DROP TRIGGER referral_event_no_truncate ON referral_event")
        op.execute("DROP TRIGGER referral_event_append_only ON referral_event")
        op.execute(PG_OLD_REFUSE_CHANGE)
    else:
        for name in ("refund_claim_fixed", "refund_claim_no_delete", "refund_claim_no_replace"):
            op.execute(f"DROP TRIGGER {name}")
        for table in TABLES:
            for operation in ("update", "delete", "replace"):
                op.execute(f"DROP TRIGGER {table}_no_{operation}")
        for table in OLD_TABLES:  # migration 0002's triggers
            for operation in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                    f"BEGIN {_raise(f'{table} is append-only: {operation} refused')}; END"
                )
    op.drop_table("retention_pass")
