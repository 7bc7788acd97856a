"""A logbook note and the time it took, written from one form: both records or neither.

The note's rules (logbook/entries.py) are checked first, writing nothing; then the time is
registered under its own rules (logbook/time.py, logbook/time_rules.py: fields, claimed
period, approved month, the day's total, under the mentor's lock); only then is the note
written, whose rules cannot fail any more in this transaction. A refusal from either part
therefore leaves nothing flushed, and the request's answer of 400 or more rolls it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import Session

from logbook.entries import EntryView, check_new_entry, create_entry
from logbook.models import TimeEntry
from logbook.time import create_time_entry
from logbook.vocab import KINDS
from service.audit.service import Actor
from service.core.errors import DomainError

# The time registration's fields as the note's form names them (one date for both records).
TIME_FIELDS = {"date": "occurred_on", "minutes": "minutes", "category": "category"}


def create_entry_with_time(
    *,
    session: Session,
    actor: Actor,
    referral_id: int,
    occurred_on: date,
    kind: str,
    text: str,
    sub_goal_ids: Sequence[int] = (),
    observations: Sequence[str] = (),
    progress: int | None = None,
    shown_to_citizen: bool = False,
    minutes: int | None = None,
    category: str | None = None,
) -> tuple[EntryView, TimeEntry | None]:
    """Write a logbook entry and, when minutes are given, its time on the same day."""
    # The note's fields, checked before the time and written after it.
    note: dict[str, Any] = dict(
        session=session,
        actor=actor,
        referral_id=referral_id,
        occurred_on=occurred_on,
        kind=kind,
        text=text,
        sub_goal_ids=sub_goal_ids,
        observations=observations,
        progress=progress,
    )
    if minutes is None:
        return create_entry(**note, shown_to_citizen=shown_to_citizen), None
    check_new_entry(**note)
    try:
        time = create_time_entry(
            session=session,
            actor=actor,
            referral_id=referral_id,
            date=occurred_on,
            minutes=minutes,
            category=category or "",
            note=f"Logbog: {KINDS[kind]}",
        )
    except DomainError as error:
        # The time's refusals stand by the fields of this form; one without a field
        # (an approved month) stands by the minutes.
        error.field = TIME_FIELDS.get(error.field or "", "minutes")
        raise
    return create_entry(**note, shown_to_citizen=shown_to_citizen), time
