"""Small builders of database rows for tests (flushed into the test's transaction)."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from service.corps.models import Citizen, Mentor, Referral, SubGoal
from tests.conftest import make_user

_cpr = itertools.count(1)


def make_citizen(db: Session, **fields) -> Citizen:
    n = next(_cpr)
    values = {
        "cpr": f"0101{90 + n % 10:02d}{n:04d}"[-10:],
        "name": f"Borger {n}",
        "district": "Aarhus C",
    }
    citizen = Citizen(**{**values, **fields})
    db.add(citizen)
    db.flush()
    return citizen


def make_mentor(db: Session, user=None, **fields) -> Mentor:
    user = user or make_user(db, "mentor")
    values = {
        "user_id": user.id,
        "gender": "female",
        "birth_year": 1975,
        "languages": ["da"],
        "background_areas": ["social"],
        "target_groups": ["social_anxiety"],
        "roles": ["personal_support", "system_guide"],
        "district": "Aarhus C",
        "weekly_hours": Decimal("25.00"),
        "max_caseload": 12,
        "employment": "full_time",
    }
    mentor = Mentor(**{**values, **fields})
    db.add(mentor)
    db.flush()
    return mentor


def make_referral(
    db: Session,
    caseworker,
    citizen: Citizen | None = None,
    mentor: Mentor | None = None,
    status: str | None = None,
    sub_goals: tuple[str, ...] = ("Møde stabilt 2 dage om ugen",),
    **fields,
) -> Referral:
    citizen = citizen or make_citizen(db)
    values = {
        "citizen_id": citizen.id,
        "caseworker_id": caseworker.id,
        "status": status or ("active" if mentor else "submitted"),
        "job_goal": "Fleksjob i detailhandlen",
        "focus_roles": ["personal_support"],
        "target_groups": ["social_anxiety"],
        "required_languages": ["da"],
        "granted_hours_per_week": Decimal("3.00"),
        "start_date": date(2026, 1, 5),
        "end_date": date(2026, 12, 31),
        "legal_basis": "lab",
        "consent_information_exchange": True,
        "mentor_id": mentor.id if mentor else None,
        # As create_referral keeps it: the caseworker submitted the citizen's record.
        "submitted_citizen": {
            k: getattr(citizen, k) for k in ("name", "phone", "email", "address", "district")
        },
    }
    referral = Referral(**{**values, **fields})
    db.add(referral)
    db.flush()
    for position, title in enumerate(sub_goals):
        db.add(SubGoal(referral_id=referral.id, position=position, title=title))
    db.flush()
    return referral


def make_time_entry(db: Session, referral: Referral, day: date, minutes: int = 60, **fields):
    """A time entry by the referral's mentor (citizen contact unless told)."""
    from logbook.models import TimeEntry

    mentor = db.get_one(Mentor, referral.mentor_id)
    values = {
        "referral_id": referral.id,
        "mentor_id": mentor.id,
        "date": day,
        "minutes": minutes,
        "category": "citizen_contact",
        "created_by": mentor.user_id,
    }
    entry = TimeEntry(**{**values, **fields})
    db.add(entry)
    db.flush()
    return entry


def make_claim(db: Session, user, period_from: date, period_to: date):
    """A refund claim locking period_from..period_to (no workbook)."""
    from reports.models import RefundClaim

    claim = RefundClaim(
        period_from=period_from,
        period_to=period_to,
        created_by=user.id,
        totals={},
        workbook=b"",
        sha256="",
    )
    db.add(claim)
    db.flush()
    return claim
