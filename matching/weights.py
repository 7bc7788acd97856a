"""Scoring criteria, their default weights and the background-fit table.

Weights are points per unit: per matching target group, per matching focus role and per
relevant background area; flat points for gender, district and continuity; and the most
points for balance, given in proportion to the mentor's free capacity.
"""

from collections.abc import Mapping

from vocabulary.corps import MATCHING_CRITERIA

CRITERIA = (
    "target_groups",
    "focus_roles",
    "background",
    "gender",
    "district",
    "continuity",
    "balance",
)

DEFAULT_WEIGHTS: dict[str, int] = {
    "target_groups": 10,
    "focus_roles": 4,
    "background": 3,
    "gender": 5,
    "district": 6,
    "continuity": 8,
    "balance": 5,
}

CRITERION_LABELS = MATCHING_CRITERIA

MAX_WEIGHT = 100

# Which professional backgrounds help with which target group.
BACKGROUND_FIT: dict[str, frozenset[str]] = {
    "social_anxiety": frozenset({"social_psychiatry", "psychiatry"}),
    "adhd": frozenset({"psychiatry", "special_school", "social_psychiatry"}),
    "autism": frozenset({"disability", "special_school"}),
    "cognitive_disability": frozenset({"disability", "special_school"}),
    "pain": frozenset({"health"}),
    "physical_illness": frozenset({"health"}),
    "depression_stress": frozenset({"psychiatry", "social_psychiatry", "health"}),
    "psychosis": frozenset({"psychiatry", "social_psychiatry"}),
    "personality_disorder": frozenset({"psychiatry", "social_psychiatry"}),
    "trauma": frozenset({"psychiatry", "social_psychiatry", "social"}),
    "substance_abuse": frozenset({"substance_abuse", "social", "criminal_justice"}),
    "youth_without_education": frozenset({"education", "special_school", "business"}),
    "language_barriers": frozenset({"social", "education"}),
}


def relevant_backgrounds(target_groups: frozenset[str]) -> frozenset[str]:
    """Return the background areas that fit any of the given target groups."""
    return frozenset().union(*(BACKGROUND_FIT.get(group, frozenset()) for group in target_groups))


def validate_weights(weights: Mapping[str, object]) -> dict[str, int]:
    """Return the defaults overlaid with weights; reject unknown keys and non-ints 0..100."""
    result = dict(DEFAULT_WEIGHTS)
    for key, value in weights.items():
        if key not in DEFAULT_WEIGHTS:
            raise ValueError(f"unknown weight {key!r}")
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"weight {key!r} must be an integer")
        if not 0 <= value <= MAX_WEIGHT:
            raise ValueError(f"weight {key!r} must be between 0 and {MAX_WEIGHT}")
        result[key] = value
    return result
