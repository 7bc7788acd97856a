"""Tamper evidence: audit rows and logbook versions are hash-chained; `verify` finds a break.

The tampering tests work as the database owner on a throwaway migrated database (committed
data, like an attacker with the owner's password), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from logbook.amendments import amend_entry
from logbook.entries import create_entry
from logbook.models import LogbookVersion
from service.audit.chain import GENESIS, canonical, insert_chained, link, note_deletions
from service.audit.models import AuditEvent, VerifyRun
from service.audit.service import Actor, record
from service.audit.verify import verify, verify_database
from service.cli import app as cli_app
from service.core.clock import utcnow
from service.core.db import get_engine, table_of
from service.core.settings import get_settings
from service.jobs.registry import JOBS
from service.notifications.models import Notification
from tests.conftest import csrf_token, make_user
from tests.factories import make_mentor, make_referral
from tests.service.committed_db import migrated_database


def write_journal(session: Session, users: dict, amendments: int = 1) -> int:
    """An entry (version 1 and its audit row) plus amendments; returns the entry id."""
    mentor = make_mentor(session, user=users["mentor"])
    referral = make_referral(session, users["caseworker"], mentor=mentor)
    view = create_entry(
        session=session,
        actor=Actor(users["mentor"]),
        referral_id=referral.id,
        occurred_on=date(2026, 6, 1),
        kind="conversation",
        text="Vi talte om praktik.",
        shown_to_citizen=False,
    )
    for n in range(amendments):
        amend_entry(
            session=session,
            actor=Actor(users["mentor"]),
            entry_id=view.entry.id,
            text=f"Vi talte om praktik hos Netto ({n}).",
            reason="Præcisering",
        )
    return view.entry.id


def chain_of(session: Session, model) -> list:
    return list(session.exec(select(model).order_by(col(model.chain_seq))).all())


def assert_chained(rows, table: str) -> None:
    previous = None
    for row in rows:
        assert row.chain_seq is not None and row.hash is not None
        if previous is not None:
            assert row.chain_seq == previous.chain_seq + 1
            values = row.model_dump()
            assert row.hash == link(previous.hash, row.chain_seq, canonical(table, values))
        previous = row


# --- writing through the app chains every row ------------------------------------------


def test_app_writes_are_chained_and_verify_is_ok(db, users):
    write_journal(db, users, amendments=2)
    record(db, Actor(users["admin"]), "read", purpose="administration", entity="user")
    db.flush()
    versions = chain_of(db, LogbookVersion)
    events = chain_of(db, AuditEvent)
    assert len(versions) >= 3 and len(events) >= 4
    assert_chained(versions, "logbook_version")
    assert_chained(events, "audit_event")
    if versions[0].chain_seq == 1:
        first = canonical("logbook_version", versions[0].model_dump())
        assert versions[0].hash == link(GENESIS, 1, first)
    outcome = verify(db.connection())
    assert outcome.ok, outcome.message
    assert outcome.message.startswith("OK: audit_event ")
    assert outcome.counts["logbook_version"] == versions[-1].chain_seq


def test_core_bulk_inserts_are_chained(db, users):
    base = {
        "at": utcnow(),
        "user_id": users["finance"].id,
        "actor": users["finance"].email,
        "action": "read",
        "purpose": "refund",
        "entity": "citizen",
        "ip": "",
        "detail": {"field": "cpr", "from": date(2026, 1, 1)},
    }
    rows = [{**base, "entity_id": n, "citizen_id": n} for n in range(1, 6)]
    insert_chained(db, AuditEvent.__table__, rows)
    events = chain_of(db, AuditEvent)
    assert [e.entity_id for e in events[-5:]] == [1, 2, 3, 4, 5]
    assert_chained(events, "audit_event")
    assert verify(db.connection()).ok


def test_a_rolled_back_savepoint_leaves_the_chain_whole(db, users):
    write_journal(db, users)
    nested = db.begin_nested()
    record(db, Actor(users["admin"]), "read", purpose="administration", entity="user")
    db.flush()
    nested.rollback()
    record(db, Actor(users["admin"]), "read", purpose="administration", entity="user")
    db.flush()
    assert verify(db.connection()).ok


# --- the nightly job and the admin page ----------------------------------------------------


def break_a_version(connection: sa.Connection, version_id: int, text: str = "Forfalsket") -> None:
    """As the owner: set the append-only triggers aside and rewrite a version's text."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("ALTER TABLE logbook_version DISABLE TRIGGER USER")
    else:
        for (name,) in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'logbook_version'"
        ).all():
            connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    connection.execute(
        sa.text("UPDATE logbook_version SET text = :t WHERE id = :id"),
        {"t": text, "id": version_id},
    )


