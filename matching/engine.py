"""Hard constraints, scoring and ranking of mentors for one referral.

A breakdown lists only the criteria that gave points: criteria worth 0 are omitted, so
every line the coordinator sees is a reason for the match, and the score is their sum.
"""

from collections.abc import Iterable, Mapping
from datetime import date

import numpy as np

from matching.criteria import SCORERS
from matching.encode import mentor_table
from matching.labels import LANGUAGES, named
from matching.model import Criterion, MentorProfile, ReferralNeed, Suggestion, Violation
from matching.vector import pair_matrices
from matching.weights import CRITERIA, validate_weights

INACTIVE = "Mentoren er inaktiv"
ABSENT = "Fravær på startdatoen"
CASELOAD_FULL = "Maksimalt antal borgere er nået"
HOURS_EXCEEDED = "Ugentlige timer vil blive overskredet"
EXCLUDED = "Borgeren må ikke have denne mentor"


def is_absent(mentor: MentorProfile, start: date, end: date) -> bool:
    """Tell whether any of the mentor's absences touches a day in start..end."""
    return any(first <= end and last >= start for first, last in mentor.absences)


def hard_violations(need: ReferralNeed, mentor: MentorProfile) -> tuple[str, ...]:
    """Return the Danish reasons the mentor cannot take the referral; empty when they can."""
    reasons = []
    if not mentor.active:
        reasons.append(INACTIVE)
    if is_absent(mentor, need.start_date, need.start_date):
        reasons.append(ABSENT)
    if mentor.caseload >= mentor.max_caseload:
        reasons.append(CASELOAD_FULL)
    if mentor.hours_in_use + need.hours_per_week > mentor.weekly_hours:
        reasons.append(HOURS_EXCEEDED)
    missing = need.required_languages - mentor.languages
    if missing:
        reasons.append(f"Taler ikke: {named(missing, LANGUAGES)}")
    if mentor.id in need.excluded_mentor_ids:
        reasons.append(EXCLUDED)
    return tuple(reasons)


def breakdown(
    need: ReferralNeed, mentor: MentorProfile, weights: Mapping[str, int]
) -> tuple[Criterion, ...]:
    """Return the criteria that give points, in CRITERIA order; weights must be complete."""
    found = (SCORERS[key](need, mentor, weights[key]) for key in CRITERIA)
    return tuple(criterion for criterion in found if criterion is not None)


def score_pair(
    need: ReferralNeed, mentor: MentorProfile, weights: Mapping[str, int]
) -> Suggestion | Violation:
    """Evaluate with already validated weights."""
    reasons = hard_violations(need, mentor)
    if reasons:
        return Violation(mentor.id, reasons)
    parts = breakdown(need, mentor, weights)
    return Suggestion(mentor.id, sum(part.points for part in parts), parts)


def evaluate(
    need: ReferralNeed, mentor: MentorProfile, weights: Mapping[str, int]
) -> Suggestion | Violation:
    """Score the mentor for the referral, or say which hard constraints they break."""
    return score_pair(need, mentor, validate_weights(weights))


def rank(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """Order suggestions best first; equal scores go to the lower mentor id."""
    return sorted(suggestions, key=lambda s: (-s.score, s.mentor_id))


def suggest(
    need: ReferralNeed,
    mentors: Iterable[MentorProfile],
    weights: Mapping[str, int],
    limit: int = 5,
) -> list[Suggestion]:
    """Return up to limit feasible mentors for the referral, best first."""
    valid = validate_weights(weights)
    table = mentor_table(mentors, valid["balance"])
    if limit <= 0 or not table.mentors:
        return []
    feasible, score = pair_matrices([need], table, valid)
    rows = np.flatnonzero(feasible[0])
    order = np.lexsort((rows, table.ids[rows], -score[0, rows]))
    # Only the returned mentors get their breakdown built, by the same rules as evaluate.
    found = [score_pair(need, table.mentors[j], valid) for j in rows[order[:limit]]]
    return [s for s in found if isinstance(s, Suggestion)]
