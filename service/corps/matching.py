"""Matching in the service: engine input from the database, suggestions, plans, assignment.

Engine input is built in bulk (a fixed number of queries, whatever the number of mentors or
referrals): the mentors, their load in one aggregate query, the absences in the window, the
citizens' exclusions and their previous mentors.

A mentor's load counts referrals that are `active` or `paused` (a paused course keeps its
mentor). A referral's need starts on its start date, or today when that has passed: what
matters is whether the mentor is there when the course starts with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, func, select

from matching.engine import score_pair, suggest
from matching.model import MentorProfile, Plan, ReferralNeed, Suggestion, Violation
from matching.plan import plan as solve_plan
from service.audit.service import Actor, record
from service.auth.models import User
from service.core import clock
from service.core.clock import utcnow
from service.core.errors import Conflict, IllegalTransition, Invalid
from service.corps.models import (
    Absence,
    Assignment,
    Citizen,
    CoverAssignment,
    Mentor,
    MentorAgreement,
    MentorExclusion,
    Referral,
)
from service.corps.referral_queries import read_referral, visible_referral
from service.corps.referral_workflow import transition
from service.corps.weights import current_weights

OCCUPYING = ("active", "paused")
PLAN_TIME_LIMIT = 10.0
PLAN_REASON = "Tildelt efter den samlede matchningsplan."


# --- engine input ------------------------------------------------------------------------


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
        select(Referral.citizen_id, Assignment.mentor_id)
        .join(Referral, col(Referral.id) == Assignment.referral_id)
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


def mentor_names(session: Session, mentor_ids: Iterable[int]) -> dict[int, str]:
    """Mentors' names (their users' names) by mentor id."""
    ids = sorted(set(mentor_ids))
    if not ids:
        return {}
    query = (
        select(Mentor.id, User.name)
        .join(User, col(User.id) == Mentor.user_id)
        .where(col(Mentor.id).in_(ids))
    )
    return dict(session.exec(query).all())


def user_names(session: Session, user_ids: Iterable[int]) -> dict[int, str]:
    """Users' names by user id."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    return dict(session.exec(select(User.id, User.name).where(col(User.id).in_(ids))).all())


# --- suggestions and the plan ------------------------------------------------------------


def suggestions(
    session: Session, *, actor: Actor, referral_id: int, limit: int = 5, today: date | None = None
) -> list[Suggestion]:
    """The best feasible mentors for one referral, best first (the read is audited)."""
    referral = read_referral(session, referral_id, actor, purpose="matching")
    return suggestions_for(session, referral, limit=limit, today=today)


def suggestions_for(
    session: Session, referral: Referral, *, limit: int = 5, today: date | None = None
) -> list[Suggestion]:
    """Suggestions for a referral already read (and audited) by the caller."""
    (need,) = referral_needs(session, [referral], today)
    mentors = mentor_profiles(session, window=(need.start_date, need.start_date))
    return suggest(need, mentors, current_weights(session), limit)


def plannable(session: Session, referral_ids: Sequence[int] | None) -> list[Referral]:
    """The referrals to plan: the ids given (all must be accepted) or every accepted one."""
    query = select(Referral).where(Referral.status == "accepted")
    if referral_ids is None:
        return list(session.exec(query.order_by(col(Referral.id))))
    ids = list(dict.fromkeys(referral_ids))
    rows = {r.id: r for r in session.exec(select(Referral).where(col(Referral.id).in_(ids)))}
    unknown = [i for i in ids if i not in rows]
    if unknown:
        listed = ", ".join(map(str, unknown))
        raise Invalid(f"Henvisningerne findes ikke: {listed}.", field="referral_ids")
    waiting = [i for i in ids if rows[i].status != "accepted"]
    if waiting:
        listed = ", ".join(map(str, waiting))
        raise Invalid(
            f"Kun godkendte henvisninger uden mentor kan planlægges (ikke {listed}).",
            field="referral_ids",
        )
    return [rows[i] for i in sorted(ids)]