def test_the_nightly_job_notifies_every_admin_once_on_a_break(db, users):
    other_admin = make_user(db, "admin")
    write_journal(db, users)
    assert JOBS["verify_journal"].run(db, date(2026, 12, 1)).startswith("verify_journal: OK")
    assert db.exec(select(Notification).where(Notification.kind == "journal_broken")).all() == []
    version = chain_of(db, LogbookVersion)[-1]
    break_a_version(db.connection(), version.id)  # rolled back with the test's transaction
    first = JOBS["verify_journal"].run(db, date(2026, 12, 1))
    again = JOBS["verify_journal"].run(db, date(2026, 12, 2))
    assert f"logbook_version id {version.id}" in first and "2 notifikationer" in first
    assert "0 notifikationer" in again
    sent = db.exec(select(Notification).where(Notification.kind == "journal_broken")).all()
    assert sorted(n.user_id for n in sent) == sorted([users["admin"].id, other_admin.id])
    assert all(n.link == "/admin/logning" and "Forfalsket" not in n.text for n in sent)
    runs = db.exec(select(VerifyRun).order_by(col(VerifyRun.id))).all()
    assert [r.ok for r in runs[-3:]] == [True, False, False]


def test_admin_runs_the_check_and_sees_the_last_result(pages, db, users):
    from bs4 import BeautifulSoup

    admin = pages("admin")
    page = BeautifulSoup(admin.get("/admin/logning").text, "html.parser")
    assert "ikke kørt endnu" in page.select_one("#verify-run").get_text()
    write_journal(db, users)
    refused = admin.post("/admin/logning/kontroller", data={})
    assert refused.status_code in (400, 403)
    answer = admin.post("/admin/logning/kontroller", data={"csrf_token": csrf_token(admin)})
    assert answer.status_code == 303 and answer.headers["location"] == "/admin/logning"
    text = BeautifulSoup(admin.get("/admin/logning").text, "html.parser").get_text(" ")
    assert "Seneste kontrol af journalen:" in text and "OK" in text
    version = chain_of(db, LogbookVersion)[-1]
    break_a_version(db.connection(), version.id)
    admin.post("/admin/logning/kontroller", data={"csrf_token": csrf_token(admin)})
    section = BeautifulSoup(admin.get("/admin/logning").text, "html.parser")
    shown = section.select_one("#verify-run").get_text(" ")
    assert "Brudt" in shown and f"logbook_version id {version.id}" in shown


# --- committed data on a throwaway database: concurrency and tampering ---------------------


@pytest.fixture
def scratch(engine, tmp_path):
    """(url, engine) of a fresh migrated database of the same kind as `engine`."""
    with migrated_database(engine.dialect.name, tmp_path, pool_size=12) as (url, eng):
        yield url, eng


@pytest.fixture
def cli(monkeypatch):
    """cli(url, *args): run `mentorkorps` against the database at url."""
    runner = CliRunner()

    def invoke(url: str, *args: str):
        monkeypatch.setenv("DATABASE_URL", url)
        get_settings.cache_clear()
        get_engine.cache_clear()
        try:
            return runner.invoke(cli_app, list(args))
        finally:
            get_engine().dispose()
            get_engine.cache_clear()
            get_settings.cache_clear()

    return invoke


def committed_journal(eng, amendments: int = 3) -> dict:
    with Session(eng, expire_on_commit=False) as s:
        users = {r: make_user(s, r) for r in ("admin", "mentor", "caseworker", "coordinator")}
        entry_id = write_journal(s, users, amendments=amendments)
        s.commit()
    return {"users": users, "entry_id": entry_id}


def versions_of(eng) -> list[LogbookVersion]:
    with Session(eng) as s:
        return chain_of(s, LogbookVersion)


def test_verify_names_a_version_edited_behind_the_apps_back(scratch, cli):
    url, eng = scratch
    committed_journal(eng)
    ok = cli(url, "verify")
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("OK: audit_event ") and "logbook_version 4 rækker" in ok.output
    target = versions_of(eng)[1]
    with eng.begin() as conn:
        break_a_version(conn, target.id)
    broken = cli(url, "verify")
    assert broken.exit_code == 1
    assert f"logbook_version id {target.id} (kædeposition {target.chain_seq})" in broken.output
    assert "passer ikke" in broken.output
    with Session(eng) as s:
        assert [r.ok for r in s.exec(select(VerifyRun).order_by(col(VerifyRun.id)))] == [
            True,
            False,
        ]


def test_verify_names_an_audit_row_whose_detail_was_edited(scratch, cli):
    url, eng = scratch
    committed_journal(eng, amendments=1)
    with Session(eng) as s:
        target = chain_of(s, AuditEvent)[0]
    with eng.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ALTER TABLE audit_event DISABLE TRIGGER USER")
        else:
            for (name,) in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_event'"
            ).all():
                conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
        conn.execute(
            sa.text("UPDATE audit_event SET user_id = NULL, actor = 'ukendt' WHERE id = :id"),
            {"id": target.id},
        )
    broken = cli(url, "verify")
    assert broken.exit_code == 1
    assert f"audit_event id {target.id} (kædeposition {target.chain_seq})" in broken.output


