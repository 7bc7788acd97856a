"""What the matching engine sees, built from the database in bulk.

A fixed number of queries, whatever the number of mentors or referrals: the mentors, their
load in one aggregate query, the absences in the window, the citizens' exclusions and their
previous mentors.

A mentor's load counts referrals that are `active` or `paused` (a paused course keeps its
mentor). A referral's need starts on its start date, or today when that has passed: what
matters is whether the mentor is there when the course starts with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, func, select

from matching.model import MentorProfile, ReferralNeed
from service.core import clock
from service.corps.models import (
    Absence,
    AssignmentRecord,
    Citizen,
    CoverAssignment,
    Mentor,
    MentorExclusion,
    Referral,
)

OCCUPYING = ("active", "paused")


def _loads(session: Session) -> dict[int, tuple[int, Decimal]]:
    """Number of referrals and granted hours per week by mentor (one aggregate query)."""
    query = (
        select(
            Referral.mentor_id,
            func.count(col(Referral.id)),
            func.sum(Referral.granted_hours_per_week),
        )
        .where(col(Referral.status).in_(OCCUPYING), col(Referral.mentor_id).is_not(None))
        .group_by(col(Referral.mentor_id))
    )
    # The query leaves out referrals without a mentor.
    return {m: (int(n), Decimal(h or 0)) for m, n, h in session.exec(query) if m is not None}


def _cover_loads(
    session: Session, window: tuple[date, date], exclude_absence_id: int | None
) -> dict[int, tuple[int, Decimal]]:
    """Referrals and hours substitutes have taken on by confirmed cover in the window."""
    start, end = window
    query = (
        select(
            CoverAssignment.substitute_mentor_id,
            func.count(col(CoverAssignment.id)),
            func.sum(Referral.granted_hours_per_week),
        )
        .join(Referral, col(Referral.id) == CoverAssignment.referral_id)
        .where(CoverAssignment.start <= end, CoverAssignment.end >= start)
        .group_by(col(CoverAssignment.substitute_mentor_id))
    )
    if exclude_absence_id is not None:
        query = query.where(CoverAssignment.absence_id != exclude_absence_id)
    return {m: (int(n), Decimal(h or 0)) for m, n, h in session.exec(query)}


def mentor_profiles(
    session: Session,
    *,
    window: tuple[date, date],
    cover_window: bool = False,
    exclude_absence_id: int | None = None,
) -> list[MentorProfile]:
    """Every mentor as the engine sees them, with absences overlapping the window.

    With `cover_window`, confirmed cover in the window counts as load too (except the cover
    of `exclude_absence_id`, which is being planned again).
    """
    start, end = window
    loads = _loads(session)
    extra = _cover_loads(session, window, exclude_absence_id) if cover_window else {}
    away: dict[int, list[tuple[date, date]]] = {}
    query = select(Absence).where(Absence.start <= end, Absence.end >= start)
    for absence in session.exec(query.order_by(col(Absence.start), col(Absence.id))):
        away.setdefault(absence.mentor_id, []).append((absence.start, absence.end))
    profiles = []
    for mentor in session.exec(select(Mentor).order_by(col(Mentor.id))):
        count, hours = loads.get(mentor.id, (0, Decimal(0)))
        more_count, more_hours = extra.get(mentor.id, (0, Decimal(0)))
        profiles.append(
            MentorProfile(
                id=mentor.id,
                active=mentor.active,
                gender=mentor.gender,
                languages=frozenset(mentor.languages),
                background_areas=frozenset(mentor.background_areas),
                target_groups=frozenset(mentor.target_groups),
                roles=frozenset(mentor.roles),
                district=mentor.district or None,
                weekly_hours=mentor.weekly_hours,
                max_caseload=mentor.max_caseload,
                caseload=count + more_count,
                hours_in_use=hours + more_hours,
                absences=tuple(away.get(mentor.id, ())),
            )
        )
    return profiles


def previous_mentors(session: Session, citizen_ids: Iterable[int]) -> dict[int, set[int]]:
    """Mentors each citizen has had, on any referral (assignment history and current)."""
    ids = sorted(set(citizen_ids))
    found: dict[int, set[int]] = {c: set() for c in ids}
    if not ids:
        return found
    history = (
        select(Referral.citizen_id, AssignmentRecord.mentor_id)
        .join(Referral, col(Referral.id) == AssignmentRecord.referral_id)
        .where(col(Referral.citizen_id).in_(ids))
    )
    current = select(Referral.citizen_id, Referral.mentor_id).where(
        col(Referral.citizen_id).in_(ids), col(Referral.mentor_id).is_not(None)
    )
    for query in (history, current):
        for citizen_id, mentor_id in session.exec(query):
            if mentor_id is not None:  # `current` leaves them out already
                found[citizen_id].add(mentor_id)
    return found


def exclusions_of(session: Session, citizen_ids: Iterable[int]) -> dict[int, set[int]]:
    """Mentors each citizen must not have."""
    ids = sorted(set(citizen_ids))
    found: dict[int, set[int]] = {c: set() for c in ids}
    if not ids:
        return found
    query = select(MentorExclusion.citizen_id, MentorExclusion.mentor_id).where(
        col(MentorExclusion.citizen_id).in_(ids)
    )
    for citizen_id, mentor_id in session.exec(query):
        found[citizen_id].add(mentor_id)
    return found


def referral_needs(
    session: Session, referrals: Sequence[Referral], today: date | None = None
) -> list[ReferralNeed]:
    """The referrals as the engine sees them, in the order given (four queries in all)."""
    today = today or clock.today()
    citizen_ids = {r.citizen_id for r in referrals}
    districts = {}
    if citizen_ids:
        query = select(Citizen.id, Citizen.district).where(col(Citizen.id).in_(citizen_ids))
        districts = dict(session.exec(query).all())
    excluded = exclusions_of(session, citizen_ids)
    before = previous_mentors(session, citizen_ids)
    return [
        ReferralNeed(
            id=r.id,
            citizen_id=r.citizen_id,
            start_date=max(r.start_date, today),
            hours_per_week=r.granted_hours_per_week,
            required_languages=frozenset(r.required_languages),
            target_groups=frozenset(r.target_groups),
            focus_roles=frozenset(r.focus_roles),
            preferred_gender=r.preferred_mentor_gender,
            district=districts.get(r.citizen_id) or None,
            excluded_mentor_ids=frozenset(excluded.get(r.citizen_id, ())),
            previous_mentor_ids=frozenset(before.get(r.citizen_id, ())),
        )
        for r in referrals
    ]
