"""Benchmark the matching engine on seeded synthetic data where capacity binds.

Run: .venv/bin/python bench/bench_matching.py
"""

import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching.engine import suggest
from matching.labels import BACKGROUND_AREAS, ROLES, TARGET_GROUPS
from matching.model import MentorProfile, ReferralNeed
from matching.plan import plan
from matching.weights import DEFAULT_WEIGHTS

START = date(2026, 3, 2)
DISTRICTS = [f"Distrikt {n}" for n in range(1, 9)]
OTHER_LANGUAGES = ["en", "ar", "ku", "tr", "so", "fa", "pl", "uk"]
SIZES = [(50, 60), (200, 150), (500, 300)]


def sample(rng: random.Random, pool, low: int, high: int) -> frozenset[str]:
    """Draw between low and high distinct codes."""
    return frozenset(rng.sample(sorted(pool), rng.randint(low, high)))


def make_mentor(rng: random.Random, mentor_id: int) -> MentorProfile:
    """A mentor with a few free places and a few free hours."""
    weekly = Decimal(rng.choice([15, 20, 25, 30, 37]))
    max_caseload = rng.randint(6, 14)
    caseload = max_caseload - rng.randint(0, 3)
    free = Decimal(rng.randint(0, 20)) / 2
    day = START + timedelta(days=rng.randint(-10, 30))
    return MentorProfile(
        id=mentor_id,
        active=rng.random() > 0.05,
        gender=rng.choice(["female", "male", "female", "other"]),
        languages=frozenset({"da"}) | sample(rng, OTHER_LANGUAGES, 0, 2),
        background_areas=sample(rng, BACKGROUND_AREAS, 1, 3),
        target_groups=sample(rng, TARGET_GROUPS, 2, 6),
        roles=sample(rng, ROLES, 2, 4),
        district=rng.choice(DISTRICTS),
        weekly_hours=weekly,
        max_caseload=max_caseload,
        caseload=caseload,
        hours_in_use=max(weekly - free, Decimal(0)),
        absences=((day, day + timedelta(days=14)),) if rng.random() < 0.1 else (),
    )


def make_need(rng: random.Random, need_id: int, mentor_ids: list[int]) -> ReferralNeed:
    """A referral with one to three target groups and a few hours a week."""
    other = rng.choice(OTHER_LANGUAGES)
    return ReferralNeed(
        id=need_id,
        citizen_id=10_000 + need_id,
        start_date=START,
        hours_per_week=Decimal(rng.randint(2, 10)) / 2,
        required_languages=frozenset({"da", other} if rng.random() < 0.15 else {"da"}),
        target_groups=sample(rng, TARGET_GROUPS, 1, 3),
        focus_roles=sample(rng, ROLES, 1, 2),
        preferred_gender=rng.choice([None, None, None, "female", "male"]),
        district=rng.choice(DISTRICTS),
        excluded_mentor_ids=frozenset(rng.sample(mentor_ids, 1) if rng.random() < 0.05 else ()),
        previous_mentor_ids=frozenset(rng.sample(mentor_ids, 1) if rng.random() < 0.1 else ()),
    )


def instance(n_needs: int, n_mentors: int, seed: int = 7):
    """Seeded needs and mentors."""
    rng = random.Random(seed)
    mentors = [make_mentor(rng, i) for i in range(1, n_mentors + 1)]
    ids = [m.id for m in mentors]
    return [make_need(rng, i, ids) for i in range(1, n_needs + 1)], mentors


def bench_suggest() -> None:
    """Time one suggestion list over 200 mentors."""
    needs, mentors = instance(20, 200)
    rounds = 0
    began = time.perf_counter()
    for need in needs * 5:
        suggest(need, mentors, DEFAULT_WEIGHTS)
        rounds += 1
    elapsed = (time.perf_counter() - began) / rounds
    print(f"suggest, 1 referral x 200 mentors: {elapsed * 1000:.1f} ms")


def bench_plan(n_needs: int, n_mentors: int) -> None:
    """Plan one size and print time, score against greedy, gap and optimality."""
    needs, mentors = instance(n_needs, n_mentors)
    began = time.perf_counter()
    result = plan(needs, mentors, DEFAULT_WEIGHTS, time_limit=10.0)
    seconds = time.perf_counter() - began
    ratio = result.total_score / result.greedy_total if result.greedy_total else float("nan")
    gap = "n/a" if result.gap is None else f"{result.gap:.2e}"
    print(
        f"{n_needs:>4} x {n_mentors:<4} {seconds:7.2f} s  assigned {len(result.assignments):>3}"
        f"  total {result.total_score:>6}  greedy {result.greedy_total:>6}  ratio {ratio:.4f}"
        f"  gap {gap:>8}  optimal {result.optimal!s:<5}  solver {result.solver}"
    )


def main() -> None:
    """Run every benchmark."""
    bench_suggest()
    print("plan: referrals x mentors, seconds, assigned, total vs greedy, gap, optimal")
    for n_needs, n_mentors in SIZES:
        bench_plan(n_needs, n_mentors)


if __name__ == "__main__":
    main()
