"""Which referrals a user may see, and the reads and lists of them (audited), incl. the inbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from reports.core.danish import local_date
from service.audit.service import Actor, record
from service.auth.models import Role
from service.core.errors import NotFound
from service.core.workdays import working_days_between
from service.corps.citizens import CitizenView, citizen_seen_by
from service.corps.mentors import mentor_of_user
from service.corps.models import Citizen, Mentor, Referral, ReferralEvent, SubGoal


def visible_to(actor: Actor) -> sa.ColumnElement[bool]:
    """The SQL condition on Referral rows the actor may see (a mentor: their own)."""
    if actor.role in (Role.coordinator, Role.admin):
        return sa.true()
    if actor.role == Role.caseworker:
        return col(Referral.caseworker_id) == actor.id
    if actor.role == Role.mentor:
        return col(Referral.mentor_id).in_(select(Mentor.id).where(Mentor.user_id == actor.id))
    return sa.false()


def visible_referral(session: Session, referral_id: int, actor: Actor) -> Referral:
    """Return the referral if the actor may see it, else raise NotFound (no audit row)."""
    if actor.role in (Role.coordinator, Role.admin):
        referral = session.get(Referral, referral_id)
    else:  # the visibility in the same query
        query = select(Referral).where(Referral.id == referral_id, visible_to(actor))
        referral = session.exec(query).first()
    if referral is None:
        raise NotFound("Henvisningen findes ikke.")
    return referral


def _audit_read(session: Session, actor: Actor, referral: Referral, purpose: str) -> None:
    record(
        session,
        actor,
        "read",
        purpose=purpose,
        entity="referral",
        entity_id=referral.id,
        citizen_id=referral.citizen_id,
    )


def read_referral(
    session: Session, referral_id: int, actor: Actor, purpose: str = "casework"
) -> Referral:
    """Return a visible referral and audit the read."""
    referral = visible_referral(session, referral_id, actor)
    _audit_read(session, actor, referral, purpose)
    return referral


def read_referral_with(
    session: Session,
    referral_id: int,
    actor: Actor,
    *extra: sa.ColumnElement,
    purpose: str = "casework",
) -> tuple:
    """A visible referral, its citizen and the `extra` columns in one query; audit the read.

    Returns (referral, citizen, *extra values); NotFound when the actor may not see it.
    """
    query = (
        select(Referral, Citizen, *extra)
        .join(Citizen, col(Citizen.id) == col(Referral.citizen_id))
        .where(Referral.id == referral_id, visible_to(actor))
    )
    row = session.exec(query).first()
    if row is None:
        raise NotFound("Henvisningen findes ikke.")
    _audit_read(session, actor, row[0], purpose)
    return tuple(row)


def list_referrals(
    session: Session, *, actor: Actor, status: str | None = None, purpose: str = "casework"
) -> list[Referral]:
    """The referrals the actor may see (newest first), one audited search row per citizen."""
    query = select(Referral)
    if status:
        query = query.where(Referral.status == status)
    if actor.role == Role.caseworker:
        query = query.where(Referral.caseworker_id == actor.id)
    elif actor.role == Role.mentor:
        mentor = mentor_of_user(session, actor.id)
        query = query.where(Referral.mentor_id == (mentor.id if mentor else -1))
    elif actor.role not in (Role.coordinator, Role.admin):
        return []
    rows = list(session.exec(query.order_by(col(Referral.submitted_at).desc(), col(Referral.id))))
    _audit_listing(session, actor, rows, purpose)
    return rows


def _audit_listing(session: Session, actor: Actor, rows: list[Referral], purpose: str) -> None:
    for citizen_id in sorted({r.citizen_id for r in rows}):
        record(
            session,
            actor,
            "search",
            purpose=purpose,
            entity="referral",
            citizen_id=citizen_id,
        )


def citizens_of(session: Session, referrals: list[Referral]) -> dict[int, Citizen]:
    """The citizens of these referrals by id."""
    ids = {r.citizen_id for r in referrals}
    if not ids:
        return {}
    return {c.id: c for c in session.exec(select(Citizen).where(col(Citizen.id).in_(ids)))}


def citizens_seen(
    session: Session, actor: Actor, referrals: list[Referral]
) -> dict[int, CitizenView]:
    """The citizen of each referral (by referral id) as the actor may see it."""
    citizens = citizens_of(session, referrals)
    return {r.id: citizen_seen_by(actor, r, citizens[r.citizen_id]) for r in referrals}


def sub_goals(session: Session, referral_id: int) -> list[SubGoal]:
    """The referral's sub-goals in order."""
    query = select(SubGoal).where(SubGoal.referral_id == referral_id)
    return list(session.exec(query.order_by(col(SubGoal.position), col(SubGoal.id))))


def events(session: Session, referral_id: int) -> list[ReferralEvent]:
    """The referral's status history, oldest first."""
    query = select(ReferralEvent).where(ReferralEvent.referral_id == referral_id)
    return list(session.exec(query.order_by(col(ReferralEvent.at), col(ReferralEvent.id))))


def last_return_reason(session: Session, referral_id: int) -> str:
    """The reason of the newest return, or ''."""
    query = (
        select(ReferralEvent.reason)
        .where(ReferralEvent.referral_id == referral_id, ReferralEvent.to_status == "returned")
        .order_by(col(ReferralEvent.at).desc(), col(ReferralEvent.id).desc())
    )
    return session.exec(query.limit(1)).first() or ""


@dataclass(frozen=True)
class Waiting:
    referral: Referral
    citizen: Citizen
    age_working_days: int


def inbox(session: Session, *, actor: Actor, today: date) -> list[Waiting]:
    """Submitted or accepted referrals without a mentor, oldest first, with age in working days."""
    query = (
        select(Referral, Citizen)
        .join(Citizen, col(Citizen.id) == col(Referral.citizen_id))
        .where(col(Referral.status).in_(("submitted", "accepted")))
        .where(col(Referral.mentor_id).is_(None))
        .order_by(col(Referral.submitted_at), col(Referral.id))
    )
    rows = []
    for referral, citizen in session.exec(query):
        submitted = local_date(referral.submitted_at)
        rows.append(Waiting(referral, citizen, working_days_between(submitted, today)))
    _audit_listing(session, actor, [w.referral for w in rows], "matching")
    return rows
