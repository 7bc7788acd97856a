"""The database itself refuses UPDATE and DELETE on logbook rows; concurrent amendments all
survive as distinct versions (PostgreSQL, threads on their own connections)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from logbook.amendments import amend_entry
from logbook.entries import create_entry
from logbook.models import LogbookEntry, LogbookShown, LogbookVersion
from service.audit.service import Actor
from tests.conftest import make_user
from tests.factories import make_mentor, make_referral
from tests.service.committed_db import migrated_database

REFUSED = (
    "UPDATE logbook_entry SET kind = 'other' WHERE id = :id",
    "DELETE FROM logbook_entry WHERE id = :id",
    "UPDATE logbook_version SET text = 'forfalsket' WHERE entry_id = :id",
    "DELETE FROM logbook_version WHERE entry_id = :id",
    "UPDATE logbook_shown SET by_id = by_id WHERE entry_id = :id",
    "DELETE FROM logbook_shown WHERE entry_id = :id",
)


def write_entry(db, users, text="Original"):
    mentor = make_mentor(db, user=users["mentor"])
    referral = make_referral(db, users["caseworker"], mentor=mentor)
    view = create_entry(
        session=db,
        actor=Actor(users["mentor"]),
        referral_id=referral.id,
        occurred_on=date(2026, 6, 1),
        kind="conversation",
        text=text,
        shown_to_citizen=True,
    )
    return view.entry.id


@pytest.mark.parametrize("sql", REFUSED)
def test_raw_update_and_delete_are_refused_by_the_database(db, users, sql):
    entry_id = write_entry(db, users)
    with pytest.raises(sa.exc.DatabaseError) as refused, db.begin_nested():
        db.connection().execute(sa.text(sql), {"id": entry_id})
    assert "append-only" in str(refused.value)
    # the outer transaction is still usable and nothing changed
    db.expire_all()
    assert db.get(LogbookEntry, entry_id).kind == "conversation"
    versions = db.exec(select(LogbookVersion).where(LogbookVersion.entry_id == entry_id)).all()
    assert [v.text for v in versions] == ["Original"]
    assert db.exec(select(LogbookShown).where(LogbookShown.entry_id == entry_id)).one()


@pytest.fixture
def scratch_pg(engine, tmp_path):
    """A throwaway migrated PostgreSQL database for committed, concurrent work."""
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks and concurrent writers: PostgreSQL only")
    with migrated_database("postgresql", tmp_path) as (_, eng):
        yield eng


def test_concurrent_amendments_are_all_kept(scratch_pg, monkeypatch):
    threads_n = 8
    with Session(scratch_pg, expire_on_commit=False) as s:
        users = {role: make_user(s, role) for role in ("mentor", "caseworker", "coordinator")}
        entry_id = write_entry(s, users)
        s.commit()
    barrier = threading.Barrier(threads_n)
    errors: list[BaseException] = []

    def amend(n: int) -> None:
        user = users["mentor"] if n % 2 else users["coordinator"]
        try:
            with Session(scratch_pg, expire_on_commit=False) as s:
                barrier.wait(timeout=10)
                amend_entry(
                    session=s,
                    actor=Actor(user),
                    entry_id=entry_id,
                    text=f"Rettelse {n}",
                    reason=f"Grund {n}",
                )
                s.commit()
        except BaseException as error:  # reported below
            errors.append(error)

    workers = [threading.Thread(target=amend, args=(n,)) for n in range(threads_n)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert not errors, errors
    with Session(scratch_pg) as s:
        versions = s.exec(
            select(LogbookVersion)
            .where(LogbookVersion.entry_id == entry_id)
            .order_by(LogbookVersion.version)
        ).all()
    assert [v.version for v in versions] == list(range(1, threads_n + 2))
    assert versions[0].text == "Original"
    assert {v.text for v in versions[1:]} == {f"Rettelse {n}" for n in range(threads_n)}
