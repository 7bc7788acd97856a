"""Benchmark: a year of a big municipality through the refund report and its workbook.

Seeds one year (400,000 time entries, 2,000 citizens with one referral each, 150 mentors
with mid-year rate changes and 15 on the default rate, logbook notes for the evidence of
delivery, training expenses) into a temporary SQLite database and, when reachable, a
throwaway PostgreSQL database, both built by the real migrations. The seeding is bulk
(executemany on SQLite, COPY on PostgreSQL). Then, for each run, a fresh interpreter
measures against the seeded database:

- JSON: the year's report exactly as GET /api/v1/reports/refund builds it (aggregate SQL,
  evidence, audit rows flushed, JSON serialised); rolled back afterwards.
- month: the report and workbook for one month (~35,000 entries), as a download does.
- year: the workbook alone for the year's entries, its size and the peak RSS above the
  RSS just before the build (sampled every 10 ms; the bytes of the file are included).
- baseline: openpyxl write-only writing the same entries (the same streamed query, the
  same eleven values) bare: no styles, no number formats, no other sheets.

Goals (2-core machine): JSON ≤ 1 s; month workbook ≤ 8 s; year workbook ≥ 0.9 × the
baseline's rows/s with peak memory ≤ 100 MB.
Run: .venv/bin/python bench/refund.py [--entries 400000] [--runs 2] [--no-pg] [--no-sqlite]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from service.all_models import metadata
from service.core.settings import DEFAULT_HOURLY_RATE

YEAR = (date(2025, 1, 1), date(2025, 12, 31))
MONTH = (date(2025, 3, 1), date(2025, 3, 31))
CITIZENS, MENTORS = 2000, 150
FINANCE_ID = MENTORS + 2
CATEGORIES = (
    "citizen_contact",
    "citizen_contact",
    "citizen_contact",
    "professional_dialogue",
    "transport_with_citizen",
    "administration",
    "own_transport",
)
NOTES = ("Samtale om job", "Opfølgning", "Jobsøgning sammen", "", "=1+1", "Møde med jobcenter")
PG_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
NOW = datetime(2026, 1, 15, tzinfo=UTC)
GOALS = {"json_s": 1.0, "month_s": 8.0, "ratio": 0.9, "peak_mb": 100.0}


def table(name: str) -> sa.Table:
    return metadata.tables[name]


# --- seeding ------------------------------------------------------------------------------


def _people(conn, rng: random.Random) -> None:
    """Users, mentors (with rates), citizens and referrals through SQLAlchemy Core."""
    users = [
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
    ]
    users.append({**users[-1], "id": FINANCE_ID, "email": "f@bench.dk", "role": "finance"})
    conn.execute(sa.insert(table("user")), users)
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
            continue  # DEFAULT_HOURLY_RATE
        for valid_from, low, high in (
            (date(2024, 1, 1), 35_000, 45_000),
            (date(2025, rng.randint(2, 11), rng.choice((1, 15))), 40_000, 50_000),
        ):
            rates.append(
                {
                    "mentor_id": n,
                    "valid_from": valid_from,
                    "created_at": NOW,
                    "hourly_rate": Decimal(rng.randint(low, high)) / 100,
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
    conn.execute(
        sa.insert(table("training_expense")),
        [
            {
                "mentor_id": (m * 7) % MENTORS + 1,
                "date": date(2025, m, 10),
                "description": "Kursus i motiverende samtale",
                "amount": Decimal("5000.00") + m,
                "created_by": 1,
                "created_at": NOW,
            }
            for m in range(1, 13)
        ],
    )


def _time_rows(entries: int, rng: random.Random):
    """(referral, mentor, date, minutes, category, note) for every entry."""
    for _ in range(entries):
        referral = rng.randint(1, CITIZENS)
        yield (
            referral,
            (referral % MENTORS) + 1,
            YEAR[0] + timedelta(days=rng.randint(0, 364)),
            rng.randint(15, 240),
            rng.choice(CATEGORIES),
            rng.choice(NOTES),
        )


def _note_days(rng: random.Random) -> list[tuple[int, date, bool]]:
    """Logbook notes: about 40 days per referral, a third of them shown to the citizen."""
    days = set()
    for referral in range(1, CITIZENS + 1):
        for _ in range(40):
            days.add((referral, YEAR[0] + timedelta(days=rng.randint(0, 364))))
    return [(r, d, rng.random() < 0.33) for r, d in sorted(days)]


def _bulk_sqlite(engine: sa.Engine, entries: int, rng: random.Random) -> None:
    raw = engine.raw_connection()
    try:
        cur = cast(sqlite3.Cursor, raw.cursor())  # executemany takes any iterable
        cur.execute("BEGIN")
        stamp = NOW.replace(tzinfo=None).isoformat(" ", "microseconds")
        cur.executemany(
            "INSERT INTO time_entry (referral_id, mentor_id, date, minutes, category, note, "
            "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
            (
                (r, m, d.isoformat(), mi, c, n, stamp, stamp)
                for r, m, d, mi, c, n in _time_rows(entries, rng)
            ),
        )
        notes = _note_days(rng)
        cur.executemany(
            "INSERT INTO logbook_entry (id, referral_id, author_id, occurred_on, kind, "
            "sub_goal_ids, observations, created_at) VALUES (?, ?, 1, ?, 'conversation', "
            "'[]', '[]', ?)",
            ((i, r, d.isoformat(), stamp) for i, (r, d, _s) in enumerate(notes, 1)),
        )
        cur.executemany(
            "INSERT INTO logbook_shown (entry_id, by_id, at) VALUES (?, 1, ?)",
            ((i, stamp) for i, (_r, _d, shown) in enumerate(notes, 1) if shown),
        )
        cur.execute("COMMIT")
    finally:
        raw.close()


def _bulk_postgres(engine: sa.Engine, entries: int, rng: random.Random) -> None:
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        cur = driver.cursor()
        with cur.copy(
            "COPY time_entry (referral_id, mentor_id, date, minutes, category, note, "
            "created_by, created_at, updated_at) FROM STDIN"
        ) as copy:
            for row in _time_rows(entries, rng):
                copy.write_row((*row, 1, NOW, NOW))
        notes = _note_days(rng)
        with cur.copy(
            "COPY logbook_entry (id, referral_id, author_id, occurred_on, kind, sub_goal_ids, "
            "observations, created_at) FROM STDIN"
        ) as copy:
            for i, (r, d, _s) in enumerate(notes, 1):
                copy.write_row((i, r, 1, d, "conversation", "[]", "[]", NOW))
        with cur.copy("COPY logbook_shown (entry_id, by_id, at) FROM STDIN") as copy:
            for i, (_r, _d, shown) in enumerate(notes, 1):
                if shown:
                    copy.write_row((i, 1, NOW))
        cur.execute("SELECT setval('logbook_entry_id_seq', %s)", (len(notes),))
        raw.commit()
    finally:
        raw.close()


def seed(engine: sa.Engine, entries: int) -> None:
    """Migrate, then bulk-insert the year; ANALYZE on PostgreSQL (autovacuum would)."""
    from service.core import migrate

    migrate.upgrade(engine)
    rng = random.Random(entries)
    with engine.begin() as conn:
        _people(conn, rng)
    if engine.dialect.name == "postgresql":
        _bulk_postgres(engine, entries, rng)
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    else:
        _bulk_sqlite(engine, entries, rng)


# --- measuring (in a fresh interpreter) ---------------------------------------------------


class RssPeak:
    """Samples this process's RSS every 10 ms; `peak_delta` is the peak above the start."""

    def __init__(self) -> None:
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.start = self.peak = self.rss()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def rss(self) -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * self.page

    def _run(self) -> None:
        while not self.stop.wait(0.01):
            self.peak = max(self.peak, self.rss())

    def __enter__(self) -> RssPeak:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        self.peak = max(self.peak, self.rss())

    @property
    def peak_delta(self) -> int:
        return self.peak - self.start


