"""Time registration: the rules of the contract, the mentor's week, and hours against granted.

Every create, edit and delete is audited with the values before and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import Session, col, func, select

from logbook.access_rules import NOT_FOUND, is_cover_substitute, mentor_of
from logbook.approval import is_month_approved
from logbook.models import TimeEntry, TrainingExpense
from logbook.vocab import CATEGORIES
from reports.core.danish import month_bounds
from reports.core.money import hours_from_minutes
from reports.models import RefundClaim
from service.audit.service import Actor, record
from service.core import clock
from service.core.clock import utcnow
from service.core.errors import Conflict, Invalid, NotFound, PeriodClaimed
from service.core.formatting import minutter_som_timer
from service.corps.models import Mentor, Referral

PURPOSE = "casework"
MAX_MINUTES = 1440
DAY_MINUTES = 24 * 60
CENT = Decimal("0.01")
WARN_AT = Decimal("0.80")
FULL_AT = Decimal("1.00")
ON_BEHALF = frozenset({"coordinator"})


# --- pure rules --------------------------------------------------------------------------


def overlap_days(a_start: dt.date, a_end: dt.date, b_start: dt.date, b_end: dt.date) -> int:
    """Days (inclusive) the two periods share."""
    start, end = max(a_start, b_start), min(a_end, b_end)
    return max(0, (end - start).days + 1)


def granted_hours(
    weekly: Decimal, start: dt.date, end: dt.date, ref_start: dt.date, ref_end: dt.date
) -> Decimal:
    """Hours granted in start..end: the weekly grant pro rata for the days inside the referral."""
    days = overlap_days(start, end, ref_start, ref_end)
    return (Decimal(weekly) * days / 7).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Usage:
    """Hours used against hours granted, with the warning level (80 % and 100 %)."""

    used: Decimal
    granted: Decimal
    level: str  # "ok" | "warning" (≥ 80 %) | "full" (≥ 100 %)

    @property
    def percent(self) -> int | None:
        if not self.granted:
            return None
        return int((self.used / self.granted * 100).to_integral_value(rounding=ROUND_HALF_UP))

    @property
    def label(self) -> str:
        return {"ok": "", "warning": "80 % brugt", "full": "Bevilling opbrugt"}[self.level]


def usage(used_minutes: int, granted: Decimal) -> Usage:
    """Classify hours used against granted: warning from 80 %, full from 100 %."""
    used = hours_from_minutes(used_minutes)
    granted = Decimal(granted).quantize(CENT)
    if granted <= 0:
        level = "full" if used > 0 else "ok"
    elif used >= granted * FULL_AT:
        level = "full"
    elif used >= granted * WARN_AT:
        level = "warning"
    else:
        level = "ok"
    return Usage(used, granted, level)


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the day's ISO week."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


# --- queries ------------------------------------------------------------------------------


def minutes_used(
    session: Session, referral_ids: Sequence[int], start: dt.date, end: dt.date
) -> dict[int, int]:
    """Minutes registered per referral in start..end (all categories)."""
    if not referral_ids:
        return {}
    rows = session.exec(
        select(TimeEntry.referral_id, func.sum(TimeEntry.minutes))
        .where(
            col(TimeEntry.referral_id).in_(list(referral_ids)),
            TimeEntry.date >= start,
            TimeEntry.date <= end,
        )
        .group_by(col(TimeEntry.referral_id))
    )
    return {rid: int(total or 0) for rid, total in rows}


def hours_used(session: Session, referral_id: int, start: dt.date, end: dt.date) -> Decimal:
    """Hours registered on the referral in start..end, as a two-decimal Decimal."""
    return hours_from_minutes(minutes_used(session, [referral_id], start, end).get(referral_id, 0))


def referral_usage(
    session: Session, referrals: Sequence[Referral], today: dt.date | None = None
) -> dict[int, dict[str, Usage]]:
    """Per referral: {"week": Usage, "month": Usage} for the week and month of today."""
    today = today or clock.today()
    week, month = week_bounds(today), month_bounds(today)
    ids = [r.id for r in referrals]
    used_week = minutes_used(session, ids, *week)
    used_month = minutes_used(session, ids, *month)
    result = {}
    for r in referrals:
        granted_w = granted_hours(r.granted_hours_per_week, *week, r.start_date, r.end_date)
        granted_m = granted_hours(r.granted_hours_per_week, *month, r.start_date, r.end_date)
        result[r.id] = {
            "week": usage(used_week.get(r.id, 0), granted_w),
            "month": usage(used_month.get(r.id, 0), granted_m),
        }
    return result


def claimed_on(session: Session, day: dt.date) -> RefundClaim | None:
    """The refund claim whose period holds the day, if any."""
    return session.exec(
        select(RefundClaim).where(RefundClaim.period_from <= day, RefundClaim.period_to >= day)
    ).first()


def _check_not_claimed(session: Session, day: dt.date) -> None:
    claim = claimed_on(session, day)
    if claim is not None:
        raise PeriodClaimed(
            f"Perioden er afregnet ({claim.period_from.isoformat()} til "
            f"{claim.period_to.isoformat()}); registreringen kan ikke ændres.",
            field="date",
        )


def _check_month_open(session: Session, actor: Actor, mentor_id: int, day: dt.date) -> None:
    if actor.role == "mentor" and is_month_approved(session, mentor_id, day):
        raise Conflict(
            "Måneden er godkendt af koordinatoren og kan ikke ændres. "
            "Bed koordinatoren om at genåbne den."
        )


# Per table: (PostgreSQL, SQLite) statements that take the write lock and change nothing.
_WRITE_LOCKS = {
    "time_entry": (
        "LOCK TABLE time_entry IN ROW EXCLUSIVE MODE",
        "UPDATE time_entry SET id = id WHERE 0",
    ),
    "training_expense": (
        "LOCK TABLE training_expense IN ROW EXCLUSIVE MODE",
        "UPDATE training_expense SET id = id WHERE 0",
    ),
}


def _lock_for_write(session: Session, table: str, mentor_id: int | None = None) -> None:
    """Take the locks a registration needs before its claim check counts.

    PostgreSQL: the mentor's row FOR UPDATE (a mentor's registrations one at a time, so the
    day total holds), then ROW EXCLUSIVE on the table, which waits while a refund claim is
    being made (it holds SHARE on time_entry and training_expense) and makes a claim begun
    later wait for this registration. SQLite: a write that changes nothing takes the
    database's write lock, which a claim being made holds as well.
    A claim check made after this sees every claim committed before it (READ COMMITTED: a
    new statement, a new snapshot), and no claim can commit until this transaction ends.
    """
    postgresql = session.get_bind().dialect.name == "postgresql"
    if postgresql and mentor_id is not None:
        session.execute(select(Mentor.id).where(Mentor.id == mentor_id).with_for_update())
    session.connection().exec_driver_sql(_WRITE_LOCKS[table][0 if postgresql else 1])


def _lock_mentor(session: Session, mentor_id: int) -> None:
    """Serialise a mentor's registrations and order them against refund claims."""
    _lock_for_write(session, "time_entry", mentor_id)


