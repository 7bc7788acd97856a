"""Two real app processes on one PostgreSQL database, scheduler on: exactly one runs the jobs.

The test creates and migrates a throwaway database, starts two `uvicorn service.main:app`
processes on free ports with SCHEDULER_ENABLED=true and SCHEDULER_CRON_OVERRIDE making
every job due every two seconds, waits (bounded) until every job has a run record, and then
proves that one process ran them: only it logged the start of the scheduler and the jobs'
outcome lines, the other logged that it stands by, and PostgreSQL shows the runner lock
held by the first process's connection. Both processes are killed at the end.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import col

from service.core import migrate
from service.core.db import make_engine
from service.jobs.registry import JOBS
from service.jobs.runs import JobRun
from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parents[3]
START_TIMEOUT = 40  # seconds for a process to answer /healthz
RUN_TIMEOUT = 60  # seconds for every job to have run
LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(process)d %(name)s %(levelname)s %(message)s (%(asctime)s)"}
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stderr",
        }
    },
    "root": {"level": "INFO", "handlers": ["stderr"]},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def throwaway_database(postgresql_url) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database of its own (the app's jobs commit into it)."""
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"mk_procs_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class App:
    """One `uvicorn service.main:app` process with its stderr in a file."""

    def __init__(self, tmp: Path, label: str, env: dict):
        self.port = free_port()
        self.log = tmp / f"{label}.log"
        self._out = self.log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "service.main:app", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-config", str(tmp / "logging.json")],
            cwd=tmp,
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    @property
    def pid(self) -> int:
        return self.process.pid

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def healthy(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"the app on port {self.port} exited:\n{self.text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._out.close()


def wait_until(condition, seconds: float, what: str, apps=()) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    logs = "".join(f"\n--- {app.log.name}\n{app.text()[-4000:]}" for app in apps)
    raise AssertionError(f"timed out after {seconds}s waiting for {what}{logs}")


def test_two_app_processes_share_one_database_and_only_one_runs_the_jobs(
    throwaway_database, tmp_path
):
    (tmp_path / "logging.json").write_text(json.dumps(LOG_CONFIG))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SMTP_", "DATABASE_URL", "SCHEDULER_"))
    }
    env |= {
        "DATABASE_URL": throwaway_database,
        "SECRET_KEY": "two-processes-test-secret",
        "SCHEDULER_ENABLED": "true",
        "SCHEDULER_CRON_OVERRIDE": "second=*/2",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    }
    engine = sa.create_engine(throwaway_database, poolclass=sa.pool.NullPool)
    apps = [App(tmp_path, "first", env), App(tmp_path, "second", env)]
    try:
        for app in apps:
            wait_until(app.healthy, START_TIMEOUT, f"the app on port {app.port} to answer", apps)

        def every_job_ran() -> bool:
            with engine.connect() as connection:
                done = connection.execute(
                    sa.select(col(JobRun.job)).where(col(JobRun.status) == "done").distinct()
                ).scalars()
                return set(done) >= set(JOBS)

        wait_until(every_job_ran, RUN_TIMEOUT, "a run record of every job", apps)
        wait_until(
            lambda: all("scheduler st" in app.text() for app in apps),
            RUN_TIMEOUT,
            "both processes to log whether they run the jobs",
            apps,
        )
        time.sleep(3)  # the jobs run every 2 s: give a second runner time to show itself

        runners = [app for app in apps if "scheduler started: this process" in app.text()]
        standbys = [app for app in apps if "scheduler standby" in app.text()]
        assert len(runners) == 1 and len(standbys) == 1 and runners != standbys, [
            app.text() for app in apps
        ]
        [runner], [standby] = runners, standbys
        assert f"{runner.pid} service.jobs.schedule INFO scheduler started" in runner.text()
        for name in JOBS:
            assert f"{runner.pid} service.jobs.schedule INFO {name}: " in runner.text()
            assert f"{name}: " not in standby.text()

        with engine.connect() as connection:
            holders = connection.execute(
                sa.text(
                    "SELECT a.application_name FROM pg_locks l"
                    " JOIN pg_stat_activity a ON a.pid = l.pid"
                    " WHERE l.locktype = 'advisory' AND l.granted"
                    " AND l.database = (SELECT oid FROM pg_database"
                    "                   WHERE datname = current_database())"
                )
            ).scalars()
            assert list(holders) == [f"mentorkorps-scheduler:{socket.gethostname()}:{runner.pid}"]
            runs = connection.execute(sa.select(JobRun.job, JobRun.run_date, JobRun.trigger)).all()
        assert {job for job, _, _ in runs} == set(JOBS)
        assert len({(job, day) for job, day, _ in runs}) == len(runs)  # one per job and day
        assert {trigger for _, _, trigger in runs} == {"schedule"}
        assert all(app.healthy() for app in apps)
    finally:
        for app in apps:
            app.stop()
        engine.dispose()
