"""Benchmark: the whole app under load, beside the bare stack on the same database (issue 16).

Per engine, on a fresh database started as the README says (`mentorkorps migrate`,
`seed-demo`, `serve`; SQLite in a temporary folder with one process, PostgreSQL in a fresh
database with `serve --workers 2`), from loopback only:

- one user alone: the bare read route, then GET one referral (API);
- each scenario alone with all users at once: the bare read route, GET one referral (API),
  mentors list (API), logbook page, the bare insert route, logbook POST (API);
- the mixed day: mentors writing logbook entries and time entries through the API,
  coordinators opening pages (logbook, referral, mentors, referral list), finance the refund
  preview of last month;

then proves every acknowledged write is stored exactly once. The bare routes
(`bench/loadkit/bare.py`: a FastAPI `def` route reading one referral through a SQLModel
session, and one inserting a row) run on the same database, served the same way (uvicorn,
same worker count), measured in the same run; each scenario is printed as a ratio to them
and the issue's goals as PASS/MISS. Users run closed-loop (next request when the answer is
in, no pause); every scenario is bounded by --seconds and --max-requests.
Run: .venv/bin/python bench/load.py [--seconds 4] [--users 50] [--no-pg] [--strict]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.loadkit import servers
from bench.loadkit.bare import create_table
from bench.loadkit.plan import make_plan
from bench.loadkit.report import (
    INSERT,
    READ,
    SINGLE,
    Measured,
    load_average,
    print_figures,
    print_goals,
)
from bench.loadkit.stats import Recorder, Step, run_users
from bench.loadkit.users import Workload, sign_in
from bench.loadkit.verify import check_writes

WARM_UP = 3  # untimed calls of each step before the scenarios (templates, caches, pools)


async def scenario(
    workload: Workload, name: str, make: Callable[[int], Step], users: int, args
) -> Recorder:
    print(f"  … {name}, {users} user(s)", flush=True)
    recorder = await run_users([make(n) for n in range(users)], args.seconds, args.max_requests)
    await workload.close()
    return recorder


async def drive_bare(workload: Workload, measured: Measured, args) -> None:
    """The bare routes: one user reading, then all users reading, then all inserting."""
    for step in [workload.bare_read(0), workload.bare_insert(0)] * WARM_UP:
        await step(Recorder())
    await workload.close()
    measured.single[READ] = await scenario(workload, READ, workload.bare_read, 1, args)
    measured.alone[READ] = await scenario(workload, READ, workload.bare_read, args.users, args)
    measured.alone[INSERT] = await scenario(
        workload, INSERT, workload.bare_insert, args.users, args
    )


async def drive_app(workload: Workload, measured: Measured, logins: dict[str, str], args) -> None:
    """The app: sign-ins, one user reading, each scenario alone, then the mixed day."""
    workload.sessions = await sign_in(workload.app_port, logins, args.users)
    measured.sessions, measured.refused = workload.sessions.count, workload.sessions.refused
    warm = [workload.mentor(0), workload.coordinator(0), workload.finance(0)]
    for step in [*warm, workload.mentors_list(0)] * WARM_UP:
        await step(Recorder())
    await workload.close()
    measured.single[SINGLE] = await scenario(workload, SINGLE, workload.read_referral, 1, args)
    alone: list[tuple[str, Callable[[int], Step]]] = [
        (SINGLE, workload.read_referral),
        ("mentors list (API)", workload.mentors_list),
        ("logbook page", workload.logbook_page),
        ("logbook POST (API)", workload.logbook_post),
    ]
    for name, make in alone:
        measured.alone[name] = await scenario(workload, name, make, args.users, args)
    print(f"  … mixed, {args.users} user(s)", flush=True)
    measured.mixed = await run_users(workload.mixed(args.users), args.seconds, args.max_requests)
    await workload.close()


def measure(database: servers.Database, args) -> Measured:
    """Prepare the database, then serve and load the bare app, then the app: one server at a
    time, so neither holds database connections (or CPU) while the other is measured."""
    env = servers.environment(database)
    print(
        f"\n[{database.label}] migrate, seed-demo; serve --workers {database.workers}", flush=True
    )
    logins = servers.prepare(database, env)
    create_table(database.url)
    workload = Workload(make_plan(database.url))
    measured = Measured(database.label, args.users)
    with servers.serving(servers.start_bare(database, env), measured.server_errors) as bare:
        workload.bare_port = bare.port
        asyncio.run(drive_bare(workload, measured, args))
    with servers.serving(servers.start_app(database, env), measured.server_errors) as app:
        workload.app_port = app.port
        asyncio.run(drive_app(workload, measured, logins, args))
    measured.checks = check_writes(database.url, workload.tag, workload.acked)
    return measured


def commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=servers.ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="per scenario (default 4)")
    parser.add_argument("--users", type=int, default=50, help="simulated users (default 50)")
    parser.add_argument("--max-requests", type=int, default=20_000, help="per scenario")
    parser.add_argument("--pg-workers", type=int, default=2, help="serve --workers on PostgreSQL")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args()
    print(
        f"load run at commit {commit()}: {args.users} users, {args.seconds:g} s per scenario "
        f"(at most {args.max_requests} requests); load average {load_average()}"
    )
    missed = 0
    with tempfile.TemporaryDirectory(prefix="mk-load-") as folder:
        if not args.no_sqlite:
            with servers.sqlite_database(Path(folder)) as database:
                measured = measure(database, args)
            print_figures(measured)
            missed += print_goals(measured)
            print(f"  load average after: {load_average()}")
        if not args.no_pg:
            with servers.postgres_database(Path(folder), args.pg_workers) as pg:
                if pg is None:
                    print(f"\n[PostgreSQL] unreachable at {servers.PG_URL}; skipped")
                else:
                    measured = measure(pg, args)
            if pg is not None:
                print_figures(measured)
                missed += print_goals(measured)
                print(f"  load average after: {load_average()}")
    print(f"\n{missed} goal(s) missed")
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
