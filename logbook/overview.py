"""Overviews for the pages: a mentor's caseload and the logbooks a reader may follow."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, func, select

from logbook.access_rules import mentor_of
from logbook.models import LogbookEntry, LogbookShown
from logbook.time import referral_usage
from logbook.vocab import NEEDS_CASEWORKER
from service import clock
from service.audit.service import Actor, record
from service.corps.models import Citizen, Referral

OPEN_STATUSES = ("active", "paused")
FLAG_DAYS = 30


def visible_referrals(session: Session, actor: Actor) -> list[Referral]:
    """Open referrals with a mentor that the actor follows (own caseload, own cases, or all)."""
    query = select(Referral).where(
        col(Referral.status).in_(OPEN_STATUSES), col(Referral.mentor_id).is_not(None)
    )
    if actor.role == "mentor":
        mentor = mentor_of(session, actor)
        if mentor is None:
            return []
        query = query.where(Referral.mentor_id == mentor.id)
    elif actor.role == "caseworker":
        query = query.where(Referral.caseworker_id == actor.id)
    elif actor.role not in ("coordinator", "admin"):
        return []
    return list(session.exec(query.order_by(col(Referral.start_date), col(Referral.id))))


def caseload(session: Session, actor: Actor) -> list[dict]:
    """Rows for the caseload pages: citizen, last entry, unshown entries, flags, hours used."""
    referrals = visible_referrals(session, actor)
    ids = [r.id for r in referrals]
    if not ids:
        return []
    citizens = {
        c.id: c
        for c in session.exec(
            select(Citizen).where(col(Citizen.id).in_([r.citizen_id for r in referrals]))
        )
    }
    last = dict(
        session.exec(
            select(LogbookEntry.referral_id, func.max(LogbookEntry.occurred_on))
            .where(col(LogbookEntry.referral_id).in_(ids))
            .group_by(LogbookEntry.referral_id)
        ).all()
    )
    unshown = dict(
        session.exec(
            select(LogbookEntry.referral_id, func.count(col(LogbookEntry.id)))
            .outerjoin(LogbookShown, col(LogbookShown.entry_id) == col(LogbookEntry.id))
            .where(col(LogbookEntry.referral_id).in_(ids), col(LogbookShown.id).is_(None))
            .group_by(LogbookEntry.referral_id)
        ).all()
    )
    since = clock.today() - timedelta(days=FLAG_DAYS)
    flags: dict[int, set[str]] = {}
    for rid, observations in session.exec(
        select(LogbookEntry.referral_id, LogbookEntry.observations).where(
            col(LogbookEntry.referral_id).in_(ids), LogbookEntry.occurred_on >= since
        )
    ):
        flags.setdefault(rid, set()).update(o for o in observations if o in NEEDS_CASEWORKER)
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
    return [
        {
            "referral": r,
            "citizen": citizens.get(r.citizen_id),
            "last_entry": last.get(r.id),
            "unshown": int(unshown.get(r.id) or 0),
            "flags": sorted(flags.get(r.id, ())),
            "week": usage[r.id]["week"],
            "month": usage[r.id]["month"],
        }
        for r in referrals
    ]
