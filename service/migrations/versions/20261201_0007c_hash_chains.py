"""hash chains: tamper evidence for the audit trail and the logbook versions

Adds `chain_seq` and `hash` to audit_event and logbook_version, the chain heads, the gaps
left by retention, and the record of verify runs. Rows that exist already are chained here,
in id order (the only order they have), with a copy of the app's canonical form
(service/audit/chain.py): a migration does not import the app.

The append-only triggers refuse the UPDATE that stamps the existing rows, so they are set
aside for it and restored exactly: on PostgreSQL `DISABLE`/`ENABLE TRIGGER USER`; on
SQLite each trigger's own CREATE statement is read from sqlite_master, dropped and re-run.
Columns are added with plain ALTER TABLE (no table rebuild, which would lose the triggers).

Revision ID: 0007c
Revises: 0006_refund_claim_build
Create Date: 2026-12-01
"""

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC

import sqlalchemy as sa
from alembic import op

revision: str = "0007c"
down_revision: str | None = "0007a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64
BATCH = 1000
# A copy of service/audit/chain.py FIELDS at this revision.
FIELDS = {
    "audit_event": (
        ("at", "time"),
        ("user_id", "int"),
        ("actor", "str"),
        ("action", "str"),
        ("purpose", "str"),
        ("entity", "str"),
        ("entity_id", "int"),
        ("citizen_id", "int"),
        ("ip", "str"),
        ("detail", "json"),
    ),
    "logbook_version": (
        ("entry_id", "int"),
        ("version", "int"),
        ("text", "str"),
        ("reason", "str"),
        ("author_id", "int"),
        ("created_at", "time"),
    ),
}
TYPES = {"time": sa.DateTime(timezone=True), "int": sa.BigInteger()}  # others: raw text


def _plain(kind, value):
    if value is None:
        return None
    if kind == "time":
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if kind == "int":
        return int(value)
    if kind == "json":
        loaded = json.loads(value) if value else {}
        return json.loads(json.dumps(loaded, ensure_ascii=False, default=str, sort_keys=True))
    return str(value)


def _canonical(table, values):
    content = {name: _plain(kind, values[name]) for name, kind in FIELDS[table]}
    if "detail" in content and content["detail"] is None:
        content["detail"] = {}
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _link(previous, seq, content):
    return hashlib.sha256(f"{previous}\n{seq}\n{content}".encode()).hexdigest()


def _set_triggers_aside(bind, table):
    """Disable the table's own triggers; return how to restore them."""
    if bind.dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        return lambda: op.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    saved = bind.execute(
        sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
        {"t": table},
    ).all()
    for name, _sql in saved:
        op.execute(f'DROP TRIGGER "{name}"')

    def restore():
        for _name, sql in saved:
            op.execute(sql)

    return restore


def _chain_existing(bind, table):
    """Stamp the existing rows in id order; return the chain's (seq, hash)."""
    columns = [sa.column(name, TYPES.get(kind, sa.Text())) for name, kind in FIELDS[table]]
    rows = sa.table(table, sa.column("id", sa.BigInteger()), *columns)
    stamp = sa.table(
        table, sa.column("id"), sa.column("chain_seq"), sa.column("hash", sa.String(64))
    )
    seq, last, after = 0, GENESIS, 0
    if bind.execute(sa.select(sa.func.count()).select_from(rows)).scalar_one() == 0:
        return seq, last
    restore = _set_triggers_aside(bind, table)
    while True:
        batch = bind.execute(
            sa.select(rows).where(rows.c.id > after).order_by(rows.c.id).limit(BATCH)
        ).all()
        if not batch:
            break
        stamps = []
        for row in batch:
            seq += 1
            last = _link(last, seq, _canonical(table, row._mapping))
            stamps.append({"row_id": row.id, "seq": seq, "h": last})
        bind.execute(
            sa.update(stamp)
            .where(stamp.c.id == sa.bindparam("row_id"))
            .values(chain_seq=sa.bindparam("seq"), hash=sa.bindparam("h")),
            stamps,
        )
        after = batch[-1].id
    restore()
    return seq, last


def upgrade() -> None:
    bind = op.get_bind()
    head = op.create_table(
        "chain_head",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_chain_head")),
    )
    op.create_table(
        "chain_gap",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("chain_seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("noted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", "chain_seq", name=op.f("pk_chain_gap")),
    )
    op.create_table(
        "verify_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verify_run")),
    )
    op.create_index(op.f("ix_verify_run_at"), "verify_run", ["at"], unique=False)
    heads = []
    for table in sorted(FIELDS):
        op.add_column(table, sa.Column("chain_seq", sa.BigInteger(), nullable=True))
        op.add_column(table, sa.Column("hash", sa.String(length=64), nullable=True))
        seq, last = _chain_existing(bind, table)
        op.create_index(f"ux_{table}_chain_seq", table, ["chain_seq"], unique=True)
        heads.append({"name": table, "seq": seq, "hash": last})
    op.bulk_insert(head, heads)


def downgrade() -> None:
    for table in sorted(FIELDS):
        op.drop_index(f"ux_{table}_chain_seq", table_name=table)
        op.drop_column(table, "hash")
        op.drop_column(table, "chain_seq")
    op.drop_index(op.f("ix_verify_run_at"), table_name="verify_run")
    op.drop_table("verify_run")
    op.drop_table("chain_gap")
    op.drop_table("chain_head")
