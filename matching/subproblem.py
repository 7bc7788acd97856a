"""The generalised assignment problem as matrices, and its MILP over chosen pairs on HiGHS."""

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array, csr_array


@dataclass(frozen=True)
class Instance:
    """Items into bins with a count and an hours limit; value and usability per pair."""

    value: np.ndarray  # items by bins, integers
    usable: np.ndarray  # items by bins, booleans
    size: np.ndarray  # per item, integer hour units
    slots: np.ndarray  # per bin
    capacity: np.ndarray  # per bin, integer hour units

    def total(self, assign: np.ndarray) -> int:
        """Return the value of an assignment (bin per item, -1 for none)."""
        placed = np.flatnonzero(assign >= 0)
        return int(self.value[placed, assign[placed]].sum())

    def fits(self, assign: np.ndarray) -> bool:
        """Tell whether an assignment uses usable pairs within every bin's limits."""
        placed = np.flatnonzero(assign >= 0)
        bins = assign[placed]
        count = np.bincount(bins, minlength=len(self.slots))
        hours = np.bincount(bins, weights=self.size[placed], minlength=len(self.slots))
        return bool(
            self.usable[placed, bins].all()
            and (count <= self.slots).all()
            and (hours <= self.capacity).all()
        )


@dataclass(frozen=True)
class Result:
    """A MILP's assignment (None if none found), its value, dual bound and optimality."""

    assign: np.ndarray | None
    value: int
    bound: float | None
    optimal: bool


def matrix(
    items: np.ndarray, bins: np.ndarray, size: np.ndarray, shape: tuple[int, int]
) -> csr_array:
    """Rows: each item at most once; per bin its count, then its hours."""
    n_items, n_bins = shape
    k = len(items)
    rows = np.concatenate([items, n_items + bins, n_items + n_bins + bins])
    data = np.concatenate([np.ones(2 * k), size[items].astype(np.float64)])
    cols = np.tile(np.arange(k), 3)
    return csr_array(coo_array((data, (rows, cols)), shape=(n_items + 2 * n_bins, k)))


def upper(inst: Instance, slots: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Right-hand sides for `matrix`."""
    return np.concatenate([np.ones(len(inst.size)), slots, capacity]).astype(np.float64)


def solve_columns(
    inst: Instance,
    columns: np.ndarray,
    slots: np.ndarray,
    capacity: np.ndarray,
    time_limit: float,
) -> Result:
    """Solve the MILP over the pairs marked in columns, within the given limits."""
    items, bins = np.nonzero(columns)
    if not len(items):
        return Result(np.full(len(inst.size), -1), 0, 0.0, True)
    constraint = LinearConstraint(
        matrix(items, bins, inst.size, columns.shape), -np.inf, upper(inst, slots, capacity)
    )
    result = milp(
        -inst.value[items, bins].astype(np.float64),
        constraints=constraint,
        integrality=np.ones(len(items), dtype=np.int8),
        bounds=Bounds(0, 1),
        options={"time_limit": max(time_limit, 0.01), "mip_rel_gap": 0, "disp": False},
    )
    bound = None if result.mip_dual_bound is None else -float(result.mip_dual_bound)
    if result.x is None:
        return Result(None, 0, bound, False)
    pick = result.x > 0.5
    assign = np.full(len(inst.size), -1)
    assign[items[pick]] = bins[pick]
    return Result(assign, inst.total(assign), bound, result.status == 0)