def delete_versions(conn: sa.Connection, ids: list[int]) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER TABLE logbook_version DISABLE TRIGGER USER")
    else:
        for (name,) in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='logbook_version'"
        ).all():
            conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    table = table_of(LogbookVersion)
    conn.execute(sa.delete(table).where(table.c.id.in_(ids)))


def test_verify_names_a_version_deleted_without_a_note(scratch, cli):
    url, eng = scratch
    committed_journal(eng)
    versions = versions_of(eng)
    with eng.begin() as conn:
        delete_versions(conn, [versions[2].id])
    broken = cli(url, "verify")
    assert broken.exit_code == 1
    expected = f"kædeposition {versions[2].chain_seq} mangler (efter id {versions[1].id})"
    assert expected in broken.output


def test_verify_names_the_last_version_deleted_without_a_note(scratch, cli):
    url, eng = scratch
    committed_journal(eng)
    last = versions_of(eng)[-1]
    with eng.begin() as conn:
        delete_versions(conn, [last.id])
    broken = cli(url, "verify")
    assert broken.exit_code == 1
    assert f"hovedet står på {last.chain_seq}" in broken.output


def test_noted_deletions_keep_the_chain_verifiable(scratch, cli):
    url, eng = scratch
    journal = committed_journal(eng)
    versions = versions_of(eng)
    doomed = [versions[1].id, versions[2].id, versions[-1].id]  # a run and the tail
    with Session(eng) as s:
        assert note_deletions(s, "logbook_version", doomed) == 3
        assert note_deletions(s, "logbook_version", doomed) == 3  # repeating is harmless
        delete_versions(s.connection(), doomed)
        s.commit()
    ok = cli(url, "verify")
    assert ok.exit_code == 0, ok.output
    assert "logbook_version 1 rækker" in ok.output
    # the chain continues past the gap
    with Session(eng, expire_on_commit=False) as s:
        amend_entry(
            session=s,
            actor=Actor(journal["users"]["mentor"]),
            entry_id=journal["entry_id"],
            text="Efter sletningen.",
            reason="Tilføjelse",
        )
        s.commit()
    assert cli(url, "verify").exit_code == 0
    with pytest.raises(ValueError):
        note_deletions(Session(eng), "time_entry", [1])


def test_concurrent_writers_make_one_unbroken_chain(scratch):
    _url, eng = scratch
    if eng.dialect.name != "postgresql":
        pytest.skip("concurrent writers with row locks: PostgreSQL (SQLite serialises writers)")
    journal = committed_journal(eng, amendments=0)
    users = journal["users"]
    threads_n, rounds = 8, 5
    barrier = threading.Barrier(threads_n)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait(timeout=20)
            for r in range(rounds):
                with Session(eng, expire_on_commit=False) as s:
                    actor = Actor(users["coordinator"])
                    for k in range(3):
                        record(
                            s,
                            actor,
                            "read",
                            purpose="administration",
                            entity="user",
                            entity_id=n * 100 + r * 10 + k,
                        )
                        s.flush()
                    if n % 2:
                        amend_entry(
                            session=s,
                            actor=actor,
                            entry_id=journal["entry_id"],
                            text=f"Rettelse {n}.{r}",
                            reason="Samtidig",
                        )
                    s.commit()
        except BaseException as error:  # reported below
            errors.append(error)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads_n)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert not errors, errors
    with Session(eng) as s:
        seqs = s.exec(select(AuditEvent.chain_seq).order_by(col(AuditEvent.chain_seq))).all()
        ids_in_chain_order = s.exec(select(AuditEvent.id).order_by(col(AuditEvent.chain_seq))).all()
    assert seqs == list(range(1, len(seqs) + 1))
    assert len(ids_in_chain_order) == len(set(ids_in_chain_order))
    outcome = verify_database(eng)
    assert outcome.ok, outcome.message
    amended = (threads_n // 2) * rounds
    assert outcome.counts["logbook_version"] == 1 + amended
    assert outcome.counts["audit_event"] >= threads_n * rounds * 3 + amended


def test_demo_data_is_chained(db):
    from service.demo.seed import seed

    seed(db)
    db.flush()
    outcome = verify(db.connection())
    assert outcome.ok, outcome.message
    assert outcome.counts["audit_event"] > 0 and outcome.counts["logbook_version"] > 0


def test_no_code_inserts_into_a_chained_table_around_the_chain():
    """Core inserts skip the ORM's chain writer: they must use chain.insert_chained."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(
        r"insert\(\s*(AuditEvent|LogbookVersion)\b"
        r"|(INSERT INTO|COPY)\s+(audit_event|logbook_version)\b",
        re.IGNORECASE,
    )
    offenders = [
        str(path.relative_to(root))
        for folder in ("service", "logbook", "reports", "matching", "bench")
        for path in (root / folder).rglob("*.py")
        if "migrations" not in path.parts and pattern.search(path.read_text())
    ]
    assert offenders == []
