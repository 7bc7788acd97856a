"""Hard constraints and scores of many referral-mentor pairs at once, as matrices.

The results equal `engine.score_pair` pair by pair: points are small integers summed in
exact floating point, and hour comparisons too close to call in floats are settled in
exact decimals, like the engine's.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

import numpy as np

from matching.criteria import district_key
from matching.encode import (
    AREA_CODES,
    GROUP_CODES,
    LANGUAGE_CODES,
    ROLE_CODES,
    TOLERANCE,
    MentorTable,
    widen,
)
from matching.model import ReferralNeed
from matching.weights import BACKGROUND_FIT


def pair_matrices(
    needs: Sequence[ReferralNeed], table: MentorTable, weights: Mapping[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Return (feasible, score): boolean and integer matrices, needs by mentors."""
    feasible = ~table.blocked[None, :] & ~_absent(needs, table) & _hours_fit(needs, table)
    feasible &= _covers(needs, table) & ~_listed(needs, table, "excluded_mentor_ids")
    score = _points(needs, table, weights)
    score += weights["continuity"] * _listed(needs, table, "previous_mentor_ids")
    score += table.balance[None, :]
    return feasible, score


def _points(
    needs: Sequence[ReferralNeed], table: MentorTable, weights: Mapping[str, int]
) -> np.ndarray:
    """Target groups, roles, background, gender and district in one matrix product."""
    groups = GROUP_CODES.bits(n.target_groups for n in needs)
    fit = AREA_CODES.bits(BACKGROUND_FIT.get(name, frozenset()) for name in GROUP_CODES.names())
    relevant = (groups @ fit[: groups.shape[1]] > 0).astype(np.float64)
    genders = [n.preferred_gender for n in needs]
    districts = [district_key(n.district) for n in needs]
    parts: list[tuple[int, np.ndarray, np.ndarray]] = [
        (weights["target_groups"], groups, table.groups),
        (weights["focus_roles"], ROLE_CODES.bits(n.focus_roles for n in needs), table.roles),
        (weights["background"], relevant, table.areas),
        (weights["gender"], *_one_hot(genders, table.gender_codes, table.genders)),
        (weights["district"], *_one_hot(districts, table.district_codes, table.districts)),
    ]
    left: list[np.ndarray] = []
    right: list[np.ndarray] = []
    for weight, need_bits, mentor_bits in parts:
        width = max(need_bits.shape[1], mentor_bits.shape[1])
        left.append(weight * widen(need_bits, width))
        right.append(widen(mentor_bits, width))
    product: np.ndarray = np.rint(np.hstack(left) @ np.hstack(right).T)
    return product.astype(np.int64).reshape(len(needs), len(table.ids))


def _one_hot(
    values: list[str | None], known: dict[str | None, int], mentor_codes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Indicator matrices of equal values; None and values no mentor has match nothing."""
    codes = np.array([-1 if v is None else known.get(v, -1) for v in values], dtype=np.int64)
    need_side = codes[:, None] == np.arange(len(known))[None, :]
    mentor_side = mentor_codes[:, None] == np.arange(len(known))[None, :]
    return need_side.astype(np.float64), mentor_side.astype(np.float64)


def _covers(needs: Sequence[ReferralNeed], table: MentorTable) -> np.ndarray:
    """Tell whether each mentor speaks every language each referral requires."""
    wanted = LANGUAGE_CODES.bits(n.required_languages for n in needs)
    spoken = widen(table.languages, wanted.shape[1])
    sizes = np.array([len(n.required_languages) for n in needs], dtype=np.float64)
    overlap: np.ndarray = np.rint(wanted @ spoken.T)
    covered: np.ndarray = overlap.reshape(len(needs), len(table.ids)) == sizes[:, None]
    return covered


def _listed(needs: Sequence[ReferralNeed], table: MentorTable, field: str) -> np.ndarray:
    """Tell for each pair whether the mentor's id is in the referral's id set `field`."""
    result = np.zeros((len(needs), len(table.ids)), dtype=bool)
    pairs = [(i, mentor_id) for i, n in enumerate(needs) for mentor_id in getattr(n, field)]
    if not pairs:
        return result
    rows, ids = (np.array(column, dtype=np.int64) for column in zip(*pairs, strict=True))
    order = np.argsort(table.ids, kind="stable")
    ordered = table.ids[order]
    first = np.searchsorted(ordered, ids, "left")
    last = np.searchsorted(ordered, ids, "right")
    for k in np.flatnonzero(last > first):  # more than one only for repeated mentor ids
        result[rows[k], order[first[k] : last[k]]] = True
    return result


def _absent(needs: Sequence[ReferralNeed], table: MentorTable) -> np.ndarray:
    """Tell whether each mentor is absent on each referral's start date."""
    result = np.zeros((len(needs), len(table.ids)), dtype=bool)
    away = [j for j, m in enumerate(table.mentors) if m.absences]
    days: dict[date, list[int]] = {}
    for i, need in enumerate(needs if away else ()):
        days.setdefault(need.start_date, []).append(i)
    for day, rows in days.items():
        hit = [j for j in away if _away(table.mentors[j].absences, day)]
        if hit:
            result[np.ix_(rows, hit)] = True
    return result


def _away(absences: Iterable[tuple[date, date]], day: date) -> bool:
    return any(first <= day and last >= day for first, last in absences)


def _hours_fit(needs: Sequence[ReferralNeed], table: MentorTable) -> np.ndarray:
    """Tell whether hours in use plus the referral's hours stay within weekly hours."""
    distinct: dict[Decimal, int] = {}
    rows = np.array([distinct.setdefault(n.hours_per_week, len(distinct)) for n in needs])
    asked_exact = list(distinct)
    asked = np.array([float(h) for h in asked_exact], dtype=np.float64)[:, None]
    total = table.in_use[None, :] + asked
    limit = table.weekly[None, :]
    fit = total <= limit
    scale = 1 + np.abs(table.in_use)[None, :] + np.abs(asked) + np.abs(limit)
    unsure = ~(np.abs(total - limit) > TOLERANCE * scale)
    for u, j in zip(*np.nonzero(unsure), strict=True):
        mentor = table.mentors[j]
        fit[u, j] = not mentor.hours_in_use + asked_exact[u] > mentor.weekly_hours
    return fit[rows.astype(np.int64)].reshape(len(needs), len(table.ids))
