"""Good assignments from the LP: fix what it settles, solve the rest, then search locally.

1. Items the LP puts wholly in one bin stay there; a MILP places the others among the pairs
   whose reduced cost is within SLACK of the best.
2. Large neighbourhood search: free every item of a few bins that share candidates, and
   re-solve those bins exactly with the unplaced items that fit them. It never gets worse.
   The next neighbourhood is grown around the bin that loses most against the LP bound
   (idle capacity at its price, items away from their best pair); this found the same
   plans in about half the time of taking bins in a fixed order.
"""

import time

import numpy as np

from matching.relax import Relaxation
from matching.subproblem import Instance, solve_columns

SLACK = 0.05  # of the largest value: reduced cost a pair may lose and stay a candidate
NEAR = 0.05  # the same, for the neighbourhoods of the local search
BINS = 12  # per neighbourhood: ~30 ms a MILP; 8 or 16 bins found worse plans in 1 s
STEP_LIMIT = 0.5  # seconds for one neighbourhood's MILP
FIX_SHARE = 0.3  # of the time left, for the MILP after fixing: the search needs the rest


def fix_and_solve(inst: Instance, lp: Relaxation, deadline: float) -> np.ndarray:
    """Keep the LP's whole assignments, place the rest with a MILP, then fill greedily."""
    assign = np.full(len(inst.size), -1)
    whole = (lp.x >= 1 - 1e-6) & inst.usable
    items, bins = np.nonzero(whole)
    assign[items] = bins
    count, hours = _load(inst, assign)
    for j in np.flatnonzero((count > inst.slots) | (hours > inst.capacity)):
        assign[assign == j] = -1  # tolerances overfilled this bin: place its items again
    count, hours = _load(inst, assign)
    slots, capacity = inst.slots - count, inst.capacity - hours
    open_items = assign < 0
    candidates = _candidates(inst, lp, SLACK) & open_items[:, None]
    candidates &= (inst.size[:, None] <= capacity[None, :]) & (slots[None, :] > 0)
    limit = FIX_SHARE * (deadline - time.monotonic())
    found = solve_columns(inst, candidates, slots, capacity, limit)
    if found.assign is not None:
        assign = np.where(open_items, found.assign, assign)
    return fill(inst, assign)


def fill(inst: Instance, assign: np.ndarray) -> np.ndarray:
    """Give unplaced items, most valuable first, their best pair that still fits."""
    assign = assign.copy()
    count, hours = _load(inst, assign)
    slots, capacity = inst.slots - count, inst.capacity - hours
    worth = np.where(inst.usable, inst.value, -1)
    for i in np.argsort(-worth.max(axis=1), kind="stable"):
        if assign[i] >= 0:
            continue
        room = inst.usable[i] & (slots > 0) & (capacity >= inst.size[i])
        if room.any():
            j = int(np.argmax(np.where(room, inst.value[i], -1)))
            assign[i], slots[j], capacity[j] = j, slots[j] - 1, capacity[j] - inst.size[i]
    return assign


def improve(
    inst: Instance, lp: Relaxation, assign: np.ndarray, deadline: float, enough: float
) -> np.ndarray:
    """Re-solve neighbourhoods of bins until the gap is enough or time runs out."""
    near = _candidates(inst, lp, NEAR)
    shared = near.T.astype(np.float64) @ near.astype(np.float64)
    value = inst.total(assign)
    tried = np.zeros(len(inst.slots), dtype=bool)  # seeds re-solved since the last gain
    while lp.bound - value > enough and time.monotonic() < deadline and not tried.all():
        loss = np.where(tried, -np.inf, lp.bin_losses(inst, assign))
        seed = int(np.argmax(loss))
        tried[seed] = True
        group = np.zeros(len(inst.slots), dtype=bool)
        group[np.argsort(-shared[seed], kind="stable")[:BINS]] = True
        inside = (assign >= 0) & group[np.maximum(assign, 0)]
        loose = (assign < 0) & near[:, group].any(axis=1)
        mine = inside | loose
        columns = near & mine[:, None] & group[None, :]
        columns[np.flatnonzero(inside), assign[inside]] = True
        limit = min(STEP_LIMIT, deadline - time.monotonic())
        found = solve_columns(
            inst, columns, np.where(group, inst.slots, 0), np.where(group, inst.capacity, 0), limit
        )
        if found.assign is None:
            continue
        trial = np.where(mine, found.assign, assign)
        if inst.total(trial) > value:
            assign, value = trial, inst.total(trial)
            tried[:] = False  # the losses moved: every bin may be worth another look
    return assign


def _candidates(inst: Instance, lp: Relaxation, slack: float) -> np.ndarray:
    """Pairs whose reduced cost is within slack (of the largest value) of zero."""
    return inst.usable & (lp.reduced >= -slack * float(inst.value.max(initial=1)))


def _load(inst: Instance, assign: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    placed = np.flatnonzero(assign >= 0)
    m = len(inst.slots)
    count = np.bincount(assign[placed], minlength=m)
    hours = np.bincount(assign[placed], weights=inst.size[placed], minlength=m)
    return count, np.rint(hours).astype(np.int64)
