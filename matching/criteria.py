"""One scoring function per criterion; each returns a Criterion, or None when it gives 0."""

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from matching.labels import BACKGROUND_AREAS, ROLES, TARGET_GROUPS, hours, named
from matching.model import Criterion, MentorProfile, ReferralNeed
from matching.weights import relevant_backgrounds

Scorer = Callable[[ReferralNeed, MentorProfile, int], Criterion | None]

# Explanations are only built for criteria that score: plans score many pairs.


def target_groups(need: ReferralNeed, mentor: MentorProfile, weight: int) -> Criterion | None:
    """Give weight points per target group of the referral the mentor has experience with."""
    common = need.target_groups & mentor.target_groups
    if not (weight and common):
        return None
    text = f"Erfaring med {named(common, TARGET_GROUPS)}"
    return Criterion("target_groups", weight * len(common), text)


def focus_roles(need: ReferralNeed, mentor: MentorProfile, weight: int) -> Criterion | None:
    """Give weight points per focus role of the referral the mentor takes on."""
    common = need.focus_roles & mentor.roles
    if not (weight and common):
        return None
    label = "Rolle" if len(common) == 1 else "Roller"
    return Criterion("focus_roles", weight * len(common), f"{label}: {named(common, ROLES)}")


def background(need: ReferralNeed, mentor: MentorProfile, weight: int) -> Criterion | None:
    """Give weight points per background area relevant to the referral's target groups."""
    common = relevant_backgrounds(need.target_groups) & mentor.background_areas
    if not (weight and common):
        return None
    text = f"Baggrund: {named(common, BACKGROUND_AREAS)}"
    return Criterion("background", weight * len(common), text)


def gender(need: ReferralNeed, mentor: MentorProfile, weight: int) -> Criterion | None:
    """Give weight points when the mentor has the gender the referral prefers."""
    if not weight or need.preferred_gender is None or mentor.gender != need.preferred_gender:
        return None
    return Criterion("gender", weight, "Foretrukket køn")


_KEYS: dict[str, str] = {}


def district_key(district: str | None) -> str | None:
    """Return the district compared without case and extra spaces; None when unknown."""
    if not district:
        return None
    key = _KEYS.get(district)
    if key is None:
        key = " ".join(district.split()).casefold()
        if len(_KEYS) < 10_000:
            _KEYS[district] = key
    return key


def district(need: ReferralNeed, mentor: MentorProfile, weight: int) -> Criterion | None:
    """Give weight points when mentor and citizen are in the same district."""
    key = district_key(need.district)
    if not weight or key is None or key != district_key(mentor.district):
        return None
    return Criterion("district", weight, "Samme distrikt")


def continuity(need: ReferralNeed, mentor: MentorProfile, weight: int) -> Criterion | None:
    """Give weight points when the mentor has been the citizen's mentor before."""
    if not weight or mentor.id not in need.previous_mentor_ids:
        return None
    return Criterion("continuity", weight, "Har været borgerens mentor før")


def free_share(mentor: MentorProfile) -> Decimal:
    """Return the smaller of the free shares of weekly hours and caseload, in 0..1."""
    if mentor.weekly_hours <= 0 or mentor.max_caseload <= 0:
        return Decimal(0)
    hours_share = (mentor.weekly_hours - mentor.hours_in_use) / mentor.weekly_hours
    slots_share = Decimal(mentor.max_caseload - mentor.caseload) / mentor.max_caseload
    return max(Decimal(0), min(Decimal(1), hours_share, slots_share))


def balance(need: ReferralNeed, mentor: MentorProfile, weight: int) -> Criterion | None:
    """Give up to weight points in proportion to the mentor's free capacity now."""
    points = int((weight * free_share(mentor)).to_integral_value(ROUND_HALF_UP))
    if not points:
        return None
    slots = mentor.max_caseload - mentor.caseload
    free = hours(mentor.weekly_hours - mentor.hours_in_use)
    text = f"Ledig kapacitet {free} t/uge og {slots} {'plads' if slots == 1 else 'pladser'}"
    return Criterion("balance", points, text)


SCORERS: dict[str, Scorer] = {
    "target_groups": target_groups,
    "focus_roles": focus_roles,
    "background": background,
    "gender": gender,
    "district": district,
    "continuity": continuity,
    "balance": balance,
}
