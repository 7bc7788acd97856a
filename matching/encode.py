"""Code sets as bit masks, and mentors as numpy columns, for scoring many pairs at once.

Each kind of code (languages, target groups, ...) has its own append-only vocabulary, so a
set becomes an integer mask and an overlap is a dot product of unpacked bits. Vocabularies
and masks are cached across calls; they only name bits, so results never depend on them.
"""

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter
from typing import Any

import numpy as np

from matching.criteria import district_key
from matching.model import MentorProfile

CACHE_LIMIT = 100_000
TOLERANCE = 1e-9  # relative; closer float comparisons are settled in exact decimals


class Codes:
    """One kind of code: an append-only bit per code and a cache of set masks."""

    def __init__(self) -> None:
        self.bit: dict[str, int] = {}
        self.masks: dict[frozenset[str], int] = {}
        self.lock = threading.Lock()

    def mask(self, codes: frozenset[str]) -> int:
        """Return the mask of a set of codes."""
        found = self.masks.get(codes)
        if found is None:
            with self.lock:
                for code in sorted(codes):
                    self.bit.setdefault(code, len(self.bit))
                if len(self.masks) > CACHE_LIMIT:
                    self.masks.clear()
            found = sum(1 << self.bit[code] for code in codes)
            self.masks[codes] = found
        return found

    def names(self) -> list[str]:
        """Return the codes in bit order."""
        with self.lock:
            return sorted(self.bit, key=self.bit.__getitem__)

    def bits(self, sets: Iterable[frozenset[str]]) -> np.ndarray:
        """Return a 0/1 matrix: one row per set, column k for the code with bit k."""
        sets = list(sets)
        known = self.masks.get
        cached = [known(codes) for codes in sets]
        masks = [self.mask(c) if m is None else m for m, c in zip(cached, sets, strict=True)]
        width = len(self.bit)
        if width < 64:
            packed = np.array(masks, dtype=np.uint64).reshape(len(masks), 1)
        else:
            low = (1 << 64) - 1
            columns = [[(m >> (64 * w)) & low for m in masks] for w in range(width // 64 + 1)]
            packed = np.array(columns, dtype=np.uint64).T.reshape(len(masks), len(columns))
        unpacked = np.unpackbits(packed.astype("<u8").view(np.uint8), axis=1, bitorder="little")
        return unpacked[:, :width].astype(np.float64)


LANGUAGE_CODES = Codes()
GROUP_CODES = Codes()
ROLE_CODES = Codes()
AREA_CODES = Codes()


def widen(matrix: np.ndarray, width: int) -> np.ndarray:
    """Pad a bit matrix with zero columns up to width (codes first seen later)."""
    return np.pad(matrix, ((0, 0), (0, width - matrix.shape[1])))


def labels(values: Sequence[str | None], table: dict[str | None, int]) -> np.ndarray:
    """Number values in first-seen order; None (never equal to anything) is -1."""
    return np.array(
        [-1 if v is None else table.setdefault(v, len(table)) for v in values], dtype=np.int64
    )


@dataclass(frozen=True)
class MentorTable:
    """Mentors in input order as columns of numbers."""

    mentors: tuple[MentorProfile, ...]
    ids: np.ndarray
    blocked: np.ndarray  # inactive or no free caseload
    weekly: np.ndarray
    in_use: np.ndarray
    languages: np.ndarray
    groups: np.ndarray
    roles: np.ndarray
    areas: np.ndarray
    genders: np.ndarray
    districts: np.ndarray
    gender_codes: dict[str | None, int]
    district_codes: dict[str | None, int]
    balance: np.ndarray


def mentor_table(mentors: Iterable[MentorProfile], balance_weight: int) -> MentorTable:
    """Encode mentors once; balance points are per mentor, whatever the referral."""
    rows = tuple(mentors)
    genders: dict[str | None, int] = {}
    districts: dict[str | None, int] = {}
    # Flat lists, one per field: no container per mentor, so no garbage collector passes.
    hours = np.array(
        [[float(m.weekly_hours) for m in rows], [float(m.hours_in_use) for m in rows]]
    ).reshape(2, len(rows))
    top_load = np.array([[m.max_caseload for m in rows], [m.caseload for m in rows]])
    top_load = top_load.reshape(2, len(rows)).astype(np.float64)
    return MentorTable(
        mentors=rows,
        ids=np.array([m.id for m in rows], dtype=np.int64),
        blocked=~np.array([m.active for m in rows], dtype=bool) | (top_load[1] >= top_load[0]),
        weekly=hours[0],
        in_use=hours[1],
        languages=LANGUAGE_CODES.bits([m.languages for m in rows]),
        groups=GROUP_CODES.bits([m.target_groups for m in rows]),
        roles=ROLE_CODES.bits([m.roles for m in rows]),
        areas=AREA_CODES.bits([m.background_areas for m in rows]),
        genders=labels([m.gender for m in rows], genders),
        districts=labels([district_key(m.district) for m in rows], districts),
        gender_codes=genders,
        district_codes=districts,
        balance=_balance(rows, balance_weight, hours, top_load),
    )


def _balance(
    rows: Sequence[MentorProfile],
    weight: int,
    hours: np.ndarray,
    top_load: np.ndarray,
) -> np.ndarray:
    """Balance points per mentor, as `criteria.balance` gives them.

    Rounding is monotone, so the points for the smaller share are the smaller of the points
    for each share. Each is computed in floats, and near a half in exact decimals.
    """
    (weekly, in_use), (top, load) = hours, top_load
    valid = (weekly > 0) & (top > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = ((weekly - in_use) / weekly, (top - load) / top)
    fields = (attrgetter("weekly_hours", "hours_in_use"), attrgetter("max_caseload", "caseload"))
    points = [
        _half_up(np.where(valid, weight * np.clip(share, 0.0, 1.0), 0.0), rows, field, weight)
        for share, field in zip(shares, fields, strict=True)
    ]
    lowest: np.ndarray = np.minimum(*points)
    return lowest.astype(np.int64)


def _half_up(
    raw: np.ndarray, rows: Sequence[MentorProfile], field: "attrgetter[Any]", weight: int
) -> np.ndarray:
    """Round half up; values too close to a half are redone in decimals, as `free_share`."""
    points = np.floor(raw + 0.5)
    unsure = ~(np.abs(raw - np.floor(raw) - 0.5) > TOLERANCE * (1 + np.abs(raw)))
    done: dict[tuple[Any, ...], int] = {}
    for j in np.flatnonzero(unsure):
        key = field(rows[int(j)])
        if key not in done:
            whole, taken = key
            share = max(Decimal(0), min(Decimal(1), Decimal(whole - taken) / whole))
            done[key] = int((weight * share).to_integral_value(ROUND_HALF_UP))
        points[j] = done[key]
    return points
