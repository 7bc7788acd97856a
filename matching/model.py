"""Plain, immutable inputs and outputs of the matching engine."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class MentorProfile:
    """A mentor as matching sees them: competences, capacity and absences."""

    id: int
    active: bool
    gender: str | None
    languages: frozenset[str]
    background_areas: frozenset[str]
    target_groups: frozenset[str]
    roles: frozenset[str]
    district: str | None
    weekly_hours: Decimal
    max_caseload: int
    caseload: int = 0
    hours_in_use: Decimal = Decimal(0)
    absences: tuple[tuple[date, date], ...] = ()


@dataclass(frozen=True)
class ReferralNeed:
    """What one referral asks of a mentor."""

    id: int
    citizen_id: int
    start_date: date
    hours_per_week: Decimal
    required_languages: frozenset[str] = frozenset()
    target_groups: frozenset[str] = frozenset()
    focus_roles: frozenset[str] = frozenset()
    preferred_gender: str | None = None
    district: str | None = None
    excluded_mentor_ids: frozenset[int] = frozenset()
    previous_mentor_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Criterion:
    """Points one criterion gave, with a Danish one-line explanation."""

    criterion: str
    points: int
    explanation: str


@dataclass(frozen=True)
class Suggestion:
    """A feasible mentor for a referral; score is the sum of the breakdown's points."""

    mentor_id: int
    score: int
    breakdown: tuple[Criterion, ...]


@dataclass(frozen=True)
class Violation:
    """A mentor who breaks hard constraints, with Danish reasons."""

    mentor_id: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Assignment:
    """One referral given to one mentor in a plan."""

    referral_id: int
    mentor_id: int
    score: int


@dataclass(frozen=True)
class Unassigned:
    """A referral a plan could not place, with a Danish reason."""

    referral_id: int
    reason: str


@dataclass(frozen=True)
class Plan:
    """A proposed assignment of many referrals at once; commits nothing."""

    assignments: tuple[Assignment, ...]
    unassigned: tuple[Unassigned, ...]
    total_score: int
    greedy_total: int
    gap: float | None
    optimal: bool
    solver: str


@dataclass(frozen=True)
class CoverSuggestion:
    """A substitute (or none) for one citizen while their mentor is away."""

    referral_id: int
    substitute_id: int | None
    score: int
    breakdown: tuple[Criterion, ...]
    reason: str
