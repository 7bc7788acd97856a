"""Matching in the service: suggestions, the plan for many referrals, and assignment.

What the engine sees is built in `matching_input`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from matching.engine import score_pair, suggest
from matching.model import Plan, Suggestion, Violation
from matching.plan import plan as solve_plan
from service.audit.service import Actor, record
from service.auth.models import User
from service.core import clock
from service.core.clock import utcnow
from service.core.errors import Conflict, IllegalTransition, Invalid
from service.corps.agreements import agreement_path, create_for_assignment
from service.corps.matching_input import mentor_profiles, referral_needs
from service.corps.models import AssignmentRecord, Mentor, MentorAgreement, Referral
from service.corps.notices import mentor_assigned
from service.corps.referral_queries import read_referral, visible_referral
from service.corps.referral_workflow import transition
from service.corps.weights import current_weights

PLAN_TIME_LIMIT = 10.0
PLAN_REASON = "Tildelt efter den samlede matchningsplan."


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
    assignment: AssignmentRecord
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
    today = today or clock.today()
    referral, mentor = _lock_assignable(session, actor, referral_id, mentor_id, today)
    chosen, top = _score_choice(session, referral, mentor, today)
    reason = (reason or "").strip()
    if top is not None and top.mentor_id != mentor.id and not reason:
        raise Invalid(
            "Skriv hvorfor du vælger en anden mentor end det øverste forslag.", field="reason"
        )
    referral.mentor_id = mentor.id
    referral.assigned_at = utcnow()
    transition(session, referral=referral, to_status="active", actor=actor, reason=reason)
    row = AssignmentRecord(
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
    _audit_assignment(session, actor, referral, row, agreement.id)
    return Assigned(referral, row, agreement)


def _lock_assignable(
    session: Session, actor: Actor, referral_id: int, mentor_id: int, today: date
) -> tuple[Referral, Mentor]:
    """The referral and the mentor, locked (PostgreSQL) so two assignments cannot overfill."""
    session.get(Referral, referral_id, with_for_update=True, populate_existing=True)
    referral = visible_referral(session, referral_id, actor)
    if referral.status != "accepted":
        raise IllegalTransition("Kun en godkendt henvisning uden mentor kan få tildelt en mentor.")
    mentor = session.get(Mentor, mentor_id, with_for_update=True, populate_existing=True)
    if mentor is None:
        raise Invalid("Mentoren findes ikke.", field="mentor_id")
    if referral.end_date < today:
        raise Conflict("Forløbets slutdato er passeret; ret perioden før en mentor tildeles.")
    return referral, mentor


def _score_choice(
    session: Session, referral: Referral, mentor: Mentor, today: date
) -> tuple[Suggestion, Suggestion | None]:
    """The chosen mentor's score (409 when the engine rules them out) and the top suggestion."""
    (need,) = referral_needs(session, [referral], today)
    profiles = mentor_profiles(session, window=(need.start_date, need.start_date))
    weights = current_weights(session)
    chosen = score_pair(need, next(p for p in profiles if p.id == mentor.id), weights)
    if isinstance(chosen, Violation):
        raise Conflict(
            "Mentoren kan ikke tildeles: " + "; ".join(chosen.reasons) + ".", field="mentor_id"
        )
    top = next(iter(suggest(need, profiles, weights, limit=1)), None)
    return chosen, top


def _audit_assignment(
    session: Session, actor: Actor, referral: Referral, row: AssignmentRecord, agreement_id: int
) -> None:
    record(
        session,
        actor,
        "create",
        purpose="matching",
        entity="assignment",
        entity_id=row.id,
        citizen_id=referral.citizen_id,
        detail={
            "mentor_id": row.mentor_id,
            "score": row.score,
            "top_mentor_id": row.top_mentor_id,
            "top_score": row.top_score,
            "reason": row.reason,
            "agreement_id": agreement_id,
        },
    )


def assignments_of(session: Session, referral_id: int) -> list[AssignmentRecord]:
    """The referral's assignment history, oldest first."""
    query = select(AssignmentRecord).where(AssignmentRecord.referral_id == referral_id)
    return list(session.exec(query.order_by(col(AssignmentRecord.at), col(AssignmentRecord.id))))
