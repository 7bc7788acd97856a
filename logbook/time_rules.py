"""The rules of a time registration: its fields, the day's total, whose time, the open month."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, func, select

from logbook.access_rules import NOT_FOUND, is_cover_substitute, mentor_of
from logbook.approval import is_month_approved
from logbook.models import TimeEntry
from logbook.vocab import CATEGORIES
from reports.core.danish import long_date
from reports.core.money import hours_from_minutes
from service.audit.service import Actor
from service.auth.models import Role
from service.core import clock
from service.core.errors import Conflict, Invalid, NotFound
from service.core.formatting import timer_lang
from service.corps.models import Referral

PURPOSE = "casework"
MAX_MINUTES = 1440
DAY_MINUTES = 24 * 60
ON_BEHALF = frozenset({Role.coordinator})


def check_month_open(session: Session, actor: Actor, mentor_id: int, day: dt.date) -> None:
    if actor.role == Role.mentor and is_month_approved(session, mentor_id, day):
        raise Conflict(
            "Måneden er godkendt af koordinatoren og kan ikke ændres. "
            "Bed koordinatoren om at genåbne den."
        )


def check_fields(minutes: int, category: str, day: dt.date, referral: Referral) -> None:
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
            f"Datoen ligger uden for forløbets periode ({long_date(referral.start_date)} "
            f"til {long_date(referral.end_date)}).",
            field="date",
        )


def check_day_total(
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
            f"(allerede registreret: {timer_lang(hours_from_minutes(total))}).",
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


def referral_for_time(
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
    mentor = mentor_of(session, actor) if actor.role == Role.mentor else None
    substitute = day is not None and is_cover_substitute(session, referral, actor, day)
    if mentor is None or (referral.mentor_id != mentor.id and not substitute):
        raise NotFound(NOT_FOUND)
    if mentor_id is not None and mentor_id != mentor.id:
        raise Invalid("Du kan kun registrere din egen tid.", field="mentor_id")
    return referral, mentor.id


def visible_entry(session: Session, actor: Actor, entry_id: int) -> TimeEntry:
    entry = session.get(TimeEntry, entry_id)
    if entry is None:
        raise NotFound("Registreringen findes ikke.")
    if actor.role in ON_BEHALF:
        return entry
    mentor = mentor_of(session, actor) if actor.role == Role.mentor else None
    if mentor is None or entry.mentor_id != mentor.id:
        raise NotFound("Registreringen findes ikke.")
    return entry
