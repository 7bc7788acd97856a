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

import glob
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa

from service.core import migrate
from service.core.settings import get_settings

# Debian/Ubuntu keep each major version's tools here; the newest is tried when not on PATH.
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"

Say = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is Danish and says why."""


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
            _sqlite_backup(_sqlite_path(url), partial, say)
        else:
            _pg_dump(url, partial, say)
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
        _sqlite_restore(source, _sqlite_path(url), say)
    else:
        _pg_restore(source, url, say)
    from service.core.db import make_engine

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


# --- SQLite ---------------------------------------------------------------------------


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _sqlite_path(url: str) -> Path:
    path = sa.engine.make_url(url).database
    if not path or path == ":memory:":
        raise BackupError("DATABASE_URL peger på en database i hukommelsen; den kan ikke gemmes.")
    return Path(path)


def _sqlite_backup(path: Path, target: Path, say: Say) -> None:
    if not path.is_file():
        raise BackupError(f"Databasefilen {path} findes ikke.")
    say(f"Tager sikkerhedskopi af SQLite-databasen {path} …")
    _sqlite_copy(path, target)


def _sqlite_restore(source: Path, path: Path, say: Say) -> None:
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
            _refuse_non_empty(objects, lambda t: _sqlite_has_rows(db, t))
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


# --- PostgreSQL -----------------------------------------------------------------------


def find_tool(name: str) -> str:
    """Path of pg_dump/pg_restore: on PATH, else the newest under /usr/lib/postgresql."""
    if found := shutil.which(name):
        return found

    def major(path: str) -> int:
        match = re.search(r"/(\d+)/bin/", path)
        return int(match.group(1)) if match else 0

    candidates = sorted(glob.glob(f"{PG_BIN_GLOB}/{name}"), key=major, reverse=True)
    if candidates and os.access(candidates[0], os.X_OK):
        return candidates[0]
    raise BackupError(
        f"{name} blev ikke fundet. Installér PostgreSQL' klientværktøjer i samme hovedversion "
        f"som serveren (fx pakken postgresql-client), eller læg {name} på PATH."
    )


def _pg_connection(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password, and an environment holding it (not in `ps`)."""
    parsed = sa.engine.make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    dsn = parsed.set(drivername="postgresql", password=None)
    return dsn.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str], failed: str) -> None:
    """Run a PostgreSQL tool (an argument list, no shell); its last error lines on failure."""
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line][-5:]
        raise BackupError("\n".join([failed, *lines]))


def _pg_dump(url: str, target: Path, say: Say) -> None:
    pg_dump = find_tool("pg_dump")
    dsn, env = _pg_connection(url)
    say(f"Tager sikkerhedskopi af PostgreSQL-databasen {_describe(url)} med {pg_dump} …")
    command = [pg_dump, "--format=custom", f"--file={target}", f"--dbname={dsn}"]
    _run(command, env, "pg_dump fejlede:")


def _pg_restore(source: Path, url: str, say: Say) -> None:
    pg_restore = find_tool("pg_restore")
    dsn, env = _pg_connection(url)
    _run(
        [pg_restore, "--list", f"--file={os.devnull}", str(source)],
        env,
        f"{source} er ikke en PostgreSQL-sikkerhedskopi (custom-format fra mentorkorps backup).",
    )
    engine = sa.create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            objects = list(connection.execute(sa.text(PG_OBJECTS)).scalars())
            _refuse_non_empty(objects, lambda t: _pg_has_rows(connection, t))
    except sa.exc.OperationalError as error:
        raise BackupError(f"Databasen {_describe(url)} svarer ikke.") from error
    finally:
        engine.dispose()
    say(f"Gendanner {source} til PostgreSQL-databasen {_describe(url)} med {pg_restore} …")
    command = [
        pg_restore,
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={dsn}",
        str(source),
    ]
    _run(command, env, "pg_restore fejlede; intet er gendannet (én transaktion):")


# Everything a database holds of its own: tables, views, sequences, functions.
PG_OBJECTS = """
SELECT n.nspname || '.' || c.relname FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
UNION ALL
SELECT n.nspname || '.' || p.proname || '()' FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1
"""


def _pg_has_rows(connection: sa.Connection, name: str) -> bool:
    if name.endswith("()"):
        return False
    schema, table = name.split(".", 1)
    kind = connection.execute(
        sa.text(
            "SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = :s AND c.relname = :t"
        ),
        {"s": schema, "t": table},
    ).scalar()
    if kind not in ("r", "p"):
        return False
    query = sa.select(sa.literal(1)).select_from(sa.table(table, schema=schema)).limit(1)
    return connection.execute(query).first() is not None


SCHEMA_ROWS = ("alembic_version", "chain_head")


def _refuse_non_empty(objects: list[str], has_rows: Callable[[str], bool]) -> None:
    if not objects:
        return
    # alembic_version's and chain_head's rows are part of a migrated schema, not data.
    with_rows = [n for n in objects if not n.endswith(SCHEMA_ROWS) and has_rows(n)]
    if with_rows:
        raise BackupError(
            f"Databasen er ikke tom: {', '.join(with_rows[:5])} har rækker. "
            "Gendan kun til en ny, tom database."
        )
    raise BackupError(
        f"Databasen er ikke tom: den har allerede et skema ({len(objects)} objekter, fx "
        f"{', '.join(objects[:3])}). Gendan til en ny, tom database, og kør ikke "
        "`mentorkorps migrate` før gendannelsen."
    )


# --- both -----------------------------------------------------------------------------


def _describe(url: str) -> str:
    parsed = sa.engine.make_url(url)
    return f"{parsed.database} på {parsed.host or 'localhost'}"


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
