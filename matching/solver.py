"""A generalised assignment problem (items into bins with two capacities) on HiGHS.

Small instances (at most EXACT_PAIRS usable pairs) are solved exactly as one MILP. Larger
ones, where HiGHS would spend its time limit finding a first good solution:
1. The LP relaxation by column generation gives a bound valid for the whole problem
   (`matching.relax`), whatever pairs it looked at.
2. Its whole assignments are kept and the rest placed by a MILP; then large neighbourhood
   search improves the result until the proven gap is at most `gap` or time runs out
   (`matching.search`). The start assignment (greedy) is kept if nothing beats it.
"""

import time

import numpy as np

from matching.relax import relax
from matching.search import fix_and_solve, improve
from matching.subproblem import Instance, Result, solve_columns

EXACT_PAIRS = 3_000
GAP = 0.004  # proven relative gap at which the search for a better assignment stops
RESERVE = 0.1  # seconds of the time limit kept for checking and reporting the plan


def solve(inst: Instance, start: np.ndarray, time_limit: float, gap: float = GAP) -> Result:
    """Maximise the total value within every bin's two capacities; start must fit."""
    deadline = time.monotonic() + max(time_limit - RESERVE, time_limit / 2)
    usable = (
        inst.usable & (inst.size[:, None] <= inst.capacity[None, :]) & (inst.slots[None, :] > 0)
    )
    inst = Instance(inst.value, usable, inst.size, inst.slots, inst.capacity)
    if usable.sum() <= EXACT_PAIRS:
        return _exact(inst, start, time_limit)
    value = inst.total(start)
    lp = relax(inst, start, deadline)
    if lp is None:
        return Result(start, value, None, False)
    best = start
    found = fix_and_solve(inst, lp, deadline)
    if inst.fits(found) and inst.total(found) > value:
        best, value = found, inst.total(found)
    enough = gap * max(value, 1)
    best = improve(inst, lp, best, deadline, enough)
    value = inst.total(best)
    return Result(best, value, lp.bound, lp.bound < value + 1)


def _exact(inst: Instance, start: np.ndarray, time_limit: float) -> Result:
    """One MILP over every usable pair; the start wins if HiGHS finds nothing better."""
    found = solve_columns(inst, inst.usable, inst.slots, inst.capacity, time_limit)
    bound = found.bound
    if found.assign is None or not inst.fits(found.assign):
        return Result(start, inst.total(start), bound, False)
    if inst.total(start) > found.value:
        return Result(start, inst.total(start), bound, False)
    proven = found.optimal or (bound is not None and bound < found.value + 1)
    return Result(found.assign, found.value, bound, proven)
