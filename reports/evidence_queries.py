"""The evidence of delivery by aggregate SQL: refundable contact days against logbook notes.

A day of citizen contact is backed when the referral has a logbook note that day, and shown
when one of those notes was shown to the citizen.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from logbook.models import LogbookEntry, LogbookShown
from reports.core.evidence import ContactDay, Evidence, evidence_from_minutes
from reports.core.refund import RefundRule
from reports.queries import in_period, ref, te


def contact_days(session: Session, start: date, end: date, rule: RefundRule) -> list[ContactDay]:
    """Refundable citizen-contact minutes per citizen, referral and day, with the notes' state.

    The detailed form (one row per day) for tests and small periods; reports use `evidence`.
    """
    if "citizen_contact" not in rule.refundable:
        return []
    days, notes = _contact_days(start, end), _note_days(start, end)
    query = sa.select(
        ref.c.citizen_id,
        days.c.date,
        days.c.minutes,
        notes.c.referral_id.is_not(None).label("has_entry"),
        sa.func.coalesce(notes.c.shown, 0).label("has_shown"),
    ).select_from(_days_with_notes(days, notes))
    return [
        ContactDay(
            row.citizen_id, row.date, int(row.minutes), bool(row.has_entry), bool(row.has_shown)
        )
        for row in session.execute(query)
    ]


def _contact_days(start: date, end: date) -> sa.Subquery:
    """Citizen-contact minutes per referral and day in the period."""
    return (
        sa.select(te.c.referral_id, te.c.date, sa.func.sum(te.c.minutes).label("minutes"))
        .where(in_period(start, end), te.c.category == "citizen_contact")
        .group_by(te.c.referral_id, te.c.date)
        .subquery("contact_day")
    )


def _note_days(start: date, end: date) -> sa.Subquery:
    """Each referral's days with a logbook note in the period; shown = 1 if one was shown."""
    le = sa.inspect(LogbookEntry).local_table
    shown = sa.inspect(LogbookShown).local_table
    return (
        sa.select(
            le.c.referral_id,
            le.c.occurred_on,
            sa.func.max(sa.case((shown.c.id.is_not(None), 1), else_=0)).label("shown"),
        )
        .select_from(le.outerjoin(shown, shown.c.entry_id == le.c.id))
        .where(le.c.occurred_on >= start, le.c.occurred_on <= end)
        .group_by(le.c.referral_id, le.c.occurred_on)
        .subquery("note_day")
    )


def _days_with_notes(days: sa.Subquery, notes: sa.Subquery):
    """Contact days → referral, left-joined once to the notes of the same referral and day."""
    return days.join(ref, ref.c.id == days.c.referral_id).outerjoin(
        notes,
        sa.and_(notes.c.referral_id == days.c.referral_id, notes.c.occurred_on == days.c.date),
    )


def evidence(session: Session, start: date, end: date, rule: RefundRule) -> dict[int, Evidence]:
    """Evidence of delivery per citizen, summed by the database (one row per citizen).

    Logbook note days are aggregated once per referral and day and joined to the contact
    days (rather than two EXISTS subqueries per contact day).
    """
    if "citizen_contact" not in rule.refundable:
        return {}
    days, notes = _contact_days(start, end), _note_days(start, end)
    backed = sa.case((notes.c.referral_id.is_not(None), days.c.minutes), else_=0)
    shown = sa.case((notes.c.shown == 1, days.c.minutes), else_=0)
    query = (
        sa.select(
            ref.c.citizen_id,
            sa.func.sum(days.c.minutes).label("contact"),
            sa.func.sum(backed).label("backed"),
            sa.func.sum(shown).label("shown"),
        )
        .select_from(_days_with_notes(days, notes))
        .group_by(ref.c.citizen_id)
    )
    return {
        row.citizen_id: evidence_from_minutes(row.citizen_id, row.contact, row.backed, row.shown)
        for row in session.execute(query)
    }