def _check_fields(minutes: int, category: str, day: dt.date, referral: Referral) -> None:
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise Invalid("Minutter skal være et helt tal.", field="minutes")
    if not 1 <= minutes <= MAX_MINUTES:
        raise Invalid("Minutter skal være mellem 1 og 1440.", field="minutes")
    if category not in CATEGORIES:
        raise Invalid("Ukendt kategori.", field="category")
    if day > clock.today():
        raise Invalid("Datoen må ikke ligge i fremtiden.", field="date")
    if not referral.start_date <= day <= referral.end_date:
        raise Invalid(
            f"Datoen ligger uden for forløbets periode ({referral.start_date.isoformat()} "
            f"til {referral.end_date.isoformat()}).",
            field="date",
        )


def _check_day_total(
    session: Session, mentor_id: int, day: dt.date, minutes: int, exclude_id: int | None
) -> None:
    query = select(func.coalesce(func.sum(TimeEntry.minutes), 0)).where(
        TimeEntry.mentor_id == mentor_id, TimeEntry.date == day
    )
    if exclude_id is not None:
        query = query.where(TimeEntry.id != exclude_id)
    total = int(session.exec(query).one())
    if total + minutes > DAY_MINUTES:
        raise Invalid(
            "Mentorens samlede tid for dagen må ikke overstige 24 timer "
            f"(allerede registreret: {minutter_som_timer(total)}).",
            field="minutes",
        )


def snapshot(entry: TimeEntry) -> dict:
    """The entry's values for the audit trail."""
    return {
        "referral_id": entry.referral_id,
        "mentor_id": entry.mentor_id,
        "date": entry.date.isoformat(),
        "minutes": entry.minutes,
        "category": entry.category,
        "note": entry.note,
    }


