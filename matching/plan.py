"""Plan many referrals at once: a generalised assignment problem solved with HiGHS.

Every pair is scored once against the mentors' state before the plan (as `suggest` would
score it); the plan then only tracks each mentor's free caseload and free weekly hours, and
never uses a pair that breaks a hard constraint.

Objective: maximise the total score; among plans with the same total, assign as many
referrals as possible. The solver sees each feasible pair as `score * (n + 1) + 1` for n
referrals: the constant bonus of 1 per assignment makes every feasible pair worth more than
leaving the referral unassigned (a 0-point match is still a match), and because at most n
bonuses exist they can never outweigh a single score point. Reported scores are the plain
suggestion scores and `total_score` is their sum, so the plan is never below `greedy`.

`gap` is the relative gap on that objective between the returned plan and the best proven
bound (HiGHS's dual bound or the LP bound, see `matching.solver`): 0.0 when proven optimal,
None when unknown. If the time limit leaves an incumbent worse than greedy, the greedy plan
is returned with its own gap against that bound.
"""

import time
from collections.abc import Iterable, Mapping

import numpy as np

from matching.greedy import Choice, greedy_choice
from matching.model import Assignment, MentorProfile, Plan, ReferralNeed, Unassigned
from matching.problem import Problem, build, fits, hour_units
from matching.solver import solve
from matching.subproblem import Instance, Result
from matching.weights import validate_weights

NO_FEASIBLE = "Ingen mentor opfylder de faste krav"
NO_CAPACITY = "Ingen ledig kapacitet i planen"


def greedy(
    needs: Iterable[ReferralNeed], mentors: Iterable[MentorProfile], weights: Mapping[str, int]
) -> Plan:
    """Take referrals in id order; each gets its best mentor with capacity left."""
    problem = build(needs, mentors, validate_weights(weights))
    choice = greedy_choice(problem)
    total = sum(score for _, score in choice.values())
    return _assemble(problem, choice, total, gap=None, optimal=False, solver="greedy")


def plan(
    needs: Iterable[ReferralNeed],
    mentors: Iterable[MentorProfile],
    weights: Mapping[str, int],
    time_limit: float = 10.0,
) -> Plan:
    """Assign referrals to mentors for the best total score within every mentor's capacity."""
    began = time.monotonic()
    problem = build(needs, mentors, validate_weights(weights))
    fallback = greedy_choice(problem)
    greedy_total = sum(score for _, score in fallback.values())
    inst = _instance(problem)
    start = np.full(len(problem.needs), -1)
    for i, (j, _) in fallback.items():
        start[i] = j
    if not inst.fits(start):  # hours rounded past MAX_PLACES: start from nothing
        start[:] = -1
    solution = solve(inst, start, time_limit - (time.monotonic() - began))
    choice = _choice(problem, solution)
    if choice is not None and _usable(problem, choice, fallback):
        gap = 0.0 if solution.optimal else _gap(solution.bound, problem.objective(choice))
        return _assemble(problem, choice, greedy_total, gap, solution.optimal, "highs")
    gap = _gap(solution.bound, problem.objective(fallback))
    return _assemble(problem, fallback, greedy_total, gap, gap == 0.0, "greedy")


def _instance(problem: Problem) -> Instance:
    """The solver's view: each feasible pair worth score * (n + 1) + 1."""
    sizes, capacity, _ = hour_units(problem)
    return Instance(
        value=problem.score * (len(problem.needs) + 1) + 1,
        usable=problem.feasible,
        size=np.array(sizes, dtype=np.int64),
        slots=np.array(problem.slots(), dtype=np.int64),
        capacity=np.array(capacity, dtype=np.int64),
    )


def _usable(problem: Problem, choice: Choice, fallback: Choice) -> bool:
    """Accept the solver's choice only if it fits exactly and is not worse than greedy."""
    return fits(problem, choice) and problem.objective(choice) >= problem.objective(fallback)


def _choice(problem: Problem, solution: Result) -> Choice | None:
    if solution.assign is None:
        return None
    placed = np.flatnonzero(solution.assign >= 0)
    for i in placed:
        if not problem.feasible[i, solution.assign[i]]:
            return None
    return {
        int(i): (int(j), int(problem.score[i, j]))
        for i, j in zip(placed, solution.assign[placed], strict=True)
    }


def _gap(bound: float | None, objective: int) -> float | None:
    """Relative gap of an objective value to a proven bound, as HiGHS reports it."""
    if bound is None or bound < objective - 0.5:
        return None
    missing = max(bound - objective, 0.0)
    return 0.0 if missing < 1 else missing / max(abs(objective), 1)


def _assemble(
    problem: Problem,
    choice: Choice,
    greedy_total: int,
    gap: float | None,
    optimal: bool,
    solver: str,
) -> Plan:
    assignments, unassigned = [], []
    for i, need in enumerate(problem.needs):
        if i in choice:
            j, score = choice[i]
            assignments.append(Assignment(need.id, problem.mentors[j].id, score))
        else:
            reason = NO_CAPACITY if problem.feasible[i].any() else NO_FEASIBLE
            unassigned.append(Unassigned(need.id, reason))
    total = sum(a.score for a in assignments)
    return Plan(tuple(assignments), tuple(unassigned), total, greedy_total, gap, optimal, solver)
