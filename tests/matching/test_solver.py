"""The generalised assignment solver against brute force, through both of its phases."""

from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import matching.solver as solver
from matching.solver import Pair, solve


@st.composite
def problems(draw):
    """Draw a small GAP: items, bins with count and hours limits, and feasible pairs."""
    n_items, n_bins = draw(st.integers(1, 6)), draw(st.integers(1, 3))
    cells = [(i, j) for i in range(n_items) for j in range(n_bins)]
    used = draw(st.lists(st.sampled_from(cells), min_size=1, unique=True))
    pairs = [Pair(i, j, draw(st.integers(1, 60)), draw(st.integers(1, 5))) for i, j in used]
    slots = draw(st.lists(st.integers(0, 3), min_size=n_bins, max_size=n_bins))
    capacity = draw(st.lists(st.integers(0, 9), min_size=n_bins, max_size=n_bins))
    return pairs, n_items, slots, capacity


def brute_force(pairs, n_items, slots, capacity) -> int:
    """Best total value over every choice of at most one pair per item."""
    options = [[None] + [k for k, p in enumerate(pairs) if p.item == i] for i in range(n_items)]
    best = 0
    for combo in product(*options):
        chosen = [pairs[k] for k in combo if k is not None]
        if fits(chosen, slots, capacity):
            best = max(best, sum(p.value for p in chosen))
    return best


def fits(chosen, slots, capacity) -> bool:
    for j, limit in enumerate(slots):
        mine = [p for p in chosen if p.bin == j]
        if len(mine) > limit or sum(p.size for p in mine) > capacity[j]:
            return False
    return True


class TestSolve:
    @settings(max_examples=150, deadline=None)
    @given(problems(), st.sampled_from([0.0, 5.0, 20.0, 1e9]))
    def test_optimal_through_core_or_full_model(self, problem, slack):
        pairs, n_items, slots, capacity = problem
        solution = solve(pairs, n_items, slots, capacity, 10.0, slack)
        chosen = [pairs[k] for k in solution.chosen]
        assert len({p.item for p in chosen}) == len(chosen)
        assert fits(chosen, slots, capacity)
        assert solution.value == sum(p.value for p in chosen)
        assert solution.value == brute_force(pairs, n_items, slots, capacity)
        assert solution.optimal
        assert solution.bound == pytest.approx(solution.value, abs=0.5) or (
            solution.bound >= solution.value
        )

    def test_core_optimum_is_proven_without_the_full_model(self, monkeypatch):
        # Capacity is ample, so item 1's second pair costs 39 points: out of the core, proven.
        pairs = [Pair(0, 0, 50, 1), Pair(1, 1, 40, 1), Pair(1, 0, 1, 1)]
        calls = []
        original = solver._milp
        monkeypatch.setattr(solver, "_milp", lambda *a: calls.append(len(a[1])) or original(*a))
        solution = solve(pairs, 2, [2, 2], [5, 5], 10.0, 5.0)
        assert (sorted(solution.chosen), solution.optimal) == ([0, 1], True)
        assert calls == [2]

    def test_nothing_to_choose(self):
        solution = solve([], 3, [1], [1], 1.0, 0.0)
        assert (solution.chosen, solution.value, solution.optimal) == ((), 0, True)