def _timed(fn):
    began = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - began


def baseline(session, start: date, end: date) -> tuple[int, int]:
    """openpyxl write-only, bare: the same streamed entries and values, nothing else."""
    from openpyxl import Workbook

    from reports import queries
    from reports.core.refund import DEFAULT_RULE
    from reports.core.tables import entry_values

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Registreringer")
    count = 0
    for entry in queries.entry_rows(session, start, end, DEFAULT_HOURLY_RATE):
        ws.append(entry_values(entry, DEFAULT_RULE.refundable))
        count += 1
    out = io.BytesIO()
    wb.save(out)
    return count, len(out.getvalue())


def measure(url: str, what: str) -> dict:
    """One measurement against the seeded database at url (runs in a child process)."""
    import gc

    from sqlmodel import Session

    from reports import claims, evidence_queries, queries
    from reports.core.workbook import WorkbookMeta
    from service.audit.service import Actor
    from service.auth.models import User
    from service.core.db import make_engine

    engine = make_engine(url, pool_size=2)
    result: dict = {}
    with Session(engine, expire_on_commit=False) as session:
        actor = Actor(session.get(User, FINANCE_ID))
        meta = WorkbookMeta(NOW, "Bench")
        if what == "json":
            body, seconds = _timed(
                lambda: json.dumps(
                    claims.refund_report(
                        session=session,
                        actor=actor,
                        start=YEAR[0],
                        end=YEAR[1],
                        default_rate=DEFAULT_HOURLY_RATE,
                    ).to_json()
                )
            )
            session.rollback()
            result.update(json_s=seconds, json_bytes=len(body))
            # The parts, for finding where the time goes.
            rule = queries.rule_in_force(session, *YEAR)
            _, result["citizen_totals_s"] = _timed(
                lambda: queries.citizen_totals(session, *YEAR, rule, DEFAULT_HOURLY_RATE)
            )
            _, result["evidence_s"] = _timed(
                lambda: evidence_queries.evidence(session, *YEAR, rule)
            )
        elif what == "month":

            def month_workbook() -> bytes:
                bundle = claims.refund_report(
                    session=session,
                    actor=actor,
                    start=MONTH[0],
                    end=MONTH[1],
                    default_rate=DEFAULT_HOURLY_RATE,
                    what="xlsx",
                )
                return claims.workbook_bytes(session, bundle, meta)

            data, seconds = _timed(month_workbook)
            session.rollback()
            result.update(
                month_s=seconds,
                month_entries=queries.entry_count(session, *MONTH),
                month_bytes=len(data),
            )
        elif what == "year":
            bundle = claims.compute(session, *YEAR, DEFAULT_HOURLY_RATE)
            result["year_entries"] = queries.entry_count(session, *YEAR)
            session.commit()
            gc.collect()
            with RssPeak() as rss:
                data, seconds = _timed(lambda: claims.workbook_bytes(session, bundle, meta))
            result.update(year_s=seconds, year_bytes=len(data), peak_rss=rss.peak_delta)
        elif what == "baseline":
            gc.collect()
            with RssPeak() as rss:
                (count, size), seconds = _timed(lambda: baseline(session, *YEAR))
            result.update(
                baseline_s=seconds,
                baseline_rows=count,
                baseline_bytes=size,
                base_rss=rss.peak_delta,
            )
        elif what == "trace":
            import tracemalloc

            bundle = claims.compute(session, *MONTH, DEFAULT_HOURLY_RATE)
            session.commit()
            tracemalloc.start()
            claims.workbook_bytes(session, bundle, meta)
            result["month_tracemalloc_peak"] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    engine.dispose()
    return result


