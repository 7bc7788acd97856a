"""Time registration: a mentor's (or a coordinator's on their behalf) hours on a referral.

Every create, edit and delete is audited with the values before and after.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from logbook.access_rules import mentor_of
from logbook.claimed_periods import check_not_claimed, lock_mentor
from logbook.models import TimeEntry
from logbook.time_rules import (
    ON_BEHALF,
    PURPOSE,
    check_day_total,
    check_fields,
    check_month_open,
    referral_for_time,
    snapshot,
    visible_entry,
)
from service.audit.service import Actor, record
from service.auth.models import Role
from service.core.clock import utcnow
from service.corps.models import Referral


def create_time_entry(
    *,
    session: Session,
    actor: Actor,
    referral_id: int,
    date: dt.date,
    minutes: int,
    category: str,
    note: str = "",
    mentor_id: int | None = None,
) -> TimeEntry:
    """Register time on a referral (the assigned mentor, or a coordinator on their behalf)."""
    referral, mentor = referral_for_time(session, actor, referral_id, mentor_id, date)
    check_fields(minutes, category, date, referral)
    check_not_claimed(session, date)  # early, before waiting for any lock
    check_month_open(session, actor, mentor, date)
    lock_mentor(session, mentor)
    check_not_claimed(session, date)  # again: a claim may have committed meanwhile
    check_day_total(session, mentor, date, minutes, None)
    entry = TimeEntry(
        referral_id=referral.id,
        mentor_id=mentor,
        date=date,
        minutes=minutes,
        category=category,
        note=(note or "").strip()[:1000],
        created_by=actor.user_id,
    )
    session.add(entry)
    session.flush()
    record(
        session,
        actor,
        "create",
        purpose=PURPOSE,
        entity="time_entry",
        entity_id=entry.id,
        citizen_id=referral.citizen_id,
        detail={"before": None, "after": snapshot(entry)},
    )
    session.flush()
    return entry


def update_time_entry(
    *,
    session: Session,
    actor: Actor,
    entry_id: int,
    date: dt.date | None = None,
    minutes: int | None = None,
    category: str | None = None,
    note: str | None = None,
) -> TimeEntry:
    """Correct a registration while its period is open (409 once claimed or approved)."""
    entry = visible_entry(session, actor, entry_id)
    referral = session.get_one(Referral, entry.referral_id)
    before = snapshot(entry)
    new_date = date if date is not None else entry.date
    new_minutes = minutes if minutes is not None else entry.minutes
    new_category = category if category is not None else entry.category
    _check_correction(session, actor, entry, referral, new_date, new_minutes, new_category)
    entry.date, entry.minutes, entry.category = new_date, new_minutes, new_category
    if note is not None:
        entry.note = note.strip()[:1000]
    after = snapshot(entry)
    if after != before:
        entry.updated_at = utcnow()
        session.add(entry)
        record(
            session,
            actor,
            "update",
            purpose=PURPOSE,
            entity="time_entry",
            entity_id=entry.id,
            citizen_id=referral.citizen_id,
            detail={"before": before, "after": after},
        )
    session.flush()
    return entry


def _check_correction(
    session: Session,
    actor: Actor,
    entry: TimeEntry,
    referral: Referral,
    new_date: dt.date,
    new_minutes: int,
    new_category: str,
) -> None:
    """Both the old and the new day must be open; the mentor is locked before the last checks."""
    check_not_claimed(session, entry.date)
    check_month_open(session, actor, entry.mentor_id, entry.date)
    check_fields(new_minutes, new_category, new_date, referral)
    if new_date != entry.date:
        check_not_claimed(session, new_date)
        check_month_open(session, actor, entry.mentor_id, new_date)
    lock_mentor(session, entry.mentor_id)
    check_not_claimed(session, entry.date)  # again, under the lock
    if new_date != entry.date:
        check_not_claimed(session, new_date)
    check_day_total(session, entry.mentor_id, new_date, new_minutes, entry.id)


def delete_time_entry(*, session: Session, actor: Actor, entry_id: int) -> None:
    """Delete a registration while its period is open (409 once claimed or approved)."""
    entry = visible_entry(session, actor, entry_id)
    check_not_claimed(session, entry.date)
    check_month_open(session, actor, entry.mentor_id, entry.date)
    lock_mentor(session, entry.mentor_id)
    check_not_claimed(session, entry.date)  # again, under the lock
    referral = session.get(Referral, entry.referral_id)
    record(
        session,
        actor,
        "delete",
        purpose=PURPOSE,
        entity="time_entry",
        entity_id=entry.id,
        citizen_id=referral.citizen_id if referral else None,
        detail={"before": snapshot(entry), "after": None},
    )
    session.delete(entry)
    session.flush()


def list_time_entries(
    *,
    session: Session,
    actor: Actor,
    mentor_id: int | None = None,
    referral_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[TimeEntry]:
    """Registrations matching the filters, by date; a mentor sees only their own."""
    query = select(TimeEntry)
    if actor.role not in ON_BEHALF:
        mentor = mentor_of(session, actor) if actor.role == Role.mentor else None
        if mentor is None or (mentor_id is not None and mentor_id != mentor.id):
            return []
        mentor_id = mentor.id
    if mentor_id is not None:
        query = query.where(TimeEntry.mentor_id == mentor_id)
    if referral_id is not None:
        query = query.where(TimeEntry.referral_id == referral_id)
    if date_from is not None:
        query = query.where(TimeEntry.date >= date_from)
    if date_to is not None:
        query = query.where(TimeEntry.date <= date_to)
    rows = list(session.exec(query.order_by(col(TimeEntry.date), col(TimeEntry.id))))
    citizen_id = None
    if referral_id is not None and (referral := session.get(Referral, referral_id)):
        citizen_id = referral.citizen_id
    record(
        session,
        actor,
        "search",
        purpose=PURPOSE,
        entity="time_entry",
        citizen_id=citizen_id,
        detail={
            "mentor_id": mentor_id,
            "referral_id": referral_id,
            "from": date_from.isoformat() if date_from else None,
            "to": date_to.isoformat() if date_to else None,
            "count": len(rows),
        },
    )
    session.flush()
    return rows
