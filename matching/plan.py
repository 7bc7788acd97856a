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

from collections.abc import Iterable, Mapping

from matching.model import Assignment, MentorProfile, Plan, ReferralNeed, Unassigned
from matching.problem import Problem, build, fits, hour_units
from matching.solver import Pair, Solution, solve
from matching.weights import validate_weights

CORE_POINTS = 3  # score points of reduced cost a pair may lose and stay in the core MILP
NO_FEASIBLE = "Ingen mentor opfylder de faste krav"
NO_CAPACITY = "Ingen ledig kapacitet i planen"

Choice = dict[int, tuple[int, int]]  # need index -> (mentor index, score)


def greedy(
    needs: Iterable[ReferralNeed], mentors: Iterable[MentorProfile], weights: Mapping[str, int]
) -> Plan:
    """Take referrals in id order; each gets its best mentor with capacity left."""
    problem = build(needs, mentors, validate_weights(weights))
    choice = _greedy_choice(problem)
    total = sum(score for _, score in choice.values())
    return _assemble(problem, choice, total, gap=None, optimal=False, solver="greedy")


def plan(
    needs: Iterable[ReferralNeed],
    mentors: Iterable[MentorProfile],
    weights: Mapping[str, int],
    time_limit: float = 10.0,
) -> Plan:
    """Assign referrals to mentors for the best total score within every mentor's capacity."""
    problem = build(needs, mentors, validate_weights(weights))
    fallback = _greedy_choice(problem)
    greedy_total = sum(score for _, score in fallback.values())
    sizes, capacity = hour_units(problem)
    pairs = _pairs(problem, sizes)
    slack = CORE_POINTS * (len(problem.needs) + 1)
    solution = solve(pairs, len(problem.needs), problem.slots(), capacity, time_limit, slack)
    choice = _choice(problem, pairs, solution)
    if choice is not None and _usable(problem, choice, fallback):
        gap = 0.0 if solution.optimal else _gap(solution.bound, problem.objective(choice))
        return _assemble(problem, choice, greedy_total, gap, solution.optimal, "highs")
    gap = _gap(solution.bound, problem.objective(fallback))
    return _assemble(problem, fallback, greedy_total, gap, gap == 0.0, "greedy")


def _usable(problem: Problem, choice: Choice, fallback: Choice) -> bool:
    """Accept the solver's choice only if it fits exactly and is not worse than greedy."""
    return fits(problem, choice) and problem.objective(choice) >= problem.objective(fallback)


def _greedy_choice(problem: Problem) -> Choice:
    slots, free = problem.slots(), problem.free_hours()
    choice: Choice = {}
    for i, need in enumerate(problem.needs):
        ranked = sorted(problem.candidates[i], key=lambda c: (-c[1], c[0]))
        for j, score in ranked:
            if slots[j] > 0 and need.hours_per_week <= free[j]:
                slots[j] -= 1
                free[j] -= need.hours_per_week
                choice[i] = (j, score)
                break
    return choice


def _pairs(problem: Problem, sizes: list[int]) -> list[Pair]:
    weight = len(problem.needs) + 1
    return [
        Pair(i, j, score * weight + 1, sizes[i])
        for i, candidates in enumerate(problem.candidates)
        for j, score in candidates
    ]


def _choice(problem: Problem, pairs: list[Pair], solution: Solution) -> Choice | None:
    if solution.chosen is None:
        return None
    weight = len(problem.needs) + 1
    return {pairs[k].item: (pairs[k].bin, (pairs[k].value - 1) // weight) for k in solution.chosen}


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
            reason = NO_CAPACITY if problem.candidates[i] else NO_FEASIBLE
            unassigned.append(Unassigned(need.id, reason))
    total = sum(a.score for a in assignments)
    return Plan(tuple(assignments), tuple(unassigned), total, greedy_total, gap, optimal, solver)