def plan_referrals(
    session: Session,
    *,
    actor: Actor,
    referral_ids: Sequence[int] | None = None,
    today: date | None = None,
    time_limit: float = PLAN_TIME_LIMIT,
) -> tuple[Plan, list[Referral]]:
    """Propose mentors for many referrals at once; commits nothing (one audit row a citizen)."""
    referrals = plannable(session, referral_ids)
    for citizen_id in sorted({r.citizen_id for r in referrals}):
        record(
            session, actor, "search", purpose="matching", entity="referral", citizen_id=citizen_id
        )
    if not referrals:
        return Plan((), (), 0, 0, 0.0, True, "none"), []
    needs = referral_needs(session, referrals, today)
    window = (min(n.start_date for n in needs), max(n.start_date for n in needs))
    mentors = mentor_profiles(session, window=window)
    return solve_plan(needs, mentors, current_weights(session), time_limit), referrals


# --- assignment ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Assigned:
    referral: Referral
    assignment: Assignment
    agreement: MentorAgreement


def assign(
    session: Session,
    *,
    actor: Actor,
    referral_id: int,
    mentor_id: int,
    reason: str = "",
    today: date | None = None,
) -> Assigned:
    """Give an accepted referral its mentor: active, agreement made, notified, audited."""
    from service.corps.agreements import agreement_path, create_for_assignment
    from service.notifications.events import mentor_assigned

    today = today or clock.today()
    # Lock the referral and the mentor (PostgreSQL) so two assignments cannot overfill.
    session.get(Referral, referral_id, with_for_update=True, populate_existing=True)
    referral = visible_referral(session, referral_id, actor)
    if referral.status != "accepted":
        raise IllegalTransition("Kun en godkendt henvisning uden mentor kan få tildelt en mentor.")
    mentor = session.get(Mentor, mentor_id, with_for_update=True, populate_existing=True)
    if mentor is None:
        raise Invalid("Mentoren findes ikke.", field="mentor_id")
    if referral.end_date < today:
        raise Conflict("Forløbets slutdato er passeret; ret perioden før en mentor tildeles.")
    (need,) = referral_needs(session, [referral], today)
    profiles = mentor_profiles(session, window=(need.start_date, need.start_date))
    weights = current_weights(session)
    chosen = score_pair(need, next(p for p in profiles if p.id == mentor.id), weights)
    if isinstance(chosen, Violation):
        raise Conflict(
            "Mentoren kan ikke tildeles: " + "; ".join(chosen.reasons) + ".", field="mentor_id"
        )
    top = next(iter(suggest(need, profiles, weights, limit=1)), None)
    reason = (reason or "").strip()
    if top is not None and top.mentor_id != mentor.id and not reason:
        raise Invalid(
            "Skriv hvorfor du vælger en anden mentor end det øverste forslag.", field="reason"
        )
    referral.mentor_id = mentor.id
    referral.assigned_at = utcnow()
    transition(session, referral=referral, to_status="active", actor=actor, reason=reason)
    row = Assignment(
        referral_id=referral.id,
        mentor_id=mentor.id,
        by=actor.id,
        score=chosen.score,
        top_mentor_id=top.mentor_id if top else None,
        top_score=top.score if top else None,
        reason=reason,
    )
    session.add(row)
    session.flush()
    agreement = create_for_assignment(
        session, actor=actor, referral=referral, mentor=mentor, today=today
    )
    mentor_assigned(session, referral, agreement_url=agreement_path(agreement.id))
    record(
        session,
        actor,
        "create",
        purpose="matching",
        entity="assignment",
        entity_id=row.id,
        citizen_id=referral.citizen_id,
        detail={
            "mentor_id": mentor.id,
            "score": chosen.score,
            "top_mentor_id": row.top_mentor_id,
            "top_score": row.top_score,
            "reason": reason,
            "agreement_id": agreement.id,
        },
    )
    return Assigned(referral, row, agreement)


def assignments_of(session: Session, referral_id: int) -> list[Assignment]:
    """The referral's assignment history, oldest first."""
    query = select(Assignment).where(Assignment.referral_id == referral_id)
    return list(session.exec(query.order_by(col(Assignment.at), col(Assignment.id))))
