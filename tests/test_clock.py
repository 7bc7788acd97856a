"""One clock: only `service/core/clock.py` reads the time, and a frozen day reaches its readers.

The tests freeze the day as every test does: `monkeypatch.setattr(clock, "today", ...)`.
"""

from __future__ import annotations

import ast
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from service.core import clock
from service.corps.mentors import profile_errors
from service.jobs import schedule
from service.jobs.registry import JOBS
from service.jobs.runs import JobRun
from tests.conftest import joined_session
from tests.factories import make_referral

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("service", "logbook", "matching", "reports", "vocabulary")
CLOCK = ROOT / "service" / "core" / "clock.py"
# (owner, method) of the calls that read the time: date.today(), dt.datetime.now(), …
TIME_READS = {("date", "today"), ("datetime", "today"), ("datetime", "now"), ("datetime", "utcnow")}
FROZEN = date(2031, 3, 12)  # a Wednesday, years from any real today the suite meets


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def clock_bypasses(source: str, where: str) -> list[str]:
    """Calls that read the time, or take today other than by `clock.today()`."""
    found = []
    for node in ast.walk(ast.parse(source, filename=where)):
        at = f"{where}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.ImportFrom) and node.module == "service.core.clock":
            # A name bound at import time escapes the frozen clock of the tests.
            found += [f"{at} imports {a.name}" for a in node.names if a.name != "utcnow"]
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner, method = node.func.value, node.func.attr
        if (_name(owner), method) in TIME_READS:
            found.append(f"{at} calls {_name(owner)}.{method}()")
        if method == "astimezone" and isinstance(owner, ast.Call) and _name(owner.func) == "utcnow":
            found.append(f"{at} takes the local time from utcnow()")
    return found


def project_modules() -> list[Path]:
    paths = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py")]
    return [p for p in paths if p != CLOCK and "migrations" not in p.parts]


def test_only_the_clock_reads_the_time():
    paths = project_modules()
    assert len(paths) > 100 and CLOCK.exists()
    hits = [
        hit
        for path in paths
        for hit in clock_bypasses(path.read_text(), str(path.relative_to(ROOT)))
    ]
    assert hits == []


def test_the_scan_sees_each_way_around_the_clock():
    sample = (
        "import datetime as dt\n"
        "from datetime import date, datetime\n"
        "from service.core.clock import today\n"
        "a = date.today()\n"
        "b = dt.datetime.now()\n"
        "c = datetime.utcnow()\n"
        "d = utcnow().astimezone(TIMEZONE).date()\n"
        "e = clock.today()\n"
        "f = clock.utcnow()\n"
    )
    hits = clock_bypasses(sample, "sample.py")
    assert [hit.split(" ", 1)[1] for hit in hits] == [
        "imports today",
        "calls date.today()",
        "calls datetime.now()",
        "calls datetime.utcnow()",
        "takes the local time from utcnow()",
    ]


@pytest.fixture
def scope(connection):
    """A `session_scope` stand-in that commits into the test's rolled-back transaction."""

    @contextmanager
    def make():
        with joined_session(connection) as session:
            yield session
            session.commit()

    return make


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: FROZEN)
    return FROZEN


def page(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, response.text[:2000]
    return BeautifulSoup(response.text, "html.parser")


def test_the_absence_calendar_starts_in_the_frozen_week(pages, frozen):
    first = page(pages("coordinator"), "/fravaer").select_one("th[scope=row]").get_text()
    assert first == "Uge 11 (10. marts 2031)"


def test_the_inbox_counts_working_days_to_the_frozen_day(pages, db, users, frozen):
    submitted = datetime(2031, 3, 5, 9, tzinfo=UTC)  # the Wednesday before: five working days
    referral = make_referral(db, users["caseworker"], submitted_at=submitted)
    row = page(pages("coordinator"), "/henvisninger/indbakke").select_one(
        f'tr[data-referral="{referral.id}"]'
    )
    assert row.select_one("td.age").get_text() == "5 arbejdsdage"


def test_the_birth_year_is_checked_against_the_frozen_year(frozen):
    assert profile_errors({"birth_year": 2016}) == {}  # 15 in 2031
    assert "birth_year" in profile_errors({"birth_year": 2017})


def test_the_scheduler_runs_its_jobs_for_the_frozen_day(engine, db, scope, frozen):
    runner = schedule.JobScheduler(engine)
    runner._scope = scope  # commits into the test's transaction
    name = "unmatched_referrals"
    assert name in JOBS
    runner._run(name)
    assert runner.ran == [name]
    assert db.exec(select(JobRun.run_date).where(JobRun.job == name)).all() == [FROZEN]
