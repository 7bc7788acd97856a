"""The generalised assignment solver against brute force, on both of its paths."""

from itertools import product

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import matching.solver as solver
from matching.relax import Relaxation, lagrangian_bound
from matching.solver import solve
from matching.subproblem import Instance


@st.composite
def instances(draw):
    """Draw a small GAP: items, bins with count and hours limits, values and usable pairs."""
    n_items, n_bins = draw(st.integers(1, 6)), draw(st.integers(1, 3))
    shape = (n_items, n_bins)
    cells = draw(st.lists(st.booleans(), min_size=n_items * n_bins, max_size=n_items * n_bins))
    values = draw(
        st.lists(st.integers(1, 60), min_size=n_items * n_bins, max_size=n_items * n_bins)
    )
    return Instance(
        value=np.array(values, dtype=np.int64).reshape(shape),
        usable=np.array(cells, dtype=bool).reshape(shape),
        size=np.array(draw(st.lists(st.integers(1, 5), min_size=n_items, max_size=n_items))),
        slots=np.array(draw(st.lists(st.integers(0, 3), min_size=n_bins, max_size=n_bins))),
        capacity=np.array(draw(st.lists(st.integers(0, 9), min_size=n_bins, max_size=n_bins))),
    )


def brute_force(inst: Instance) -> int:
    """Best total value over every assignment, items left out included."""
    options = [[-1, *np.flatnonzero(row)] for row in inst.usable]
    best = 0
    for combo in product(*options):
        assign = np.array(combo, dtype=np.int64)
        if inst.fits(assign):
            best = max(best, inst.total(assign))
    return best


def draw_prices(data, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Nonnegative prices on each bin's count and hours."""
    a = np.array(data.draw(st.lists(st.floats(0, 80), min_size=m, max_size=m)))
    b = np.array(data.draw(st.lists(st.floats(0, 30), min_size=m, max_size=m)))
    return a, b


def nothing(inst: Instance) -> np.ndarray:
    return np.full(len(inst.size), -1)


class TestSolve:
    @settings(max_examples=150, deadline=None)
    @given(instances())
    def test_exact_path_is_optimal(self, inst):
        result = solve(inst, nothing(inst), 10.0)
        assert inst.fits(result.assign)
        assert result.value == inst.total(result.assign) == brute_force(inst)
        assert result.optimal and result.bound >= result.value - 0.5

    @settings(max_examples=150, deadline=None)
    @given(instances())
    def test_search_path_is_feasible_and_its_bound_is_valid(self, inst):
        original = solver.EXACT_PAIRS
        solver.EXACT_PAIRS = -1
        try:
            result = solve(inst, nothing(inst), 10.0, gap=0.0)
        finally:
            solver.EXACT_PAIRS = original
        best = brute_force(inst)
        assert inst.fits(result.assign) and result.value == inst.total(result.assign)
        assert result.bound is None or result.bound >= best - 1e-6
        if result.optimal:
            assert result.value == best

    @settings(max_examples=100, deadline=None)
    @given(instances(), st.data())
    def test_any_prices_give_a_valid_bound(self, inst, data):
        a, b = draw_prices(data, len(inst.slots))
        assert lagrangian_bound(inst, a, b) >= brute_force(inst)

    @settings(max_examples=100, deadline=None)
    @given(instances(), st.data())
    def test_bin_losses_split_the_gap_of_any_assignment(self, inst, data):
        m = len(inst.slots)
        a, b = draw_prices(data, m)
        options = [[-1, *np.flatnonzero(row)] for row in inst.usable]
        assign = np.array([data.draw(st.sampled_from(o)) for o in options], dtype=np.int64)
        bound = lagrangian_bound(inst, a, b)
        lp = Relaxation(np.zeros(inst.value.shape), inst.value * 1.0, bound, a, b)
        losses = lp.bin_losses(inst, assign)
        assert losses.shape == (m,)
        assert abs(losses.sum() - (bound - inst.total(assign))) < 1e-3
        if inst.fits(assign):  # within capacity nothing is lost below zero
            assert (losses >= -1e-9).all()

    def test_start_is_kept_when_nothing_beats_it(self):
        inst = Instance(
            value=np.array([[5]]),
            usable=np.array([[True]]),
            size=np.array([1]),
            slots=np.array([1]),
            capacity=np.array([1]),
        )
        result = solve(inst, np.array([0]), 1.0)
        assert (result.assign.tolist(), result.value, result.optimal) == ([0], 5, True)

    def test_nothing_to_choose(self):
        inst = Instance(
            value=np.zeros((3, 1), dtype=np.int64),
            usable=np.zeros((3, 1), dtype=bool),
            size=np.ones(3, dtype=np.int64),
            slots=np.array([1]),
            capacity=np.array([1]),
        )
        result = solve(inst, nothing(inst), 1.0)
        assert (result.assign.tolist(), result.value, result.optimal) == ([-1, -1, -1], 0, True)
