"""Who may see and write a referral's logbook and time (until the corps offers its own rule).

The assigned mentor writes; coordinator and admin read every referral; the referral's
caseworker reads it; a confirmed cover substitute (matching) reads and writes it during the
cover period only; anyone else gets `NotFound` (finance is refused by role on the routes).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from service.audit.service import Actor
from service.auth.models import Role
from service.core import clock
from service.core.errors import NotFound
from service.corps.cover import covering
from service.corps.models import Mentor, Referral

READ_ALL = frozenset({Role.coordinator, Role.admin})
NOT_FOUND = "Forløbet findes ikke, eller du har ikke adgang til det."


def mentor_of(session: Session, actor: Actor) -> Mentor | None:
    """Return the mentor profile of the acting user, if any."""
    if actor.id is None:
        return None
    return session.exec(select(Mentor).where(Mentor.user_id == actor.id)).first()


def is_assigned_mentor(session: Session, referral: Referral, actor: Actor) -> bool:
    """True when the actor is the mentor assigned to the referral."""
    if actor.role != Role.mentor or referral.mentor_id is None:
        return False
    mentor = mentor_of(session, actor)
    return mentor is not None and mentor.id == referral.mentor_id


def is_cover_substitute(
    session: Session, referral: Referral, actor: Actor, day: date | None = None
) -> bool:
    """True when the actor is a confirmed substitute for the referral today (and on `day`)."""
    mentor = mentor_of(session, actor) if actor.role == Role.mentor else None
    if mentor is None or referral.id is None:
        return False
    today = clock.today()
    return covering(session, referral.id, mentor.id, today) and (
        day is None or covering(session, referral.id, mentor.id, day)
    )


def can_read(session: Session, referral: Referral, actor: Actor) -> bool:
    """True when the actor may read the referral's logbook and time."""
    if actor.role in READ_ALL:
        return True
    if actor.role == Role.caseworker:
        return referral.caseworker_id == actor.id
    return is_assigned_mentor(session, referral, actor) or is_cover_substitute(
        session, referral, actor
    )


def referral_for_mentor_or_reader(
    session: Session, referral_id: int, actor: Actor, *, write: bool = False
) -> Referral:
    """Return the referral the actor may read (or, with `write`, write as its mentor)."""
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise NotFound(NOT_FOUND)
    if write:
        allowed = is_assigned_mentor(session, referral, actor) or is_cover_substitute(
            session, referral, actor
        )
    else:
        allowed = can_read(session, referral, actor)
    if not allowed:
        raise NotFound(NOT_FOUND)
    return referral
