"""A generalised assignment problem (items into bins with two capacities) on HiGHS.

On large instances HiGHS spends its time limit looking for a first good solution, so the
solve has two phases:
1. The LP relaxation gives an upper bound and reduced costs. A core MILP over the pairs
   whose reduced cost is within `core_slack` of zero is small and fast. If no pair outside
   the core could reach the core's optimum (LP bound plus its reduced cost), that optimum
   is proven optimal for the whole problem.
2. Otherwise the full MILP runs for the remaining time. The better incumbent wins; the
   bound is the tighter of the LP bound and HiGHS's dual bound, both valid for the whole.
"""

import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_array, csr_array

CORE_SHARE = 0.5  # of the time limit, for phase 1


@dataclass(frozen=True)
class Pair:
    """A feasible item-bin pair: integer value to maximise and hours (integer units)."""

    item: int
    bin: int
    value: int
    size: int


@dataclass(frozen=True)
class Solution:
    """Chosen pair indices (None if none found), a proven upper bound, and optimality."""

    chosen: tuple[int, ...] | None
    value: int
    bound: float | None
    optimal: bool


@dataclass(frozen=True)
class _Model:
    values: np.ndarray
    matrix: csr_array
    upper: np.ndarray


def _model(pairs: list[Pair], n_items: int, slots: list[int], capacity: list[int]) -> _Model:
    """Rows: each item at most once; per bin a count limit and an hours limit."""
    n_bins = len(slots)
    items = np.array([p.item for p in pairs])
    bins = np.array([p.bin for p in pairs])
    rows = np.concatenate([items, n_items + bins, n_items + n_bins + bins])
    cols = np.tile(np.arange(len(pairs)), 3)
    data = np.concatenate([np.ones(2 * len(pairs)), [float(p.size) for p in pairs]])
    shape = (n_items + 2 * n_bins, len(pairs))
    matrix = csr_array(coo_array((data, (rows, cols)), shape=shape))
    upper = np.concatenate([np.ones(n_items), slots, capacity]).astype(float)
    return _Model(np.array([float(p.value) for p in pairs]), matrix, upper)


def _relax(model: _Model) -> tuple[float, np.ndarray] | None:
    """Return a valid LP upper bound and the reduced costs of its duals, or None."""
    # HiGHS takes sparse matrices; scipy-stubs only know dense ones.
    result = linprog(  # type: ignore[call-overload]
        -model.values, A_ub=model.matrix, b_ub=model.upper, method="highs"
    )
    if result.status != 0:
        return None
    duals = np.maximum(-result.ineqlin.marginals, 0.0)
    reduced = model.values - model.matrix.T @ duals
    # Weak duality holds for any nonnegative duals, so this bound is safe from LP tolerances.
    return float(duals @ model.upper + np.maximum(reduced, 0.0).sum()), reduced


def _milp(model: _Model, columns: np.ndarray, time_limit: float) -> Solution:
    """Solve the MILP restricted to columns; chosen indices refer to all columns."""
    result = milp(
        -model.values[columns],
        constraints=LinearConstraint(model.matrix[:, columns], -np.inf, model.upper),
        integrality=np.ones(len(columns), dtype=np.int8),
        bounds=Bounds(0, 1),
        options={"time_limit": max(time_limit, 0.01), "mip_rel_gap": 0, "disp": False},
    )
    bound = None if result.mip_dual_bound is None else -float(result.mip_dual_bound)
    if result.x is None:
        return Solution(None, 0, bound, False)
    chosen = tuple(int(columns[k]) for k in np.flatnonzero(result.x > 0.5))
    value = round(float(model.values[list(chosen)].sum()))
    return Solution(chosen, value, bound, result.status == 0)


def solve(
    pairs: list[Pair],
    n_items: int,
    slots: list[int],
    capacity: list[int],
    time_limit: float,
    core_slack: float,
) -> Solution:
    """Maximise the total value of the chosen pairs within every bin's two capacities."""
    if not pairs:
        return Solution((), 0, 0.0, True)
    deadline = time.monotonic() + time_limit
    model = _model(pairs, n_items, slots, capacity)
    relaxed = _relax(model)
    core = None
    if relaxed is not None:
        bound, reduced = relaxed
        inside = reduced >= -core_slack
        if not inside.all():
            core = _milp(model, np.flatnonzero(inside), time_limit * CORE_SHARE)
            outside_best = bound + float(reduced[~inside].max())
            if core.optimal and outside_best < core.value + 0.5:
                return Solution(core.chosen, core.value, float(core.value), True)
    full = _milp(model, np.arange(len(pairs)), deadline - time.monotonic())
    return _combine(full, core, relaxed[0] if relaxed else None)


def _combine(full: Solution, core: Solution | None, lp_bound: float | None) -> Solution:
    """Keep the better incumbent; bound by the tighter bound valid for the whole problem."""
    bounds = [b for b in (full.bound, lp_bound) if b is not None and np.isfinite(b)]
    bound = min(bounds) if bounds else None
    best = full if core is None else _better(full, core)
    if best.chosen is None:
        return Solution(None, 0, bound, False)
    optimal = full.optimal or (bound is not None and bound < best.value + 0.5)
    return Solution(best.chosen, best.value, bound, optimal)


def _better(first: Solution, second: Solution) -> Solution:
    """Return the solution with the higher value; first wins ties and missing ones lose."""
    if second.chosen is not None and (first.chosen is None or second.value > first.value):
        return second
    return first
