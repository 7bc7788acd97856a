"""`mentorkorps verify`: walk the hash chains and report the first broken link.

Each chain is read in `chain_seq` order in keyset batches (never all rows at once), merged
with the positions retention noted as deleted (`chain_gap`). Only positions up to the head
read at the start are walked, so rows committed meanwhile never look like a break.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from service.audit.chain import CHAINED, FIELDS, GENESIS, canonical, chained_table, link
from service.audit.models import ChainGap, VerifyRun
from service.core.db import table_of

BATCH = 1000
ROW, GAP = 0, 1


@dataclass
class Outcome:
    ok: bool
    counts: dict[str, int] = field(default_factory=dict)
    message: str = ""
    broken: str = ""  # "table:chain_seq" of the first broken link (the job's dedup key)


def _batches(connection, query, seq_column, upto: int) -> Iterator[sa.Row]:
    after = 0
    while True:
        rows = connection.execute(
            query.where(seq_column > after, seq_column <= upto).order_by(seq_column).limit(BATCH)
        ).all()
        yield from rows
        if len(rows) < BATCH:
            return
        after = rows[-1].chain_seq


def _walk(connection, name: str, head: tuple[int, str] | None) -> tuple[str, str, int]:
    """Return (problem, broken position, rows checked); problem is '' when the chain holds."""
    if head is None:
        return f"{name}: kædens hoved mangler", f"{name}:head", 0
    table = chained_table(name)
    loose = connection.execute(
        sa.select(table.c.id).where(table.c.chain_seq.is_(None)).order_by(table.c.id).limit(1)
    ).scalar()
    if loose is not None:
        return f"{name} id {loose}: rækken har ingen plads i kæden", f"{name}:id{loose}", 0
    head_seq, head_hash = head
    columns = [table.c[n] for n, _ in FIELDS[name]]
    rows = _batches(
        connection,
        sa.select(table.c.id, table.c.chain_seq, table.c.hash, *columns),
        table.c.chain_seq,
        head_seq,
    )
    gap = table_of(ChainGap)
    gaps = _batches(
        connection,
        sa.select(gap.c.chain_seq, gap.c.hash).where(gap.c.name == name),
        gap.c.chain_seq,
        head_seq,
    )
    merged = heapq.merge(
        ((r.chain_seq, ROW, r) for r in rows), ((g.chain_seq, GAP, g) for g in gaps)
    )
    expected, previous, previous_id, count = 1, GENESIS, None, 0
    for seq, kind, row in merged:
        if seq > expected:
            after = f" (efter id {previous_id})" if previous_id is not None else ""
            why = f"rækken på kædeposition {expected} mangler{after}: slettet uden notat"
            return f"{name}: {why}", f"{name}:{expected}", count
        if seq < expected:
            why = f"kædeposition {seq} findes både som række og som noteret slettet"
            return f"{name}: {why}", f"{name}:{seq}", count
        if kind == ROW:
            if row.hash != link(previous, seq, canonical(name, row._mapping)):
                why = "indholdet passer ikke til hashen (rækken eller hashen er ændret)"
                return f"{name} id {row.id} (kædeposition {seq}): {why}", f"{name}:{seq}", count
            previous_id = row.id
            count += 1
        previous = row.hash
        expected += 1
    if expected - 1 != head_seq or previous != head_hash:
        why = f"kæden slutter ved position {expected - 1}, men hovedet står på {head_seq}"
        if expected - 1 == head_seq:
            why = f"den sidste række (position {head_seq}) passer ikke til kædens hoved"
        return f"{name}: {why}", f"{name}:{expected}", count
    return "", "", count


def verify(connection: sa.Connection) -> Outcome:
    """Check every chain on this connection; the first broken link ends the check."""
    heads = {
        row.name: (row.seq, row.hash)
        for row in connection.execute(sa.text("SELECT name, seq, hash FROM chain_head"))
    }
    counts: dict[str, int] = {}
    for name in CHAINED:
        problem, broken, counts[name] = _walk(connection, name, heads.get(name))
        if problem:
            return Outcome(False, counts, f"Brudt: {problem}", broken)
    summary = ", ".join(f"{name} {n} rækker" for name, n in counts.items())
    return Outcome(True, counts, f"OK: {summary}")


def record_run(session: Session, outcome: Outcome, source: str) -> VerifyRun:
    """Keep the run's result for the admin's audit page."""
    run = VerifyRun(ok=outcome.ok, counts=outcome.counts, message=outcome.message, source=source)
    session.add(run)
    session.flush()
    return run


def verify_journal(
    session: Session, today: date, *, alert: Callable[[Session, Outcome], int]
) -> str:
    """The nightly check as a job: walk the chains, record the run, `alert` on a break.

    `alert` (the notification of the admins, one layer up) returns how many it notified.
    """
    outcome = verify(session.connection())
    record_run(session, outcome, "job")
    created = 0 if outcome.ok else alert(session, outcome)
    return f"verify_journal: {outcome.message}; {created} notifikationer"


def latest_run(session: Session) -> VerifyRun | None:
    return session.exec(
        select(VerifyRun).order_by(col(VerifyRun.at).desc(), col(VerifyRun.id).desc()).limit(1)
    ).first()


def verify_database(engine: Engine, source: str = "cli") -> Outcome:
    """Verify on one consistent snapshot (REPEATABLE READ on PostgreSQL) and record the run."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            outcome = verify(connection)
    with Session(engine, expire_on_commit=False) as session:
        record_run(session, outcome, source)
        session.commit()
    return outcome
