"""The many-referral matching problem: feasible pairs, their scores and the capacities."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from matching.engine import score_pair
from matching.model import MentorProfile, ReferralNeed, Suggestion

MAX_PLACES = 6


@dataclass(frozen=True)
class Problem:
    """Needs and mentors sorted by id; per need its feasible (mentor index, score) pairs."""

    needs: tuple[ReferralNeed, ...]
    mentors: tuple[MentorProfile, ...]
    candidates: tuple[tuple[tuple[int, int], ...], ...]

    def slots(self) -> list[int]:
        """Return each mentor's free caseload."""
        return [max(m.max_caseload - m.caseload, 0) for m in self.mentors]

    def free_hours(self) -> list[Decimal]:
        """Return each mentor's free weekly hours."""
        return [m.weekly_hours - m.hours_in_use for m in self.mentors]

    def objective(self, choice: Mapping[int, tuple[int, int]]) -> int:
        """Return the planning objective: scores first, then the number assigned."""
        return (len(self.needs) + 1) * sum(s for _, s in choice.values()) + len(choice)


def _unique_sorted(items: Iterable, kind: str) -> tuple:
    ordered = tuple(sorted(items, key=lambda item: item.id))
    ids = [item.id for item in ordered]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate {kind} ids")
    return ordered


def build(
    needs: Iterable[ReferralNeed], mentors: Iterable[MentorProfile], weights: Mapping[str, int]
) -> Problem:
    """Score every pair against the mentors' current state; keep only feasible pairs."""
    sorted_needs = _unique_sorted(needs, "referral")
    sorted_mentors = _unique_sorted(mentors, "mentor")
    candidates = []
    for need in sorted_needs:
        found = ((j, score_pair(need, m, weights)) for j, m in enumerate(sorted_mentors))
        candidates.append(tuple((j, s.score) for j, s in found if isinstance(s, Suggestion)))
    return Problem(sorted_needs, sorted_mentors, tuple(candidates))


def fits(problem: Problem, choice: Mapping[int, tuple[int, int]]) -> bool:
    """Check in exact decimals that a choice stays within every mentor's capacity."""
    slots, free = problem.slots(), problem.free_hours()
    for i, (j, _) in choice.items():
        slots[j] -= 1
        free[j] -= problem.needs[i].hours_per_week
    return all(s >= 0 for s in slots) and all(h >= 0 for h in free)


def hour_units(problem: Problem) -> tuple[list[int], list[int]]:
    """Return needs' and mentors' free hours as integers on one common decimal scale."""
    values = [n.hours_per_week for n in problem.needs] + problem.free_hours()
    places = min(max((_places(v) for v in values), default=0), MAX_PLACES)
    scale = Decimal(10) ** places
    # Past MAX_PLACES, round needs up and capacity down: never beyond real capacity.
    sizes = [_units(n.hours_per_week * scale, ROUND_CEILING) for n in problem.needs]
    capacity = [max(_units(h * scale, ROUND_FLOOR), 0) for h in problem.free_hours()]
    return sizes, capacity


def _units(value: Decimal, rounding: str) -> int:
    return int(value.to_integral_value(rounding))


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
