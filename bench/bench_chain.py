"""Benchmark: the cost of the hash chain on a committed audit row (issue 11).

Per engine, in one run on a fresh migrated database: N transactions that each write one
audit row through the app's `record()` and commit (chained: the chain head is locked,
read and moved), against N transactions that each insert the same row into a bare copy of
the table with no chain, no triggers and no index, and commit. Then the same with 4
threads at once. It prints rows/s for both and the ratio chained/bare; the ratio is the
figure to compare between machines and runs.
Run: .venv/bin/python bench/bench_chain.py [--rows 400]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from service.audit.service import Actor, record
from service.core import migrate
from service.core.db import make_engine

PG_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BARE = sa.table(
    "bench_bare_audit",
    sa.column("at"),
    sa.column("action"),
    sa.column("purpose"),
    sa.column("entity"),
    sa.column("detail"),
)


def chained(engine: sa.Engine, count: int) -> None:
    for i in range(count):
        with Session(engine) as session:
            record(
                session,
                Actor(None, "bench"),
                "read",
                purpose="casework",
                entity="referral",
                entity_id=i,
                detail={"bench": i},
            )
            session.commit()


def bare(engine: sa.Engine, count: int) -> None:
    for i in range(count):
        with engine.begin() as connection:
            connection.execute(
                sa.insert(BARE).values(
                    at=sa.func.now() if engine.dialect.name == "postgresql" else "2026-12-01",
                    action="read",
                    purpose="casework",
                    entity="referral",
                    detail=f'{{"bench": {i}}}',
                )
            )


def rate(work, engine: sa.Engine, rows: int, threads: int) -> float:
    each = rows // threads
    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        for future in [pool.submit(work, engine, each) for _ in range(threads)]:
            future.result()
    return each * threads / (time.perf_counter() - start)


def measure(label: str, url: str, rows: int) -> None:
    engine = make_engine(url, pool_size=8)
    migrate.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "CREATE TABLE bench_bare_audit (id INTEGER PRIMARY KEY, at TEXT, action TEXT, "
                "purpose TEXT, entity TEXT, detail TEXT)"
                if engine.dialect.name == "sqlite"
                else "CREATE TABLE bench_bare_audit (id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ, "
                "action TEXT, purpose TEXT, entity TEXT, detail TEXT)"
            )
        )
    for threads in (1, 4):
        plain = rate(bare, engine, rows, threads)
        chain = rate(chained, engine, rows, threads)
        print(
            f"[{label}] {threads} thread(s): chained {chain:7.0f} rows/s, "
            f"bare {plain:7.0f} rows/s, ratio chained/bare {chain / plain:.2f}"
        )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=400)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as folder:
        measure("SQLite", f"sqlite:///{folder}/bench.sqlite3", rows)
    admin = sa.create_engine(
        PG_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with admin.connect():
            pass
    except sa.exc.OperationalError:
        print(f"[PostgreSQL] unreachable at {PG_URL}; skipped")
        return
    name = f"mk_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        url = sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        measure("PostgreSQL", url, rows)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
