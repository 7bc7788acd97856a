"""Benchmark: matching through the service, database included (not only the pure engine).

Builds a temporary SQLite database (and a throwaway PostgreSQL database when the server of
TEST_DATABASE_URL, or the default local one, is reachable) by `alembic upgrade head`, seeds
200 mentors with load (active referrals), absences, exclusions and assignment history, and
100 accepted referrals. Then times:

- suggestions for one referral through `service.corps.matching.suggestions` (audited read,
  engine input from the database, ranking): ms per call over 50 calls;
- the plan for the 100 accepted referrals through `plan_referrals` (median of 5 runs);

and, for each, the split: loading the engine input from the database against the engine's
own time, printed as the ratio DB-load / engine.
Run: .venv/bin/python bench/bench_suggestions_db.py [--calls 50] [--no-pg]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("SECRET_KEY", "bench-secret-not-for-production")

import sqlalchemy as sa
from sqlmodel import Session, col, select

from matching.engine import suggest
from matching.labels import BACKGROUND_AREAS, ROLES, TARGET_GROUPS
from matching.plan import plan as solve_plan
from service.audit.service import Actor
from service.auth.models import Role, User
from service.core import clock, migrate
from service.core.db import make_engine
from service.corps import matching, matching_input
from service.corps.models import (
    Absence,
    AssignmentRecord,
    Citizen,
    Mentor,
    MentorExclusion,
    Referral,
)
from service.corps.weights import current_weights

TODAY = date(2026, 3, 2)
MENTORS, LOADED, ACCEPTED = 200, 1200, 100
PLAN_RUNS = 5
DISTRICTS = ["Aarhus C", "Aarhus N", "Aarhus V", "Viby J", "Brabrand", "Tilst", "Risskov"]
OTHER_LANGUAGES = ["en", "ar", "ku", "tr", "so", "fa", "pl"]
PG_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def some(rng: random.Random, pool, low: int, high: int) -> list[str]:
    return sorted(rng.sample(sorted(pool), rng.randint(low, high)))


def seed(engine: sa.Engine, rng: random.Random) -> list[int]:
    """Users, 200 mentors with load, absences, exclusions, history; return accepted ids."""
    numbers = iter(range(10**5))
    with Session(engine) as session:
        staff = [
            User(email=f"{role}@bench.dk", name=role.title(), role=role, password_hash="x")
            for role in (Role.coordinator, Role.caseworker)
        ]
        people = [
            User(email=f"m{n}@bench.dk", name=f"Mentor {n}", role=Role.mentor, password_hash="x")
            for n in range(MENTORS)
        ]
        session.add_all(staff + people)
        session.flush()
        mentors = [
            Mentor(
                user_id=user.id,
                gender=rng.choice(["female", "male"]),
                birth_year=rng.randint(1960, 1995),
                languages=["da", *some(rng, OTHER_LANGUAGES, 0, 2)],
                background_areas=some(rng, BACKGROUND_AREAS, 1, 3),
                target_groups=some(rng, TARGET_GROUPS, 2, 6),
                roles=some(rng, ROLES, 2, 4),
                district=rng.choice(DISTRICTS),
                weekly_hours=Decimal(rng.choice([20, 25, 30, 37])),
                max_caseload=rng.randint(8, 14),
                employment="full_time",
                active=n % 25 != 0,
            )
            for n, user in enumerate(people)
        ]
        session.add_all(mentors)
        session.flush()

        def referral(status: str, mentor: Mentor | None) -> Referral:
            citizen = Citizen(
                cpr=f"01019{next(numbers):05d}",
                name=f"Borger {rng.randint(1, 10**6)}",
                district=rng.choice(DISTRICTS),
            )
            session.add(citizen)
            session.flush()
            other = [rng.choice(OTHER_LANGUAGES)] if rng.random() < 0.1 else []
            return Referral(
                citizen_id=citizen.id,
                caseworker_id=staff[1].id,
                status=status,
                job_goal="Job med praktiske opgaver",
                focus_roles=some(rng, ROLES, 1, 2),
                target_groups=some(rng, TARGET_GROUPS, 1, 3),
                required_languages=["da", *other],
                preferred_mentor_gender=rng.choice([None, None, "female", "male"]),
                granted_hours_per_week=Decimal(rng.choice([2, 3, 4])),
                start_date=TODAY + timedelta(days=rng.randint(-60, 20)),
                end_date=TODAY + timedelta(days=200),
                mentor_id=mentor.id if mentor else None,
            )

        loaded = [
            referral("active" if n % 6 else "paused", rng.choice(mentors)) for n in range(LOADED)
        ]
        waiting = [referral("accepted", None) for _ in range(ACCEPTED)]
        session.add_all(loaded + waiting)
        session.flush()
        for mentor in rng.sample(mentors, 40):
            start = TODAY + timedelta(days=rng.randint(-5, 25))
            end = start + timedelta(days=10)
            session.add(Absence(mentor_id=mentor.id, start=start, end=end, kind="holiday"))
        for ref in rng.sample(waiting, 30):
            for mentor in rng.sample(mentors, 2):
                session.add(
                    MentorExclusion(
                        citizen_id=ref.citizen_id, mentor_id=mentor.id, reason="Konflikt"
                    )
                )
        for ref in rng.sample(loaded, 300):
            assert ref.mentor_id is not None  # a loaded course has its mentor
            session.add(AssignmentRecord(referral_id=ref.id, mentor_id=ref.mentor_id, score=20))
        session.commit()
        return [r.id for r in waiting]


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def bench(engine: sa.Engine, label: str, calls: int) -> None:
    rng = random.Random(4)
    started = time.perf_counter()
    migrate.upgrade(engine)
    ids = seed(engine, rng)
    print(
        f"[{label}] database built and seeded in {time.perf_counter() - started:.1f} s "
        f"({MENTORS} mentors, {LOADED} courses with a mentor, {ACCEPTED} accepted referrals)"
    )
    with Session(engine) as session:
        coordinator = session.exec(select(User).where(col(User.role) == "coordinator")).one()
        coordinator_id = coordinator.id

    def request(work):
        """Run `work(session, actor)` as a request does: its own session, committed."""
        with Session(engine, expire_on_commit=False) as session:
            actor = Actor(session.get(User, coordinator_id), "bench")
            result = work(session, actor)
            session.commit()
            return result

    # Suggestions through the service function: one request each (audited read included).
    def suggestions(session, actor):
        return matching.suggestions(session, actor=actor, referral_id=ids[0], today=TODAY)

    request(suggestions)  # warm up
    per_call = []
    for _ in range(calls):
        found, seconds = timed(request, suggestions)
        per_call.append(seconds * 1000)

    # The same work split: engine input from the database, then the engine.
    def split(session, _actor):
        start = time.perf_counter()
        (need,) = matching_input.referral_needs(session, [session.get(Referral, ids[0])], TODAY)
        mentors = matching_input.mentor_profiles(session, window=(need.start_date, need.start_date))
        weights = current_weights(session)
        middle = time.perf_counter()
        suggest(need, mentors, weights, 5)
        return middle - start, time.perf_counter() - middle

    parts = [request(split) for _ in range(calls)]
    load_ms = statistics.median(p[0] for p in parts) * 1000
    engine_ms = statistics.median(p[1] for p in parts) * 1000
    print(
        f"[{label}] suggestions for one referral: {statistics.mean(per_call):.2f} ms/call "
        f"(median {statistics.median(per_call):.2f}, p95 "
        f"{sorted(per_call)[int(0.95 * (calls - 1))]:.2f}) over {calls} calls, "
        f"{len(found)} suggestions"
    )
    print(
        f"[{label}]   DB load {load_ms:.2f} ms, engine {engine_ms:.2f} ms, "
        f"DB-load/engine = {load_ms / engine_ms:.1f}"
    )

    # The plan for all accepted referrals (median of PLAN_RUNS), then the same work split.
    runs = [
        timed(
            request,
            lambda session, actor: matching.plan_referrals(session, actor=actor, today=TODAY),
        )
        for _ in range(PLAN_RUNS)
    ]
    (plan, referrals), _seconds = runs[0]
    plan_s = statistics.median(seconds for _result, seconds in runs)

    def plan_split(session, _actor):
        start = time.perf_counter()
        waiting = matching.plannable(session, None)
        needs = matching_input.referral_needs(session, waiting, TODAY)
        window = (min(n.start_date for n in needs), max(n.start_date for n in needs))
        mentors = matching_input.mentor_profiles(session, window=window)
        weights = current_weights(session)
        middle = time.perf_counter()
        solve_plan(needs, mentors, weights, matching.PLAN_TIME_LIMIT)
        return middle - start, time.perf_counter() - middle

    splits = [request(plan_split) for _ in range(PLAN_RUNS)]
    load_s = statistics.median(p[0] for p in splits)
    engine_s = statistics.median(p[1] for p in splits)
    gap = "proven optimal" if plan.optimal else f"proven gap {(plan.gap or 0) * 100:.3f} %"
    print(
        f"[{label}] plan for {len(referrals)} accepted referrals: {plan_s * 1000:.0f} ms "
        f"(median of {PLAN_RUNS}) "
        f"({len(plan.assignments)} assigned, {len(plan.unassigned)} without, {gap}, "
        f"total {plan.total_score} vs greedy {plan.greedy_total})"
    )
    print(
        f"[{label}]   DB load {load_s * 1000:.1f} ms, engine {engine_s * 1000:.1f} ms, "
        f"DB-load/engine = {load_s / engine_s:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    clock.today = lambda: TODAY  # the bench's fixed day (audit rows, plan windows)
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.sqlite3")
        try:
            bench(engine, "SQLite", args.calls)
        finally:
            engine.dispose()
    if args.no_pg:
        return
    admin = sa.create_engine(
        PG_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with admin.connect():
            pass
    except sa.exc.OperationalError:
        print(f"[PostgreSQL] unreachable at {PG_URL}; skipped")
        admin.dispose()
        return
    name = f"mk_bench_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    try:
        bench(engine, "PostgreSQL", args.calls)
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
