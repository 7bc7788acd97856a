"""Citizen access (aktindsigt): everything stored on a citizen, and who read or changed it.

Producing the export is itself audited (purpose `citizen_access`), before the trail is read,
so the export lists its own production.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from logbook.entries import EntryView, entries_of
from logbook.models import TimeEntry
from service.audit.models import AuditEvent
from service.audit.service import Actor, citizen_trail, record
from service.auth.models import User
from service.core.errors import NotFound
from service.corps.models import Citizen, Referral, ReferralEvent, SubGoal

PURPOSE = "citizen_access"


def _json(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


def _row(model, exclude: tuple[str, ...] = ()) -> dict:
    return {k: _json(v) for k, v in model.model_dump().items() if k not in exclude}


def citizen_export(*, session: Session, actor: Actor, citizen_id: int) -> dict:
    """Return the citizen's records (referrals, every logbook version, time, audit trail)."""
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        raise NotFound("Borgeren findes ikke.")
    record(
        session,
        actor,
        "export",
        purpose=PURPOSE,
        entity="citizen",
        entity_id=citizen.id,
        citizen_id=citizen.id,
        detail={"what": "access_export"},
    )
    session.flush()
    referrals = _referrals_of(session, citizen.id)
    ids = [r.id for r in referrals]
    views = entries_of(session, ids)
    trail = citizen_trail(session, citizen.id)
    user_ids = {v.author_id for view in views for v in view.versions}
    user_ids |= {e.user_id for e in trail if e.user_id} | {r.caseworker_id for r in referrals}
    who = _people(session, user_ids)
    return {
        "generated_at": _json(trail[-1].at) if trail else None,
        "generated_by": who(actor.id),
        "citizen": _row(citizen),
        "referrals": _referrals_json(session, referrals),
        "logbook": [_entry_json(view, who) for view in views],
        "time_entries": [_row(t, exclude=("created_by",)) for t in _time_entries(session, ids)],
        "audit_trail": [_event_json(e, who) for e in trail],
    }


Who = Callable[[int | None], dict]


def _people(session: Session, user_ids: set[int]) -> Who:
    """Name and role of each user the export mentions, looked up once."""
    names = {
        u.id: {"name": u.name, "role": u.role}
        for u in session.exec(select(User).where(col(User.id).in_(user_ids or {0})))
    }

    def who(user_id: int | None) -> dict:
        info = names.get(user_id or 0, {"name": "", "role": ""})
        return {"user_id": user_id, "name": info["name"], "role": info["role"]}

    return who


def _referrals_of(session: Session, citizen_id: int) -> list[Referral]:
    return list(
        session.exec(
            select(Referral)
            .where(Referral.citizen_id == citizen_id)
            .order_by(col(Referral.submitted_at), col(Referral.id))
        )
    )


def _referrals_json(session: Session, referrals: list[Referral]) -> list[dict]:
    """Each referral with its sub-goals and status history."""
    ids = [r.id for r in referrals]
    goals = list(
        session.exec(
            select(SubGoal)
            .where(col(SubGoal.referral_id).in_(ids))
            .order_by(col(SubGoal.referral_id), col(SubGoal.position), col(SubGoal.id))
        )
    )
    events = list(
        session.exec(
            select(ReferralEvent)
            .where(col(ReferralEvent.referral_id).in_(ids))
            .order_by(col(ReferralEvent.at), col(ReferralEvent.id))
        )
    )
    return [
        {
            **_row(r),
            "sub_goals": [_row(g) for g in goals if g.referral_id == r.id],
            "events": [_row(e) for e in events if e.referral_id == r.id],
        }
        for r in referrals
    ]


def _time_entries(session: Session, referral_ids: list[int]) -> list[TimeEntry]:
    return list(
        session.exec(
            select(TimeEntry)
            .where(col(TimeEntry.referral_id).in_(referral_ids))
            .order_by(col(TimeEntry.date), col(TimeEntry.id))
        )
    )


def _entry_json(view: EntryView, who: Who) -> dict:
    """A logbook entry as it stands, with every version and whether it was shown."""
    return {
        "id": view.entry.id,
        "referral_id": view.entry.referral_id,
        "occurred_on": view.entry.occurred_on.isoformat(),
        "kind": view.entry.kind,
        "sub_goal_ids": view.entry.sub_goal_ids,
        "observations": view.entry.observations,
        "progress": view.entry.progress,
        "author": who(view.entry.author_id),
        "created_at": _json(view.entry.created_at),
        "shown_to_citizen": view.shown is not None,
        "shown_at": _json(view.shown.at) if view.shown else None,
        "version": view.version,
        "text": view.text,
        "versions": [
            {
                "version": v.version,
                "text": v.text,
                "reason": v.reason,
                "author": who(v.author_id),
                "created_at": _json(v.created_at),
            }
            for v in view.versions
        ],
    }


def _event_json(event: AuditEvent, who: Who) -> dict:
    return {
        "at": _json(event.at),
        "user": who(event.user_id),
        "actor": event.actor,
        "action": event.action,
        "purpose": event.purpose,
        "entity": event.entity,
        "entity_id": event.entity_id,
    }
