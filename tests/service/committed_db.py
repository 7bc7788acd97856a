"""Throwaway databases whose writes are really committed (not the rolled-back `db` fixture).

Tests that kill connections, or back up and restore, need a database of their own: a file
SQLite database, or a uniquely named PostgreSQL database dropped afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from service.core import migrate
from service.core.db import make_engine
from tests.conftest import PG_URL, later_drops, pg_admin

ENGINES = ("sqlite", "postgresql")


@contextmanager
def empty_database(kind: str, directory: Path) -> Iterator[str]:
    """Yield the URL of a new, empty (unmigrated) database; drop it afterwards (PostgreSQL's
    in the background: `later_drops`)."""
    if kind == "sqlite":
        yield f"sqlite:///{directory / f'{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    admin = pg_admin()
    name = f"mk_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    try:
        yield sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        later_drops.drop(name)  # WITH (FORCE): connections the test left open do not stop it


@contextmanager
def migrated_database(
    kind: str, directory: Path, *, pool_size: int = 10
) -> Iterator[tuple[str, sa.Engine]]:
    """Yield (url, engine) of a new database migrated to head; drop it afterwards."""
    with empty_database(kind, directory) as url:
        engine = make_engine(url, pool_size=pool_size)
        try:
            migrate.upgrade(engine)
            yield url, engine
        finally:
            engine.dispose()


def terminate_backends(url: str) -> int:
    """pg_terminate_backend every connection to the database of `url`; return how many."""
    database = sa.engine.make_url(url).database
    admin = pg_admin()
    try:
        with admin.connect() as connection:
            found = connection.execute(
                sa.text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = :name "
                    "AND pid <> pg_backend_pid()"
                ),
                {"name": database},
            ).scalars()
            pids = list(found)
            for pid in pids:
                connection.execute(sa.text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
        return len(pids)
    finally:
        admin.dispose()
