"""SQLite backup and restore through SQLite's online backup API (page by page, online)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa

from service.core.backup_common import BackupError, Say, refuse_non_empty


def path_of(url: str) -> Path:
    """The database file of a SQLite URL (an in-memory database cannot be saved)."""
    path = sa.engine.make_url(url).database
    if not path or path == ":memory:":
        raise BackupError("DATABASE_URL peger på en database i hukommelsen; den kan ikke gemmes.")
    return Path(path)


def backup(path: Path, target: Path, say: Say) -> None:
    """Copy the database file `path` to `target` while the app keeps serving."""
    if not path.is_file():
        raise BackupError(f"Databasefilen {path} findes ikke.")
    say(f"Tager sikkerhedskopi af SQLite-databasen {path} …")
    _sqlite_copy(path, target)


def restore(source: Path, path: Path, say: Say) -> None:
    """Copy the backup `source` into `path`, which must not exist or be empty."""
    try:
        with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as db:
            names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} er ikke en SQLite-sikkerhedskopi.") from error
    if "alembic_version" not in names:
        raise BackupError(f"{source} er ikke en sikkerhedskopi af Mentorkorps.")
    if path.exists():
        with closing(sqlite3.connect(path)) as db:
            objects = [
                row[0]
                for row in db.execute(
                    "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            refuse_non_empty(objects, lambda t: _sqlite_has_rows(db, t))
    path.parent.mkdir(parents=True, exist_ok=True)
    say(f"Gendanner {source} til SQLite-databasen {path} …")
    _sqlite_copy(source, path)


def _sqlite_copy(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _sqlite_has_rows(db: sqlite3.Connection, name: str) -> bool:
    kind = db.execute("SELECT type FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    if not kind or kind[0] != "table":
        return False
    quoted = name.replace('"', '""')
    return db.execute(f'SELECT EXISTS (SELECT 1 FROM "{quoted}")').fetchone()[0] == 1  # noqa: S608
