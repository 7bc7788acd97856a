"""`mentorkorps backup FILE` and `mentorkorps restore FILE`.

SQLite: SQLite's online backup API copies the database page by page while the app keeps
serving, into FILE; `restore` copies FILE into the DATABASE_URL file the same way.
PostgreSQL: `pg_dump --format=custom` (a consistent snapshot, online) and `pg_restore
--no-owner --no-privileges` in one transaction; the runtime role's privileges are granted
again by `mentorkorps db grant`.

`restore` only writes into an empty database: one without any table, view, sequence or
function of its own (so neither data nor a schema made by `migrate` is ever overwritten or
mixed). Afterwards the schema is brought to the newest revision, as `migrate` does.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

from service.core import backup_postgres, backup_sqlite, migrate
from service.core.backup_common import BackupError, Say
from service.core.db import make_engine
from service.core.settings import get_settings


def database_url() -> str:
    """The URL to back up or restore: the owner's (MIGRATION_DATABASE_URL) when set.

    Restoring creates tables, which the serving role may not do; reading every table for
    a dump needs the owner too.
    """
    settings = get_settings()
    return getattr(settings, "migration_database_url", "") or settings.database_url


def backup(url: str, target: Path, say: Say = print) -> None:
    """Write a backup of the database at `url` to `target` (never overwrites a file)."""
    if target.exists():
        raise BackupError(f"{target} findes allerede; en sikkerhedskopi overskriver ikke filer.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".delvis")
    partial.unlink(missing_ok=True)
    try:
        if _is_sqlite(url):
            backup_sqlite.backup(backup_sqlite.path_of(url), partial, say)
        else:
            backup_postgres.backup(url, partial, say)
        partial.chmod(0o600)  # it holds CPR numbers and health information
        os.replace(partial, target)  # a file named FILE is always a complete backup
    finally:
        partial.unlink(missing_ok=True)
    say(f"Sikkerhedskopien er gemt i {target} ({_size(target)}).")


def restore(url: str, source: Path, say: Say = print) -> None:
    """Restore the backup `source` into the empty database at `url`; migrate to head."""
    if not source.is_file():
        raise BackupError(f"Filen {source} findes ikke.")
    if _is_sqlite(url):
        backup_sqlite.restore(source, backup_sqlite.path_of(url), say)
    else:
        backup_postgres.restore(source, url, say)
    engine = make_engine(url, pool_size=1)
    try:
        migrate.upgrade(engine)
        revision = migrate.current_revision(engine)
        tables, rows = _count(engine)
    finally:
        engine.dispose()
    say(f"Gendannet: {tables} tabeller med i alt {rows} {'række' if rows == 1 else 'rækker'}.")
    say(f"Databasen er på nyeste version ({revision}).")
    if not _is_sqlite(url):
        say(
            "Husk at give driftsrollen sine rettigheder igen: "
            "mentorkorps db grant --runtime-role NAVN"
        )


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _size(path: Path) -> str:
    size = path.stat().st_size
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} kB"


def _count(engine: sa.Engine) -> tuple[int, int]:
    """How many tables the database holds, and their rows in all."""
    names = sa.inspect(engine).get_table_names()
    with engine.connect() as connection:
        rows = sum(
            connection.execute(sa.select(sa.func.count()).select_from(sa.table(n))).scalar_one()
            for n in names
        )
    return len(names), rows
