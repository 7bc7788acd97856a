"""The LP relaxation by column generation, and a bound that is valid for every pair.

The LP starts from each item's best few pairs and the start assignment, and adds pairs with
a positive reduced cost until there are none. Whatever duals it ends with, Lagrangian
duality gives a bound for the whole problem: with prices a and b on each bin's count and
hours, no assignment is worth more than a·slots + b·capacity + the sum over items of their
best positive reduced value max_j(value - a_j - b_j·size).
"""

import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from matching.subproblem import Instance, matrix, upper

FIRST_PAIRS = 5  # per item, by value, in the first LP
ADD_PAIRS = 8  # per item and round, by reduced cost
ROUNDS = 8
# Stop adding pairs once the bound is this close to the restricted LP: one more round
# (~0.2 s) typically moves the bound by 0.03 % of the objective, worth more than its time.
CLOSE = 1e-4


@dataclass(frozen=True)
class Relaxation:
    """The LP solution by pair, the reduced costs of every pair, the proven bound and the
    bins' prices (count, hours) that prove it."""

    x: np.ndarray
    reduced: np.ndarray
    bound: float
    count_price: np.ndarray
    hour_price: np.ndarray

    def bin_losses(self, inst: Instance, assign: np.ndarray) -> np.ndarray:
        """Split `bound - value(assign)` by bin (the split is exact up to rounding).

        A bin loses its idle count and hours at their prices, plus what its items lose
        against their best pair; an unplaced item's loss is charged to its best bin.
        """
        reduced = _priced(inst, self.count_price, self.hour_price)
        best = np.where(inst.usable, reduced, 0.0).max(axis=1, initial=0.0)
        placed = assign >= 0
        bins = np.where(placed, assign, np.argmax(np.where(inst.usable, reduced, -np.inf), axis=1))
        loss = best.copy()
        loss[placed] -= reduced[np.flatnonzero(placed), assign[placed]]
        m = len(inst.slots)
        count = np.bincount(assign[placed], minlength=m)
        hours = np.bincount(assign[placed], weights=inst.size[placed], minlength=m)
        idle = self.count_price * (inst.slots - count) + self.hour_price * (inst.capacity - hours)
        return idle + np.bincount(bins, weights=loss, minlength=m)


def _priced(inst: Instance, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    priced: np.ndarray = inst.value - a[None, :] - b[None, :] * inst.size[:, None]
    return priced


def lagrangian_bound(inst: Instance, a: np.ndarray, b: np.ndarray) -> float:
    """Return the bound for prices a (count) and b (hours) on every bin; both nonnegative."""
    best = np.where(inst.usable, _priced(inst, a, b), 0.0).max(axis=1, initial=0.0)
    total = float(a @ inst.slots + b @ inst.capacity + best.sum())
    return total + 1e-9 * abs(total) + 1e-6  # room for rounding in floating point


def relax(inst: Instance, start: np.ndarray, deadline: float) -> Relaxation | None:
    """Solve the LP relaxation over growing sets of pairs; None if the LP fails."""
    value = np.where(inst.usable, inst.value, -1)
    order = np.argsort(-value, axis=1, kind="stable")[:, :FIRST_PAIRS]
    columns = np.zeros_like(inst.usable)
    np.put_along_axis(columns, order, True, axis=1)
    placed = np.flatnonzero(start >= 0)
    columns[placed, start[placed]] = True
    columns &= inst.usable
    if not columns.any():
        zero = np.zeros(len(inst.slots))
        bound = lagrangian_bound(inst, zero, zero)
        return Relaxation(np.zeros(columns.shape), inst.value * 1.0, bound, zero, zero)
    best = None
    for _ in range(ROUNDS):
        solved = _lp(inst, columns)
        if solved is None:
            return best
        x, u, a, b, objective = solved
        reduced = _priced(inst, a, b) - u[:, None]
        bound = lagrangian_bound(inst, a, b)
        if best is None or bound < best.bound:
            best = Relaxation(x, reduced, bound, a, b)
        else:
            best = Relaxation(x, reduced, best.bound, best.count_price, best.hour_price)
        entering = inst.usable & ~columns & (reduced > 1e-6 * (1 + np.abs(inst.value)))
        close = best.bound - objective <= CLOSE * abs(objective)
        if close or not entering.any() or time.monotonic() > deadline:
            break
        ranked = np.argsort(-np.where(entering, reduced, -np.inf), axis=1)[:, :ADD_PAIRS]
        added = np.zeros_like(columns)
        np.put_along_axis(added, ranked, True, axis=1)
        columns |= added & entering
    return best


def _lp(
    inst: Instance, columns: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float] | None:
    """Solve the LP over the marked pairs; return x by pair and nonnegative duals."""
    items, bins = np.nonzero(columns)
    shape = columns.shape
    # HiGHS takes sparse matrices; scipy-stubs only know dense ones.
    result = linprog(  # type: ignore[call-overload]
        -inst.value[items, bins].astype(np.float64),
        A_ub=matrix(items, bins, inst.size, shape),
        b_ub=upper(inst, inst.slots, inst.capacity),
        method="highs-ipm",
    )
    if result.status != 0:
        return None
    x = np.zeros(shape)
    x[items, bins] = result.x
    duals = np.maximum(-result.ineqlin.marginals, 0.0)
    n, m = shape
    return x, duals[:n], duals[n : n + m], duals[n + m :], -float(result.fun)
