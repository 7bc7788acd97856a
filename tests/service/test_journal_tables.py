"""The journal tables refuse being rewritten, on both engines.

- REPLACE INTO / INSERT OR REPLACE (SQLite) and INSERT … ON CONFLICT DO UPDATE (PostgreSQL)
  over an existing row are refused, like UPDATE and DELETE (migration 0007j).
- referral_event is append-only.
- refund_claim: only the workbook's build columns change; the period, creator and totals
  never, the workbook and its sha256 not once the claim is ready; a claim is never deleted.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from service.audit.service import Actor, record
from service.core import migrate
from service.core.db import make_engine
from service.corps.models import ReferralEvent
from tests.conftest import make_user
from tests.factories import make_claim, make_mentor, make_referral
from tests.logbook.test_append_only import write_entry


def refused(db: Session, sql: str, **params) -> str:
    """Run `sql` in a savepoint; it must fail. Returns the error text."""
    with pytest.raises(sa.exc.DatabaseError) as error, db.begin_nested():
        db.connection().execute(sa.text(sql), params)
    return str(error.value)


def replace_sql(db: Session, table: str, change: str = "id = EXCLUDED.id") -> str:
    """Write a row over itself: REPLACE on SQLite, an upsert on PostgreSQL."""
    if db.get_bind().dialect.name == "sqlite":
        return f"REPLACE INTO {table} SELECT * FROM {table} WHERE id = :id"  # noqa: S608
    return (
        f"INSERT INTO {table} SELECT * FROM {table} WHERE id = :id "  # noqa: S608
        f"ON CONFLICT (id) DO UPDATE SET {change}"
    )


def journal_rows(db: Session, users) -> dict[str, int]:
    """One row in each append-only journal table; table → id."""
    entry_id = write_entry(db, users)  # an entry, its first version, its shown mark
    record(db, Actor(users["admin"]), "read", purpose="casework", entity="x")
    referral = make_referral(db, users["caseworker"], mentor=make_mentor(db))
    db.add(ReferralEvent(referral_id=referral.id, user_id=users["caseworker"].id, to_status="x"))
    db.flush()

    def newest(table: str, where: str = "1 = 1") -> int:
        sql = f"SELECT max(id) FROM {table} WHERE {where}"  # noqa: S608
        return db.connection().execute(sa.text(sql)).scalar_one()

    return {
        "logbook_entry": entry_id,
        "logbook_version": newest("logbook_version", f"entry_id = {entry_id}"),
        "logbook_shown": newest("logbook_shown", f"entry_id = {entry_id}"),
        "audit_event": newest("audit_event"),
        "referral_event": newest("referral_event"),
    }


JOURNAL = ("logbook_entry", "logbook_version", "logbook_shown", "audit_event", "referral_event")


@pytest.mark.parametrize("table", JOURNAL)
def test_a_row_written_over_itself_is_refused(db, users, table):
    ids = journal_rows(db, users)
    count = f"SELECT count(*) FROM {table}"  # noqa: S608
    before = db.connection().execute(sa.text(count)).scalar_one()
    assert "append-only" in refused(db, replace_sql(db, table), id=ids[table])
    assert db.connection().execute(sa.text(count)).scalar_one() == before


def test_every_sqlite_connection_fires_triggers_recursively(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("a SQLite pragma")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA recursive_triggers").scalar() == 1


@pytest.mark.parametrize("table", JOURNAL)
def test_replace_is_refused_even_without_recursive_triggers(tmp_path, table):
    """Another client (sqlite3 on the file) does not set the pragma: the INSERT trigger holds."""
    url = f"sqlite:///{tmp_path / 'replace.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with Session(engine) as s:
        users = {r: make_user(s, r) for r in ("mentor", "caseworker", "coordinator", "admin")}
        ids = journal_rows(s, users)
        s.commit()
    engine.dispose()
    raw = sqlite3.connect(tmp_path / "replace.sqlite3")
    try:
        assert raw.execute("PRAGMA recursive_triggers").fetchone() == (0,)
        for verb in ("REPLACE", "INSERT OR REPLACE"):
            sql = f"{verb} INTO {table} SELECT * FROM {table} WHERE id = ?"  # noqa: S608
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                raw.execute(sql, (ids[table],))
        raw.rollback()
    finally:
        raw.close()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE referral_event SET reason = 'forfalsket' WHERE id = :id",
        "UPDATE referral_event SET to_status = 'closed' WHERE id = :id",
        "DELETE FROM referral_event WHERE id = :id",
    ],
)
def test_referral_events_are_append_only(db, users, sql):
    ids = journal_rows(db, users)
    assert "append-only" in refused(db, sql, id=ids["referral_event"])
    db.expire_all()
    assert db.get(ReferralEvent, ids["referral_event"]).reason == ""


def test_journal_tables_cannot_be_truncated(db, users):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    journal_rows(db, users)
    make_claim(db, users["finance"], date(2026, 1, 1), date(2026, 1, 31))
    for table in (*JOURNAL, "refund_claim"):
        assert "refused" in refused(db, f"TRUNCATE {table} CASCADE")


# --- refund claims -------------------------------------------------------------------------


def new_claim(db, users, status: str = "ready", workbook: bytes = b"workbook"):
    from reports.models import RefundClaim

    claim = RefundClaim(
        period_from=date(2026, 1, 1),
        period_to=date(2026, 1, 31),
        created_by=users["finance"].id,
        totals={"refund": "10.00"},
        workbook=workbook,
        sha256=hashlib.sha256(workbook).hexdigest() if workbook else "",
        status=status,
    )
    db.add(claim)
    db.flush()
    return claim


@pytest.fixture
def claim(db, users):
    return new_claim(db, users)


@pytest.mark.parametrize(
    "column, value",
    [
        ("period_from", date(2025, 12, 1)),
        ("period_to", date(2026, 2, 28)),
        ("created_by", "other user"),
        ("created_at", "2020-01-01 00:00:00+00:00"),
        ("totals", '{"refund": "1.00"}'),
    ],
)
def test_a_claims_period_creator_and_totals_never_change(db, users, claim, column, value):
    if value == "other user":
        value = make_user(db, "finance").id
    sql = f"UPDATE refund_claim SET {column} = :value WHERE id = :id"  # noqa: S608
    assert "refund_claim" in refused(db, sql, id=claim.id, value=value)


def test_a_claim_is_never_deleted(db, claim):
    assert "refund_claim" in refused(db, "DELETE FROM refund_claim WHERE id = :id", id=claim.id)
    assert "refund_claim" in refused(
        db, replace_sql(db, "refund_claim", "period_to = EXCLUDED.period_to + 1"), id=claim.id
    )


def test_a_claim_built_in_its_request_stores_its_workbook_once(db, users):
    """Inserted 'ready' without a workbook, it gets it in the same transaction, then no more."""
    claim = new_claim(db, users, workbook=b"")
    sql = "UPDATE refund_claim SET workbook = :data, sha256 = :digest WHERE id = :id"
    db.connection().execute(sa.text(sql), {"data": b"wb", "digest": "abc", "id": claim.id})
    assert "refund_claim" in refused(db, sql, data=b"forged", digest="def", id=claim.id)


def test_a_ready_claims_workbook_is_fixed(db, claim):
    assert claim.status == "ready" and claim.sha256
    for sql in (
        "UPDATE refund_claim SET workbook = :data WHERE id = :id",
        "UPDATE refund_claim SET sha256 = 'f00' WHERE id = :id AND :data IS NOT NULL",
        "UPDATE refund_claim SET status = 'building' WHERE id = :id AND :data IS NOT NULL",
    ):
        assert "refund_claim" in refused(db, sql, id=claim.id, data=b"forged")


def test_a_building_claim_takes_its_workbook_once(db, users):
    claim = new_claim(db, users, status="building", workbook=b"")
    connection = db.connection()
    connection.execute(
        sa.text("UPDATE refund_claim SET total = 9 WHERE id = :id"), {"id": claim.id}
    )
    connection.execute(
        sa.text(
            "UPDATE refund_claim SET workbook = :data, sha256 = 'abc', status = 'ready' "
            "WHERE id = :id"
        ),
        {"id": claim.id, "data": b"workbook"},
    )
    row = connection.execute(
        sa.text("SELECT status, sha256, total FROM refund_claim WHERE id = :id"), {"id": claim.id}
    ).one()
    assert tuple(row) == ("ready", "abc", 9)
    sql = "UPDATE refund_claim SET workbook = :data WHERE id = :id"
    assert "refund_claim" in refused(db, sql, id=claim.id, data=b"forged")
