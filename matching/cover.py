"""Substitutes for an absent mentor's citizens during the absence.

Referrals are covered one by one in id order. Each takes the best mentor who is not the
absent mentor, is present every day of the period, breaks no hard constraint and has free
caseload and hours, counting the substitutes already given in this cover plan. Scores use
the substitute's capacity at that moment, so the balance criterion spreads the load.
"""

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

from matching.engine import CASELOAD_FULL, HOURS_EXCEEDED, hard_violations, is_absent, suggest
from matching.model import CoverSuggestion, MentorProfile, ReferralNeed
from matching.weights import validate_weights

NO_SUBSTITUTE = "Ingen mentor opfylder de faste krav i perioden"
NO_CAPACITY = "Ingen ledig kapacitet hos mulige afløsere"
CAPACITY_REASONS = frozenset({CASELOAD_FULL, HOURS_EXCEEDED})


def cover_plan(
    absent_mentor_id: int,
    period: tuple[date, date],
    needs: Iterable[ReferralNeed],
    mentors: Iterable[MentorProfile],
    weights: Mapping[str, int],
) -> list[CoverSuggestion]:
    """Suggest a substitute for each of the absent mentor's referrals during the period."""
    start, end = period
    if end < start:
        raise ValueError("period ends before it starts")
    valid = validate_weights(weights)
    pool = {
        m.id: m
        for m in sorted(mentors, key=lambda m: m.id)
        if m.id != absent_mentor_id and not is_absent(m, start, end)
    }
    result = []
    for need in sorted(needs, key=lambda n: n.id):
        # The referral started long ago; what matters now is the first day of cover.
        covering = replace(need, start_date=start)
        best = suggest(covering, pool.values(), valid, limit=1)
        if not best:
            result.append(CoverSuggestion(need.id, None, 0, (), _why_none(covering, pool)))
            continue
        chosen = best[0]
        pool[chosen.mentor_id] = _take(pool[chosen.mentor_id], need)
        reason = f"Afløser i perioden {_dato(start)}–{_dato(end)}"
        result.append(
            CoverSuggestion(need.id, chosen.mentor_id, chosen.score, chosen.breakdown, reason)
        )
    return result


def _take(mentor: MentorProfile, need: ReferralNeed) -> MentorProfile:
    """Return the mentor with the referral added to their caseload and hours."""
    return replace(
        mentor,
        caseload=mentor.caseload + 1,
        hours_in_use=mentor.hours_in_use + need.hours_per_week,
    )


def _why_none(need: ReferralNeed, pool: Mapping[int, MentorProfile]) -> str:
    """Tell apart 'nobody qualifies' from 'those who qualify are full'."""
    for mentor in pool.values():
        if set(hard_violations(need, mentor)) <= CAPACITY_REASONS:
            return NO_CAPACITY
    return NO_SUBSTITUTE


def _dato(day: date) -> str:
    return day.strftime("%d.%m.%Y")
