"""Benchmark: the refund report's aggregate SQL and the streamed workbook on a seeded database.

Seeds N time entries (default 50,000 and 200,000) over one year for 2,000 citizens and 150
mentors with mid-year rate changes (and some mentors on the default rate) into a temporary
SQLite database, and into PostgreSQL when TEST_DATABASE_URL (or the default local one) is
reachable. Prints the report time (year and one month), the workbook time, entries/second,
the workbook size and the ratio of the year's report time 200k/50k (≈ 4 = linear).
Run: .venv/bin/python bench/bench_refund.py [--sizes 50000,200000] [--no-pg]
"""

import argparse
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from sqlmodel import Session

from reports import claims, queries
from reports.workbook import WorkbookMeta
from service.all_models import metadata
from service.db import make_engine

YEAR = (date(2025, 1, 1), date(2025, 12, 31))
MONTH = (date(2025, 3, 1), date(2025, 3, 31))
CITIZENS, MENTORS = 2000, 150
CATEGORIES = (
    "citizen_contact",
    "citizen_contact",
    "citizen_contact",
    "professional_dialogue",
    "transport_with_citizen",
    "administration",
    "own_transport",
)
PG_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
NOW = datetime(2026, 1, 15, tzinfo=UTC)


def table(name: str) -> sa.Table:
    return metadata.tables[name]


