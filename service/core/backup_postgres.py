"""PostgreSQL backup and restore: `pg_dump --format=custom` and `pg_restore` in one
transaction, run as argument lists with the password in the environment.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

import sqlalchemy as sa

from service.core.backup_common import BackupError, Say, describe, refuse_non_empty

# Debian/Ubuntu keep each major version's tools here; the newest is tried when not on PATH.
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


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


def backup(url: str, target: Path, say: Say) -> None:
    """pg_dump the database at `url` into `target` (custom format, a consistent snapshot)."""
    pg_dump = find_tool("pg_dump")
    dsn, env = _pg_connection(url)
    say(f"Tager sikkerhedskopi af PostgreSQL-databasen {describe(url)} med {pg_dump} …")
    command = [pg_dump, "--format=custom", f"--file={target}", f"--dbname={dsn}"]
    _run(command, env, "pg_dump fejlede:")


def restore(source: Path, url: str, say: Say) -> None:
    """pg_restore `source` into the empty database at `url`, all or nothing."""
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
            refuse_non_empty(objects, lambda t: _pg_has_rows(connection, t))
    except sa.exc.OperationalError as error:
        raise BackupError(f"Databasen {describe(url)} svarer ikke.") from error
    finally:
        engine.dispose()
    say(f"Gendanner {source} til PostgreSQL-databasen {describe(url)} med {pg_restore} …")
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
