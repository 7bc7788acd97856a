"""The processes and databases of a load run: fresh databases, the app started as the README
says (`mentorkorps migrate`, `seed-demo`, `serve`), and the bare app, each on a free
loopback port, stopped with their whole process group at the end."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
# The last line of a logged traceback: `psycopg.OperationalError: …`, `TimeoutError: …`.
ERROR_LINE = re.compile(r"^(?:[a-z_]\w*\.)*[A-Z]\w*(?:Error|Exception|Timeout)\b.*$", re.MULTILINE)
START_SECONDS = 300  # a loaded 2-core machine takes minutes to import two workers
PG_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@dataclass
class Database:
    label: str  # "SQLite" or "PostgreSQL"
    url: str
    workers: int  # worker processes for the app and for the bare app alike
    folder: Path  # the app's working directory (var/ with the demo logins)


@contextlib.contextmanager
def sqlite_database(folder: Path) -> Iterator[Database]:
    (folder / "sqlite").mkdir()
    yield Database(
        "SQLite", f"sqlite:///{folder / 'sqlite' / 'load.sqlite3'}", 1, folder / "sqlite"
    )


@contextlib.contextmanager
def postgres_database(folder: Path, workers: int) -> Iterator[Database | None]:
    """A fresh PostgreSQL database (dropped after), or None when the server is unreachable."""
    admin = sa.create_engine(
        PG_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with admin.connect():
            pass
    except sa.exc.OperationalError:
        admin.dispose()
        yield None
        return
    name = f"mk_load_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    (folder / "postgresql").mkdir()
    url = sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield Database("PostgreSQL", url, workers, folder / "postgresql")
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def environment(database: Database) -> dict[str, str]:
    """The app's environment: this database, a fixed secret, no scheduler, no mail."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "MIGRATION_DATABASE_URL", "SCHEDULER_", "SMTP_"))
    }
    env |= {
        "DATABASE_URL": database.url,
        "SECRET_KEY": secrets.token_hex(32),
        "SCHEDULER_ENABLED": "false",  # jobs run at night; none should run inside a scenario
        "SECOND_FACTOR_ROLES": "",  # the demo finance user signs in with a password only
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    return env


def mentorkorps(database: Database, env: dict[str, str], *args: str) -> str:
    """Run one `mentorkorps` command in the app's folder; return its output."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "service.cli", *args],
        cwd=database.folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"mentorkorps {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def prepare(database: Database, env: dict[str, str]) -> dict[str, str]:
    """`migrate` and `seed-demo`; return the demo logins (e-mail → password)."""
    mentorkorps(database, env, "migrate")
    mentorkorps(database, env, "seed-demo")
    lines = (database.folder / "var" / "demo-logins.txt").read_text().splitlines()
    return dict(line.split(None, 1) for line in lines if line.strip())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One served process (and its workers) on a free loopback port, output in a log file."""

    def __init__(self, label: str, command: list[str], cwd: Path, env: dict[str, str]):
        self.label = label
        self.port = free_port()
        self.log = cwd / f"{label}.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603
                [*command, "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=cwd,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.label} exited:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        output = self.log.read_text()[-3000:]
        raise RuntimeError(f"{self.label} did not answer in {START_SECONDS} s:\n{output}")

    def errors(self) -> Counter:
        """The exceptions the server logged (the last line of each traceback), counted."""
        text = self.log.read_text(errors="replace")
        return Counter(match.group(0)[:160] for match in ERROR_LINE.finditer(text))

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@contextlib.contextmanager
def serving(server: Server, errors: dict[str, Counter]) -> Iterator[Server]:
    """Stop the server at the end; keep the errors its log shows (by label), and print the
    end of its log when the load run failed."""
    try:
        yield server
    except Exception:
        print(f"--- {server.log.name} (end)\n{server.log.read_text()[-4000:]}")
        raise
    finally:
        server.stop()
        errors[server.label] = server.errors()


def start_app(database: Database, env: dict[str, str]) -> Server:
    command = [sys.executable, "-m", "service.cli", "serve", "--workers", str(database.workers)]
    return Server("app", command, database.folder, env)


def start_bare(database: Database, env: dict[str, str]) -> Server:
    """The bare app, served the same way: uvicorn, the same number of worker processes."""
    command = [sys.executable, "-m", "uvicorn", "bench.loadkit.bare:app", "--app-dir", str(ROOT)]
    command += ["--workers", str(database.workers)]
    return Server("bare", command, database.folder, env)
