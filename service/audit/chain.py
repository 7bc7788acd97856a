"""Tamper evidence: every audit row and logbook version is a link in a hash chain.

Each row carries `chain_seq` (its position in its table's chain) and `hash` =
SHA-256(previous hash, position, canonical content). `chain_head` holds each chain's last
link; its row lock (PostgreSQL) or the write lock (SQLite) orders the writers, so the chain
order is the commit order under that lock, not the id order (ids come from sequences
before any lock). A flush with new chained rows takes the lock once, for every chained
table in name order (a transaction never waits for a second head while holding the first),
and holds it until its transaction ends.

ORM inserts are chained by the `before_flush` listener below; Core inserts into a chained
table must go through `insert_chained`. Deletions (retention only) call `note_deletions`
first, so `mentorkorps verify` accepts the gap. The canonical form is `canonical` below;
migration 0007c carries a copy to chain the rows that existed before it.

Importing any module of `service.audit` installs the listener (the package imports this
module). Each chained table is registered by its own models' module (`register`), so the
audit trail, below the logbook, never imports it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service.audit.models import AuditEvent, ChainGap
from service.core.clock import utcnow
from service.core.db import table_of

GENESIS = "0" * 64
# The meaningful columns of each chained table and how each is normalised. The surrogate
# `id` is left out: the database assigns it during the INSERT, after the hash is computed.
FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
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
CHAINED = tuple(sorted(FIELDS))  # also the order in which the heads are locked
# The chained tables by name, as their models' modules register them (verify reads them).
TABLES: dict[str, sa.Table] = {}


def register(table: sa.Table) -> None:
    """Name the table of a chained model; its columns are the ones FIELDS lists."""
    if table.name not in FIELDS:
        raise ValueError(f"{table.name} is not a chained table")
    TABLES[table.name] = table


def chained_table(name: str) -> sa.Table:
    """A chained table; its models' module must have been imported (service.all_models)."""
    try:
        return TABLES[name]
    except KeyError:
        raise LookupError(f"{name} is not registered: import its models first") from None


register(table_of(AuditEvent))  # the logbook registers its versions (logbook/models.py)


class ChainMissing(RuntimeError):
    """The database has no chain heads: it predates migration 0007c."""


def _plain(kind: str, value):
    if value is None:
        return None
    if kind == "time":
        if value.tzinfo is None:  # SQLite hands back naive UTC
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if kind == "int":
        return int(value)
    if kind == "json":  # exactly what JSONDict stores and reads back
        return json.loads(json.dumps(value, ensure_ascii=False, default=str, sort_keys=True))
    return str(value)


def canonical(table: str, values: Mapping) -> str:
    """The row's meaningful content as stable JSON (the writer and the verifier share it)."""
    content = {name: _plain(kind, values.get(name)) for name, kind in FIELDS[table]}
    if "detail" in content and content["detail"] is None:
        content["detail"] = {}  # JSONDict stores None as {}
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def link(previous: str, seq: int, content: str) -> str:
    """The hash of the row at position `seq` whose predecessor's hash is `previous`."""
    return hashlib.sha256(f"{previous}\n{seq}\n{content}".encode()).hexdigest()


def lock_heads(connection: sa.Connection) -> dict[str, tuple[int, str]]:
    """Take the chain lock for this transaction and return each chain's (seq, hash)."""
    if connection.dialect.name == "postgresql":
        rows = connection.execute(
            sa.text("SELECT name, seq, hash FROM chain_head ORDER BY name FOR UPDATE")
        ).all()
    else:  # the UPDATE takes SQLite's write lock, so what it returns is the latest
        rows = connection.execute(
            sa.text("UPDATE chain_head SET seq = seq RETURNING name, seq, hash")
        ).all()
    heads = {row.name: (row.seq, row.hash) for row in rows}
    if set(CHAINED) - set(heads):
        raise ChainMissing("chain_head is incomplete: run `mentorkorps migrate`")
    return heads


def _save_heads(connection: sa.Connection, heads: dict[str, tuple[int, str]]) -> None:
    connection.execute(
        sa.text("UPDATE chain_head SET seq = :seq, hash = :hash WHERE name = :name"),
        [{"name": name, "seq": seq, "hash": last} for name, (seq, last) in heads.items()],
    )


def _extend(heads, table: str, rows: Iterable[Mapping]) -> list[tuple[int, str]]:
    seq, last = heads[table]
    links = []
    for values in rows:
        seq += 1
        last = link(last, seq, canonical(table, values))
        links.append((seq, last))
    heads[table] = (seq, last)
    return links


@sa.event.listens_for(Session, "before_flush")
def _chain_new_rows(session: Session, _context, _instances) -> None:
    pending = [o for o in session.new if getattr(type(o), "__tablename__", None) in FIELDS]
    if not pending:
        return
    pending.sort(key=lambda o: sa.inspect(o).insert_order)
    heads = lock_heads(session.connection())
    touched = {}
    for table in CHAINED:
        objects = [o for o in pending if o.__tablename__ == table]
        if not objects:
            continue
        values = ({name: getattr(o, name) for name, _ in FIELDS[table]} for o in objects)
        for obj, (seq, last) in zip(objects, _extend(heads, table, values), strict=True):
            obj.chain_seq, obj.hash = seq, last
        touched[table] = heads[table]
    _save_heads(session.connection(), touched)


def insert_chained(session: Session, table: sa.Table, rows: list[dict]) -> None:
    """Insert many rows into a chained table in one executemany, each one chained."""
    if not rows:
        return
    names = [name for name, _ in FIELDS[table.name]]
    missing = [name for name in names if name not in rows[0]]
    if missing:
        raise ValueError(f"{table.name}: every chained column is needed, missing {missing}")
    heads = lock_heads(session.connection())
    links = _extend(heads, table.name, rows)
    chained = [{**row, "chain_seq": s, "hash": h} for row, (s, h) in zip(rows, links, strict=True)]
    session.execute(sa.insert(table), chained)
    _save_heads(session.connection(), {table.name: heads[table.name]})


def note_deletions(session: Session, table: str, ids: list[int]) -> int:
    """Before deleting these rows, record each one's link (position and hash, no content).

    `verify` then accepts the missing positions and continues the chain from the recorded
    hash. Returns how many links were noted. Only the retention job deletes journal rows.
    """
    if table not in FIELDS:
        raise ValueError(f"{table} is not a chained table")
    rows = sa.table(table, sa.column("id"), sa.column("chain_seq"), sa.column("hash"))
    gap = table_of(ChainGap)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(gap).on_conflict_do_nothing(index_elements=["name", "chain_seq"])
    wanted = sorted({int(i) for i in ids})
    noted = 0
    now = utcnow()
    for start in range(0, len(wanted), 500):
        links = session.execute(
            sa.select(rows.c.chain_seq, rows.c.hash).where(
                rows.c.id.in_(wanted[start : start + 500]), rows.c.chain_seq.is_not(None)
            )
        ).all()
        if links:
            session.execute(
                insert,
                [{"name": table, "chain_seq": s, "hash": h, "noted_at": now} for s, h in links],
            )
            noted += len(links)
    return noted
