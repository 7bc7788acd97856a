"""The many-referral matching problem: feasible pairs, their scores and the capacities."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Protocol, TypeVar

import numpy as np

from matching.encode import mentor_table
from matching.model import MentorProfile, ReferralNeed
from matching.vector import pair_matrices

MAX_PLACES = 6


class _HasId(Protocol):
    @property
    def id(self) -> int: ...


_Item = TypeVar("_Item", bound=_HasId)


@dataclass(frozen=True)
class Problem:
    """Needs and mentors sorted by id; feasibility and scores as needs-by-mentors matrices."""

    needs: tuple[ReferralNeed, ...]
    mentors: tuple[MentorProfile, ...]
    feasible: np.ndarray
    score: np.ndarray

    def slots(self) -> list[int]:
        """Return each mentor's free caseload."""
        return [max(m.max_caseload - m.caseload, 0) for m in self.mentors]

    def free_hours(self) -> list[Decimal]:
        """Return each mentor's free weekly hours."""
        return [m.weekly_hours - m.hours_in_use for m in self.mentors]

    def candidates(self, i: int) -> list[tuple[int, int]]:
        """Return need i's feasible (mentor index, score) pairs, best first."""
        columns = np.flatnonzero(self.feasible[i])
        order = np.lexsort((columns, -self.score[i, columns]))
        return [(int(j), int(self.score[i, j])) for j in columns[order]]

    def objective(self, choice: Mapping[int, tuple[int, int]]) -> int:
        """Return the planning objective: scores first, then the number assigned."""
        return (len(self.needs) + 1) * sum(s for _, s in choice.values()) + len(choice)


def _unique_sorted(items: Iterable[_Item], kind: str) -> tuple[_Item, ...]:
    ordered = tuple(sorted(items, key=lambda item: item.id))
    ids = [item.id for item in ordered]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate {kind} ids")
    return ordered


def build(
    needs: Iterable[ReferralNeed], mentors: Iterable[MentorProfile], weights: Mapping[str, int]
) -> Problem:
    """Score every pair against the mentors' current state, all at once."""
    sorted_needs = _unique_sorted(needs, "referral")
    sorted_mentors = _unique_sorted(mentors, "mentor")
    table = mentor_table(sorted_mentors, weights["balance"])
    feasible, score = pair_matrices(sorted_needs, table, weights)
    return Problem(sorted_needs, sorted_mentors, feasible, score)


def fits(problem: Problem, choice: Mapping[int, tuple[int, int]]) -> bool:
    """Check in exact decimals that a choice stays within every mentor's capacity."""
    slots, free = problem.slots(), problem.free_hours()
    for i, (j, _) in choice.items():
        slots[j] -= 1
        free[j] -= problem.needs[i].hours_per_week
    return all(s >= 0 for s in slots) and all(h >= 0 for h in free)


def hour_units(problem: Problem) -> tuple[list[int], list[int], bool]:
    """Return needs' and mentors' free hours as integers on one common decimal scale.

    The flag tells whether the scale is exact; past MAX_PLACES needs are rounded up and
    capacity down, so integer plans never go beyond real capacity.
    """
    values = [n.hours_per_week for n in problem.needs] + problem.free_hours()
    most = max((_places(v) for v in values), default=0)
    scale = Decimal(10) ** min(most, MAX_PLACES)
    sizes = [_units(n.hours_per_week * scale, ROUND_CEILING) for n in problem.needs]
    capacity = [max(_units(h * scale, ROUND_FLOOR), 0) for h in problem.free_hours()]
    return sizes, capacity, most <= MAX_PLACES


def _units(value: Decimal, rounding: str) -> int:
    return int(value.to_integral_value(rounding))


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