def seed(engine: sa.Engine, entries: int, rng: random.Random) -> None:
    """Bulk-insert users, mentors, rates, citizens, referrals, entries and training."""
    with engine.begin() as conn:
        conn.execute(
            sa.insert(table("user")),
            [
                {
                    "id": n,
                    "email": f"m{n}@bench.dk",
                    "name": "=Mentor" if n == 1 else f"Mentor {n}",
                    "role": "mentor",
                    "password_hash": "x",
                    "active": True,
                    "token_version": 1,
                    "failed_logins": 0,
                    "created_at": NOW,
                }
                for n in range(1, MENTORS + 2)
            ],
        )
        conn.execute(
            sa.insert(table("mentor")),
            [
                {
                    "id": n,
                    "user_id": n,
                    "weekly_hours": Decimal("25.00"),
                    "max_caseload": 15,
                    "languages": [],
                    "background_areas": [],
                    "target_groups": [],
                    "roles": [],
                    "district": "",
                    "employment": "full_time",
                    "active": True,
                    "presentation": "",
                    "created_at": NOW,
                }
                for n in range(1, MENTORS + 1)
            ],
        )
        rates = []
        for n in range(1, MENTORS + 1):
            if n % 10 == 0:
                continue  # the default rate
            rates.append(
                {
                    "mentor_id": n,
                    "valid_from": date(2024, 1, 1),
                    "created_at": NOW,
                    "hourly_rate": Decimal(rng.randint(35_000, 45_000)) / 100,
                }
            )
            rates.append(
                {
                    "mentor_id": n,
                    "valid_from": date(2025, rng.randint(2, 11), 1),
                    "created_at": NOW,
                    "hourly_rate": Decimal(rng.randint(40_000, 50_000)) / 100,
                }
            )
        conn.execute(sa.insert(table("mentor_rate")), rates)
        conn.execute(
            sa.insert(table("citizen")),
            [
                {
                    "id": n,
                    "cpr": f"{n:010d}",
                    "name": f"Borger {n}",
                    "phone": "",
                    "email": "",
                    "address": "",
                    "district": "",
                    "created_at": NOW,
                }
                for n in range(1, CITIZENS + 1)
            ],
        )
        conn.execute(
            sa.insert(table("referral")),
            [
                {
                    "id": n,
                    "citizen_id": n,
                    "caseworker_id": MENTORS + 1,
                    "status": "active",
                    "job_goal": "Job",
                    "focus_roles": [],
                    "focus_areas": [],
                    "target_groups": [],
                    "required_languages": [],
                    "granted_hours_per_week": Decimal("3.00"),
                    "start_date": YEAR[0],
                    "end_date": YEAR[1],
                    "legal_basis": "lab",
                    "lab_tasks": "",
                    "sel85_tasks": "",
                    "tasks_can": [],
                    "tasks_cannot": [],
                    "consent_information_exchange": False,
                    "health_information": "",
                    "considerations": "",
                    "mentor_id": (n % MENTORS) + 1,
                    "submitted_at": NOW,
                    "created_at": NOW,
                }
                for n in range(1, CITIZENS + 1)
            ],
        )
        batch = []
        for i in range(entries):
            referral = rng.randint(1, CITIZENS)
            batch.append(
                {
                    "referral_id": referral,
                    "mentor_id": (referral % MENTORS) + 1,
                    "date": YEAR[0] + timedelta(days=rng.randint(0, 364)),
                    "minutes": rng.randint(15, 240),
                    "category": rng.choice(CATEGORIES),
                    "note": "=1+1" if i % 997 == 0 else "Samtale",
                    "created_by": 1,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            )
            if len(batch) == 20_000:
                conn.execute(sa.insert(table("time_entry")), batch)
                batch = []
        if batch:
            conn.execute(sa.insert(table("time_entry")), batch)
        conn.execute(
            sa.insert(table("training_expense")),
            [
                {
                    "mentor_id": 1,
                    "date": date(2025, m, 10),
                    "description": "Kursus",
                    "amount": Decimal("5000.00"),
                    "created_by": 1,
                    "created_at": NOW,
                }
                for m in range(1, 13)
            ],
        )
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def run(engine: sa.Engine, label: str, entries: int) -> float:
    metadata.create_all(engine)
    _, seconds = timed(lambda: seed(engine, entries, random.Random(entries)))
    print(f"  [{label}] seeded {entries:,} entries in {seconds:.1f} s")
    with Session(engine) as session:
        year, t_year = timed(lambda: claims.compute(session, *YEAR))
        _, t_month = timed(lambda: claims.compute(session, *MONTH))
        count = queries.entry_count(session, *YEAR)
        meta = WorkbookMeta(NOW, "Bench")
        data, t_book = timed(lambda: claims.workbook_bytes(session, year, meta))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  [{label}] report year {t_year:.2f} s ({count / t_year:,.0f} entries/s, "
        f"{len(year.report.rows)} citizens, refund {year.report.totals.refund} kr) · "
        f"month {t_month:.2f} s"
    )
    print(
        f"  [{label}] workbook year {t_book:.1f} s ({count / t_book:,.0f} entries/s), "
        f"{len(data) / 1e6:.1f} MB · peak RSS so far {rss:.0f} MB"
    )
    return t_year


def sqlite_engine(directory: str, entries: int) -> sa.Engine:
    return make_engine(f"sqlite:///{directory}/bench-{entries}.sqlite3", pool_size=2)


def postgres_engine():
    """A fresh database on the local PostgreSQL (and a function dropping it), or None."""
    admin = sa.create_engine(
        PG_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with admin.connect():
            pass
    except sa.exc.OperationalError:
        admin.dispose()
        return None, None
    name = f"mk_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url, pool_size=2)

    def drop():
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return engine, drop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="50000,200000")
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[str, dict[int, float]] = {"sqlite": {}, "postgresql": {}}
    with tempfile.TemporaryDirectory() as directory:
        for n in sizes:
            print(f"== {n:,} entries")
            engine = sqlite_engine(directory, n)
            results["sqlite"][n] = run(engine, "sqlite", n)
            engine.dispose()
            if not args.no_pg:
                pg, drop = postgres_engine()
                if pg is None:
                    print("  [postgresql] unreachable; skipped")
                    continue
                try:
                    results["postgresql"][n] = run(pg, "postgresql", n)
                finally:
                    drop()
    for engine_name, times in results.items():
        if len(times) >= 2:
            small, large = min(times), max(times)
            print(
                f"{engine_name}: report time {large // 1000}k/{small // 1000}k = "
                f"{times[large] / times[small]:.2f} (entries ratio {large / small:.1f})"
            )


if __name__ == "__main__":
    main()
