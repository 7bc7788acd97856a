"""Deletion of a course and of old access rows: the only path that deletes journal rows.

The database refuses every DELETE on the journal tables (migrations 0002 and 0007j) except
inside `retention_pass`: on PostgreSQL a transaction-local setting (`SET LOCAL
mentorkorps.retention = 'on'`) that refuse_change() honours only for the tables' owner; on
SQLite a row in `retention_pass` that exists only inside this transaction.

A course's rows are found by following foreign keys from `referral` (and, when the
citizen has no course left, from `citizen`), as the database has them (reflected), so a
table added later that points at a course is deleted with it rather than blocking the
deletion.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from service.audit.chain import note_deletions
from service.audit.models import AuditEvent, RetentionPass
from service.core.clock import utcnow
from service.core.db import rowcount, table_of

# Tables whose rows carry a hash chain (service/audit/chain.py records deleted hashes).
CHAINED = ("logbook_version", "audit_event")
CHUNK = 1000


@contextmanager
def retention_pass(session: Session) -> Iterator[None]:
    """Let this transaction delete journal rows; closed again on a normal exit.

    On an error the caller rolls back, which also undoes the setting or the guard row.
    """
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    table = table_of(RetentionPass)
    if postgres:
        connection.execute(sa.text("SELECT set_config('mentorkorps.retention', 'on', true)"))
    else:
        inserted = connection.execute(sa.insert(table).values(at=utcnow())).inserted_primary_key
        assert inserted is not None  # a single-row INSERT always has it
        guard = inserted[0]
    yield
    if postgres:
        connection.execute(sa.text("SELECT set_config('mentorkorps.retention', 'off', true)"))
    else:
        connection.execute(sa.delete(table).where(table.c.id == guard))


def _schema(session: Session) -> sa.MetaData:
    """The database's tables with their foreign keys, reflected once per session."""
    schema = session.info.get("retention_schema")
    if schema is None:
        schema = session.info["retention_schema"] = sa.MetaData()
        schema.reflect(session.connection())
    return schema


def _table(session: Session, name: str) -> sa.Table:
    """A table as reflected: ids and foreign keys only (compare times on the models')."""
    return _schema(session).tables[name]


def _children(session: Session, table: sa.Table) -> list[tuple[sa.Table, sa.Column]]:
    """(table, column) of every foreign key that points at `table`."""
    found = []
    for other in _schema(session).tables.values():
        if other is table:
            continue  # self-references (an agreement superseding another) go in one statement
        for fk in other.foreign_keys:
            if fk.column.table is table:
                found.append((other, fk.parent))
    return found


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def delete_ids(session: Session, table: str, ids: list[int]) -> None:
    """Delete rows by id (inside `retention_pass` for journal tables)."""
    if not ids:
        return
    if table in CHAINED:
        note_deletions(session, table, ids)  # the chains stay verifiable across the gap
    rows = _table(session, table)
    for chunk in _chunks(ids):
        session.execute(sa.delete(rows).where(rows.c.id.in_(chunk)))


def delete_tree(
    session: Session, table: sa.Table, column: sa.Column, keys: list[int], counts: dict[str, int]
) -> None:
    """Delete the rows of `table` whose `column` is in `keys`, their dependants first."""
    if not keys:
        return
    if "id" not in table.c:  # no single id for other rows to point at
        for chunk in _chunks(keys):
            gone = rowcount(session.execute(sa.delete(table).where(column.in_(chunk))))
            counts[table.name] = counts.get(table.name, 0) + gone
        return
    ids: list[int] = []
    for chunk in _chunks(keys):
        ids += session.execute(sa.select(table.c.id).where(column.in_(chunk))).scalars().all()
    if not ids:
        return
    for child, child_column in _children(session, table):
        delete_tree(session, child, child_column, ids, counts)
    delete_ids(session, table.name, ids)
    counts[table.name] = counts.get(table.name, 0) + len(ids)


def delete_course(session: Session, referral_id: int) -> tuple[dict[str, int], int | None]:
    """Delete a course with everything that points at it, and its citizen when no course is
    left: (rows deleted per table, the deleted citizen's id or None). Inside retention_pass."""
    referral = _table(session, "referral")
    citizen_id = session.execute(
        sa.select(referral.c.citizen_id).where(referral.c.id == referral_id)
    ).scalar_one()
    counts: dict[str, int] = {}
    delete_tree(session, referral, referral.c.id, [referral_id], counts)
    left = session.execute(
        sa.select(sa.func.count()).select_from(referral).where(referral.c.citizen_id == citizen_id)
    ).scalar_one()
    if left:
        return counts, None
    citizen = _table(session, "citizen")
    delete_tree(session, citizen, citizen.c.id, [citizen_id], counts)
    return counts, citizen_id


def prune_access_log(session: Session, before: datetime) -> int:
    """Delete read and search rows of the audit trail older than `before`; how many."""
    audit = table_of(AuditEvent)
    removed = 0
    while True:
        ids = (
            session.execute(
                sa.select(audit.c.id)
                .where(audit.c.action.in_(("read", "search")), audit.c.at < before)
                .order_by(audit.c.id)
                .limit(CHUNK)
            )
            .scalars()
            .all()
        )
        if not ids:
            return removed
        delete_ids(session, "audit_event", list(ids))
        removed += len(ids)