def in_child(url: str, what: str) -> dict:
    args = [sys.executable, __file__, "--child", what, "--url", url]
    done = subprocess.run(args, check=True, capture_output=True, text=True)  # noqa: S603
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- engines and the report ---------------------------------------------------------------


def postgres_database():
    """A fresh database on the local PostgreSQL: (url, drop function), or (None, None)."""
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

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def mark(ok: bool) -> str:
    return "ok " if ok else "MISS"


def bench(label: str, url: str, entries: int, runs: int, parts: list[str]) -> None:
    from service.core.db import make_engine

    engine = make_engine(url, pool_size=2)
    _, seconds = _timed(lambda: seed(engine, entries))
    engine.dispose()
    print(f"[{label}] seeded {entries:,} entries in {seconds:.1f} s", flush=True)
    for run in range(1, runs + 1):
        r: dict = {}
        for what in parts:
            r.update(in_child(url, what))
        lines = []
        if "json_s" in r:
            lines.append(
                f"{mark(r['json_s'] <= GOALS['json_s'])} JSON report (year, "
                f"{r['json_bytes'] / 1e3:.0f} kB): {r['json_s']:.2f} s  [citizen totals "
                f"{r['citizen_totals_s']:.2f} s, evidence {r['evidence_s']:.2f} s]  goal ≤ 1 s"
            )
        if "month_s" in r:
            lines.append(
                f"{mark(r['month_s'] <= GOALS['month_s'])} month workbook "
                f"({r['month_entries']:,} entries, report included): {r['month_s']:.2f} s, "
                f"{r['month_bytes'] / 2**20:.1f} MiB  goal ≤ 8 s"
            )
        if "year_s" in r and "baseline_s" in r:
            ours = r["year_entries"] / r["year_s"]
            base = r["baseline_rows"] / r["baseline_s"]
            peak = r["peak_rss"] / 2**20
            lines.append(
                f"     year workbook: {r['year_entries']:,} entries in {r['year_s']:.1f} s = "
                f"{ours:,.0f} rows/s, {r['year_bytes'] / 2**20:.1f} MiB"
            )
            lines.append(
                f"     bare baseline: {r['baseline_rows']:,} rows in {r['baseline_s']:.1f} s = "
                f"{base:,.0f} rows/s, {r['baseline_bytes'] / 2**20:.1f} MiB, "
                f"peak RSS +{r['base_rss'] / 2**20:.0f} MiB"
            )
            lines.append(
                f"{mark(ours >= GOALS['ratio'] * base)} ours / baseline = {ours / base:.2f}  "
                "goal ≥ 0.9"
            )
            lines.append(
                f"{mark(peak <= GOALS['peak_mb'])} year workbook peak RSS +{peak:.0f} MiB "
                "(build only, file bytes included)  goal ≤ 100 MB"
            )
        if "month_tracemalloc_peak" in r:
            peak = r["month_tracemalloc_peak"] / 2**20
            lines.append(f"     month workbook tracemalloc peak {peak:.1f} MiB")
        print(f"[{label}] run {run}:")
        for line in lines:
            print(f"  {line}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=400_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--parts", default="json,month,year,baseline")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--child")
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.url, args.child)))
        return
    parts = args.parts.split(",")
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as directory:
            bench("sqlite", f"sqlite:///{directory}/bench.sqlite3", args.entries, args.runs, parts)
    if not args.no_pg:
        url, drop = postgres_database()
        if url is None:
            print("[postgresql] unreachable; skipped")
            return
        try:
            bench("postgresql", url, args.entries, args.runs, parts)
        finally:
            drop()


if __name__ == "__main__":
    main()