def _referral_for_time(
    session: Session, actor: Actor, referral_id: int, mentor_id: int | None, day=None
) -> tuple[Referral, int]:
    """The referral and the mentor the time is registered for (404/422 per the contract)."""
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise NotFound(NOT_FOUND)
    if actor.role in ON_BEHALF:
        if referral.mentor_id is None:
            raise Invalid("Forløbet har ingen tildelt mentor.", field="referral_id")
        if mentor_id is not None and mentor_id != referral.mentor_id:
            raise Invalid("Mentoren er ikke tildelt dette forløb.", field="mentor_id")
        return referral, referral.mentor_id
    mentor = mentor_of(session, actor) if actor.role == "mentor" else None
    substitute = day is not None and is_cover_substitute(session, referral, actor, day)
    if mentor is None or (referral.mentor_id != mentor.id and not substitute):
        raise NotFound(NOT_FOUND)
    if mentor_id is not None and mentor_id != mentor.id:
        raise Invalid("Du kan kun registrere din egen tid.", field="mentor_id")
    return referral, mentor.id


def _visible_entry(session: Session, actor: Actor, entry_id: int) -> TimeEntry:
    entry = session.get(TimeEntry, entry_id)
    if entry is None:
        raise NotFound("Registreringen findes ikke.")
    if actor.role in ON_BEHALF:
        return entry
    mentor = mentor_of(session, actor) if actor.role == "mentor" else None
    if mentor is None or entry.mentor_id != mentor.id:
        raise NotFound("Registreringen findes ikke.")
    return entry


# --- services -----------------------------------------------------------------------------


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
    referral, mentor = _referral_for_time(session, actor, referral_id, mentor_id, date)
    _check_fields(minutes, category, date, referral)
    _check_not_claimed(session, date)  # early, before waiting for any lock
    _check_month_open(session, actor, mentor, date)
    _lock_mentor(session, mentor)
    _check_not_claimed(session, date)  # again: a claim may have committed meanwhile
    _check_day_total(session, mentor, date, minutes, None)
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
    entry = _visible_entry(session, actor, entry_id)
    referral = session.get_one(Referral, entry.referral_id)
    before = snapshot(entry)
    new_date = date if date is not None else entry.date
    new_minutes = minutes if minutes is not None else entry.minutes
    new_category = category if category is not None else entry.category
    _check_not_claimed(session, entry.date)
    _check_month_open(session, actor, entry.mentor_id, entry.date)
    _check_fields(new_minutes, new_category, new_date, referral)
    if new_date != entry.date:
        _check_not_claimed(session, new_date)
        _check_month_open(session, actor, entry.mentor_id, new_date)
    _lock_mentor(session, entry.mentor_id)
    _check_not_claimed(session, entry.date)  # again, under the lock
    if new_date != entry.date:
        _check_not_claimed(session, new_date)
    _check_day_total(session, entry.mentor_id, new_date, new_minutes, entry.id)
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


def delete_time_entry(*, session: Session, actor: Actor, entry_id: int) -> None:
    """Delete a registration while its period is open (409 once claimed or approved)."""
    entry = _visible_entry(session, actor, entry_id)
    _check_not_claimed(session, entry.date)
    _check_month_open(session, actor, entry.mentor_id, entry.date)
    _lock_mentor(session, entry.mentor_id)
    _check_not_claimed(session, entry.date)  # again, under the lock
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
        mentor = mentor_of(session, actor) if actor.role == "mentor" else None
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


def create_training_expense(
    *,
    session: Session,
    actor: Actor,
    mentor_id: int,
    date: dt.date,
    description: str,
    amount: Decimal,
) -> TrainingExpense:
    """Register a mentor's training expense (refunded like mentor hours)."""
    if session.get(Mentor, mentor_id) is None:
        raise Invalid("Mentoren findes ikke.", field="mentor_id")
    text = (description or "").strip()
    if not text:
        raise Invalid("Skriv en beskrivelse.", field="description")
    if len(text) > 500:
        raise Invalid("Beskrivelsen må højst være 500 tegn.", field="description")
    if Decimal(amount) <= 0:
        raise Invalid("Beløbet skal være større end 0.", field="amount")
    if date > clock.today():
        raise Invalid("Datoen må ikke ligge i fremtiden.", field="date")
    _check_not_claimed(session, date)
    _lock_for_write(session, "training_expense")
    _check_not_claimed(session, date)  # again, under the lock
    expense = TrainingExpense(
        mentor_id=mentor_id, date=date, description=text, amount=amount, created_by=actor.user_id
    )
    session.add(expense)
    session.flush()
    record(
        session,
        actor,
        "create",
        purpose="refund",
        entity="training_expense",
        entity_id=expense.id,
        detail={"mentor_id": mentor_id, "date": date.isoformat(), "amount": f"{amount:.2f}"},
    )
    session.flush()
    return expense
