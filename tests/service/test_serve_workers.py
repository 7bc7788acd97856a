"""`mentorkorps serve --workers N`: several worker processes on one PostgreSQL database.

The PostgreSQL test starts the real command (`python -m service.cli serve --workers 2`) on a
throwaway migrated database with SCHEDULER_ENABLED=true and every job due every two seconds,
finds the two uvicorn worker processes under it, makes concurrent requests (health, an API
login, an authenticated read), waits (bounded) until every job has a run record, and proves
that exactly one worker holds the scheduler's runner lock and that each job ran once per
day. The whole process group is stopped at the end.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, col

from service.audit.service import Actor
from service.auth import accounts
from service.jobs.registry import JOBS
from service.jobs.runs import JobRun
from tests.service.jobs.test_processes import (  # noqa: F401  (the fixture)
    RUN_TIMEOUT,
    free_port,
    throwaway_database,
)
from tests.service.test_cli import cli  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parents[2]
EMAIL, PASSWORD = "drift@kommune.dk", "workers-test-password-1"
START_TIMEOUT = 120  # seconds for the supervisor and both workers to import the app and answer


def children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of the processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append((int(entry.name), cmdline))
    return found


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (http only)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def token(port: int) -> str:
    body = urllib.parse.urlencode({"username": EMAIL, "password": PASSWORD}).encode()
    url = f"http://127.0.0.1:{port}/api/v1/auth/token"
    with urllib.request.urlopen(url, body, timeout=20) as response:
        return json.loads(response.read())["access_token"]


def test_serve_refuses_several_workers_on_sqlite(cli):  # noqa: F811
    assert cli("migrate").exit_code == 0
    result = cli("serve", "--port", "1", "--workers", "2")
    assert result.exit_code == 2
    assert "kræver PostgreSQL" in result.output


def test_serve_with_two_workers_shares_one_database_and_runs_one_scheduler(
    throwaway_database,  # noqa: F811
    tmp_path,
):
    engine = sa.create_engine(throwaway_database, poolclass=sa.pool.NullPool)
    with Session(engine) as session:
        accounts.create_user(
            session,
            email=EMAIL,
            name="Drift",
            role="admin",
            password=PASSWORD,
            actor=Actor(None, "test"),
        )
        session.commit()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SMTP_", "DATABASE_URL", "SCHEDULER_"))
    }
    env |= {
        "DATABASE_URL": throwaway_database,
        "SECRET_KEY": "serve-workers-test-secret",
        "SCHEDULER_ENABLED": "true",
        "SCHEDULER_CRON_OVERRIDE": "second=*/2",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    }
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        serve = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--workers", "2"],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:

        def wait_until(condition, seconds: float, what: str) -> None:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                if condition():
                    return
                time.sleep(0.2)
            output = log.read_text(errors="replace")[-4000:]
            raise AssertionError(f"timed out after {seconds} s waiting for {what}:\n{output}")

        def healthy() -> bool:
            assert serve.poll() is None, log.read_text(errors="replace")
            try:
                return get(port, "/healthz")[0] == 200
            except OSError:
                return False

        def workers() -> list[int]:
            return [pid for pid, cmd in children(serve.pid) if "spawn_main" in cmd]

        wait_until(healthy, START_TIMEOUT, "the served app to answer")
        wait_until(lambda: len(workers()) == 2, START_TIMEOUT, "two worker processes")
        pids = workers()

        bearer = {"Authorization": f"Bearer {token(port)}"}
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: get(port, "/api/v1/users/me", bearer), range(40)))
            health = list(pool.map(lambda _: get(port, "/healthz"), range(40)))
        assert {status for status, _ in answers} == {200}
        assert {json.loads(body)["email"] for _, body in answers} == {EMAIL}
        assert {status for status, _ in health} == {200}

        def every_job_ran() -> bool:
            with engine.connect() as connection:
                done = connection.execute(
                    sa.select(col(JobRun.job)).where(col(JobRun.status) == "done").distinct()
                ).scalars()
                return set(done) >= set(JOBS)

        wait_until(every_job_ran, RUN_TIMEOUT, "a run record of every job")
        time.sleep(3)  # the jobs are due every 2 s: a second runner would show itself now
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
            runs = connection.execute(sa.select(JobRun.job, JobRun.run_date, JobRun.trigger)).all()
        host = socket.gethostname()
        assert list(holders) in [[f"mentorkorps-scheduler:{host}:{pid}"] for pid in pids]
        assert {job for job, _, _ in runs} == set(JOBS)
        assert len({(job, day) for job, day, _ in runs}) == len(runs)  # one per job and day
        assert sorted(workers()) == sorted(pids)  # no worker died on the way
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGTERM)
            try:
                serve.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(serve.pid, signal.SIGKILL)
                serve.wait(timeout=10)
        engine.dispose()
