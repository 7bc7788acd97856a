"""Mentors a citizen must not have (a hard constraint of matching), with the reason."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.audit.service import Actor, record
from service.core.errors import Conflict, Invalid, NotFound
from service.corps.models import Citizen, Mentor, MentorExclusion

MAX_REASON = 5000


def _citizen(session: Session, citizen_id: int) -> Citizen:
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        raise NotFound("Borgeren findes ikke.")
    return citizen


def add_exclusion(
    session: Session, *, actor: Actor, citizen_id: int, mentor_id: int | None, reason: str
) -> MentorExclusion:
    """Record that the citizen must not have this mentor (reason required; once per pair)."""
    citizen = _citizen(session, citizen_id)
    if mentor_id is None:
        raise Invalid("Vælg en mentor.", field="mentor_id")
    if session.get(Mentor, mentor_id) is None:
        raise Invalid("Mentoren findes ikke.", field="mentor_id")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Skriv begrundelsen for udelukkelsen.", field="reason")
    if len(reason) > MAX_REASON:
        raise Invalid(f"Begrundelsen må højst være {MAX_REASON} tegn.", field="reason")
    query = select(MentorExclusion).where(
        MentorExclusion.citizen_id == citizen.id, MentorExclusion.mentor_id == mentor_id
    )
    if session.exec(query).first():
        raise Conflict("Mentoren er allerede udelukket for borgeren.", field="mentor_id")
    row = MentorExclusion(
        citizen_id=citizen.id, mentor_id=mentor_id, reason=reason, created_by=actor.id
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Conflict("Mentoren er allerede udelukket for borgeren.", field="mentor_id") from None
    record(
        session,
        actor,
        "create",
        purpose="matching",
        entity="mentor_exclusion",
        entity_id=row.id,
        citizen_id=citizen.id,
        detail={"mentor_id": mentor_id},
    )
    return row


def list_exclusions(session: Session, *, actor: Actor, citizen_id: int) -> list[MentorExclusion]:
    """The citizen's exclusions, oldest first (the read is audited)."""
    citizen = _citizen(session, citizen_id)
    query = select(MentorExclusion).where(MentorExclusion.citizen_id == citizen.id)
    rows = list(session.exec(query.order_by(col(MentorExclusion.id))))
    record(
        session, actor, "read", purpose="matching", entity="mentor_exclusion", citizen_id=citizen.id
    )
    return rows
