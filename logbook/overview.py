"""Overviews for the pages: a mentor's caseload (and cover) and the logbooks a reader follows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlmodel import Session, col, func, or_, select

from logbook.access_rules import mentor_of
from logbook.models import LogbookEntry, LogbookShown
from logbook.usage import referral_usage
from logbook.vocab import NEEDS_CASEWORKER
from service.audit.service import Actor, record
from service.auth.models import Role
from service.core import clock
from service.corps.citizens import citizen_seen_by
from service.corps.models import Citizen, CoverAssignment, Referral

OPEN_STATUSES = ("active", "paused")
FLAG_DAYS = 30


def covered_referrals(session: Session, actor: Actor) -> dict[int, date]:
    """Referral id → last day of cover, where the mentor is a confirmed substitute today."""
    mentor = mentor_of(session, actor) if actor.role == Role.mentor else None
    if mentor is None:
        return {}
    today = clock.today()
    query = select(col(CoverAssignment.referral_id), col(CoverAssignment.end)).where(
        CoverAssignment.substitute_mentor_id == mentor.id,
        CoverAssignment.start <= today,
        CoverAssignment.end >= today,
    )
    covered: dict[int, date] = {}
    for referral_id, end in session.exec(query):
        covered[referral_id] = max(end, covered.get(referral_id, end))
    return covered


def visible_referrals(
    session: Session, actor: Actor, covered: Iterable[int] = ()
) -> list[Referral]:
    """Open referrals with a mentor that the actor follows (own caseload, own cases, or all).

    A mentor also follows the referrals in `covered` (confirmed cover for today).
    """
    query = select(Referral).where(
        col(Referral.status).in_(OPEN_STATUSES), col(Referral.mentor_id).is_not(None)
    )
    if actor.role == Role.mentor:
        mentor = mentor_of(session, actor)
        if mentor is None:
            return []
        covered = list(covered)
        mine = Referral.mentor_id == mentor.id
        query = query.where(or_(mine, col(Referral.id).in_(covered)) if covered else mine)
    elif actor.role == Role.caseworker:
        query = query.where(Referral.caseworker_id == actor.id)
    elif actor.role not in (Role.coordinator, Role.admin):
        return []
    return list(session.exec(query.order_by(col(Referral.start_date), col(Referral.id))))


def caseload(session: Session, actor: Actor) -> list[dict]:
    """Rows for the caseload pages: citizen, last entry, unshown entries, flags, hours used."""
    covered = covered_referrals(session, actor)
    referrals = visible_referrals(session, actor, covered)
    ids = [r.id for r in referrals]
    if not ids:
        return []
    citizens = {
        c.id: c
        for c in session.exec(
            select(Citizen).where(col(Citizen.id).in_([r.citizen_id for r in referrals]))
        )
    }
    last = _last_entries(session, ids)
    unshown = _unshown_counts(session, ids)
    flags = _recent_flags(session, ids)
    usage = referral_usage(session, referrals)
    record(
        session,
        actor,
        "search",
        purpose="casework",
        entity="caseload",
        detail={"referrals": len(ids)},
    )
    session.flush()
    mentor = mentor_of(session, actor) if covered else None
    mentor_id = mentor.id if mentor else None
    return [
        {
            "referral": r,
            "citizen": citizen_seen_by(actor, r, citizens[r.citizen_id])
            if r.citizen_id in citizens
            else None,
            "last_entry": last.get(r.id),
            "unshown": int(unshown.get(r.id) or 0),
            "flags": sorted(flags.get(r.id, ())),
            "week": usage[r.id]["week"],
            "month": usage[r.id]["month"],
            "cover_until": covered.get(r.id) if r.mentor_id != mentor_id else None,
        }
        for r in referrals
    ]


def _last_entries(session: Session, ids: list[int]) -> dict[int, date]:
    """The newest logbook day per referral."""
    return dict(
        session.exec(
            select(LogbookEntry.referral_id, func.max(LogbookEntry.occurred_on))
            .where(col(LogbookEntry.referral_id).in_(ids))
            .group_by(col(LogbookEntry.referral_id))
        ).all()
    )


def _unshown_counts(session: Session, ids: list[int]) -> dict[int, int]:
    """Entries per referral not yet shown to the citizen."""
    return dict(
        session.exec(
            select(LogbookEntry.referral_id, func.count(col(LogbookEntry.id)))
            .outerjoin(LogbookShown, col(LogbookShown.entry_id) == col(LogbookEntry.id))
            .where(col(LogbookEntry.referral_id).in_(ids), col(LogbookShown.id).is_(None))
            .group_by(col(LogbookEntry.referral_id))
        ).all()
    )


def _recent_flags(session: Session, ids: list[int]) -> dict[int, set[str]]:
    """Observations of the last FLAG_DAYS that need the caseworker, per referral."""
    since = clock.today() - timedelta(days=FLAG_DAYS)
    flags: dict[int, set[str]] = {}
    for rid, observations in session.exec(
        select(LogbookEntry.referral_id, LogbookEntry.observations).where(
            col(LogbookEntry.referral_id).in_(ids), LogbookEntry.occurred_on >= since
        )
    ):
        flags.setdefault(rid, set()).update(o for o in observations if o in NEEDS_CASEWORKER)
    return flags
