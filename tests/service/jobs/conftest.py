"""Helpers for the job tests: rows the jobs read, and the notifications they leave."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, col, select

from logbook.models import LogbookEntry, TimeEntry
from service.notifications.models import Notification
from tests.conftest import joined_session


def notes(db: Session, kind: str | None = None) -> list[Notification]:
    query = select(Notification).order_by(col(Notification.id))
    if kind:
        query = query.where(Notification.kind == kind)
    return list(db.exec(query).all())


def recipients(db: Session, kind: str) -> list[int]:
    return sorted(n.user_id for n in notes(db, kind))


def add_time(db: Session, referral, day, minutes: int) -> TimeEntry:
    entry = TimeEntry(
        referral_id=referral.id,
        mentor_id=referral.mentor_id,
        date=day,
        minutes=minutes,
        category="citizen_contact",
        created_by=referral.caseworker_id,
    )
    db.add(entry)
    db.flush()
    return entry


def add_logbook(db: Session, referral, day, author_id: int, observations=()) -> LogbookEntry:
    entry = LogbookEntry(
        referral_id=referral.id,
        author_id=author_id,
        occurred_on=day,
        kind="conversation",
        observations=list(observations),
    )
    db.add(entry)
    db.flush()
    return entry


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def scope(connection):
    """A `session_scope` stand-in that commits into the test's rolled-back transaction."""

    @contextmanager
    def make():
        session = joined_session(connection)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    return make


@pytest.fixture
def cli_database(tmp_path, monkeypatch):
    """A migrated SQLite file named by DATABASE_URL, with the process-wide caches cleared."""
    from service.core.db import get_engine
    from service.core.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("SECRET_KEY", "cli-test-secret")
    monkeypatch.delenv("SMTP_HOST", raising=False)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()
