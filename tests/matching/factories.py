"""Builders and hypothesis strategies for matching tests."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from matching.model import MentorProfile, ReferralNeed

START = date(2026, 1, 5)


def mentor(id: int = 1, **changes) -> MentorProfile:
    """Build an active mentor with room to spare and no scoring competences."""
    fields = {
        "id": id,
        "active": True,
        "gender": None,
        "languages": frozenset({"da"}),
        "background_areas": frozenset(),
        "target_groups": frozenset(),
        "roles": frozenset(),
        "district": None,
        "weekly_hours": Decimal(20),
        "max_caseload": 10,
    }
    return MentorProfile(**{**fields, **changes})


def need(id: int = 1, **changes) -> ReferralNeed:
    """Build a referral needing 3 hours a week from START with no preferences."""
    fields = {"id": id, "citizen_id": 100 + id, "start_date": START, "hours_per_week": Decimal(3)}
    return ReferralNeed(**{**fields, **changes})


NO_BALANCE = {"balance": 0}

LANGS = st.frozensets(st.sampled_from(["da", "ar", "ku"]), max_size=2)
NEEDED_LANGS = st.sampled_from([frozenset(), frozenset({"da"}), frozenset({"ar"})])
GROUPS = st.frozensets(st.sampled_from(["adhd", "pain", "psychosis", "trauma", "autism"]))
ROLES = st.frozensets(st.sampled_from(["personal_support", "motivation", "system_guide"]))
AREAS = st.frozensets(st.sampled_from(["health", "psychiatry", "disability", "education"]))
GENDERS = st.sampled_from([None, "female", "male"])
DISTRICTS = st.sampled_from([None, "Aarhus C", "Viby J"])
HOURS = st.sampled_from([Decimal(n) / 2 for n in range(1, 11)])


@st.composite
def mentors(draw, mentor_id: int) -> MentorProfile:
    """Draw a mentor with a small capacity so that plans must choose."""
    weekly = draw(st.sampled_from([Decimal(n) for n in range(2, 13)]))
    max_caseload = draw(st.integers(1, 3))
    absent_from = START + timedelta(days=draw(st.integers(-3, 3)))
    absence = ((absent_from, absent_from + timedelta(days=2)),)
    absences = draw(st.sampled_from([(), (), (), absence]))
    return mentor(
        mentor_id,
        active=draw(st.sampled_from([True, True, True, False])),
        gender=draw(GENDERS),
        languages=draw(LANGS) | {"da"},
        background_areas=draw(AREAS),
        target_groups=draw(GROUPS),
        roles=draw(ROLES),
        district=draw(DISTRICTS),
        weekly_hours=weekly,
        max_caseload=max_caseload,
        caseload=draw(st.sampled_from([0, 0, 0, 0, max_caseload - 1, max_caseload])),
        hours_in_use=draw(st.sampled_from([Decimal(0), Decimal(0), Decimal("1.5")])),
        absences=absences,
    )


@st.composite
def needs(draw, need_id: int, mentor_ids: list[int]) -> ReferralNeed:
    """Draw a referral whose exclusions and history point at the drawn mentors."""
    return need(
        need_id,
        hours_per_week=draw(HOURS),
        required_languages=draw(NEEDED_LANGS),
        target_groups=draw(GROUPS),
        focus_roles=draw(ROLES),
        preferred_gender=draw(GENDERS),
        district=draw(DISTRICTS),
        excluded_mentor_ids=draw(st.frozensets(st.sampled_from(mentor_ids), max_size=1)),
        previous_mentor_ids=draw(st.frozensets(st.sampled_from(mentor_ids), max_size=1)),
    )


WEIGHTS = st.fixed_dictionaries(
    {
        "target_groups": st.integers(0, 12),
        "focus_roles": st.integers(0, 6),
        "background": st.integers(0, 5),
        "gender": st.integers(0, 6),
        "district": st.integers(0, 8),
        "continuity": st.integers(0, 10),
        "balance": st.integers(0, 6),
    }
)


@st.composite
def instances(draw, max_needs: int = 7, max_mentors: int = 4):
    """Draw (needs, mentors, weights) with unique ids in random order."""
    mentor_ids = draw(st.lists(st.integers(1, 50), min_size=1, max_size=max_mentors, unique=True))
    need_ids = draw(st.lists(st.integers(1, 500), max_size=max_needs, unique=True))
    drawn_mentors = [draw(mentors(i)) for i in mentor_ids]
    drawn_needs = [draw(needs(i, mentor_ids)) for i in need_ids]
    return drawn_needs, drawn_mentors, draw(WEIGHTS)
