"""Month approval: the coordinator approves a mentor's month; approved months are read-only
for the mentor until the coordinator reopens them with a reason (audited)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, func, select

from logbook.models import MonthApproval, TimeEntry
from service.audit.service import Actor, record
from service.core import clock
from service.core.clock import utcnow
from service.core.errors import Conflict, Invalid, NotFound
from service.corps.models import Mentor

PURPOSE = "refund"


def month_start(day: dt.date) -> dt.date:
    """The first day of the day's month."""
    return day.replace(day=1)


def next_month(first: dt.date) -> dt.date:
    return (first.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of every month touching start..end."""
    months, current = [], month_start(start)
    while current <= end:
        months.append(current)
        current = next_month(current)
    return months


def active_approval(session: Session, mentor_id: int, day: dt.date) -> MonthApproval | None:
    """The approval in force for the mentor's month of the day (not reopened), if any."""
    return session.exec(
        select(MonthApproval).where(
            MonthApproval.mentor_id == mentor_id,
            MonthApproval.month == month_start(day),
            col(MonthApproval.reopened_at).is_(None),
        )
    ).first()


def is_month_approved(session: Session, mentor_id: int, day: dt.date) -> bool:
    """True when the mentor's month of the day is approved and not reopened."""
    return active_approval(session, mentor_id, day) is not None


def approve_month(
    *, session: Session, actor: Actor, mentor_id: int, month: dt.date
) -> MonthApproval:
    """Approve a mentor's time registrations for a month (the coordinator)."""
    first = month_start(month)
    if session.get(Mentor, mentor_id) is None:
        raise NotFound("Mentoren findes ikke.")
    if first > month_start(clock.today()):
        raise Invalid("En fremtidig måned kan ikke godkendes.", field="month")
    if active_approval(session, mentor_id, first) is not None:
        raise Conflict("Måneden er allerede godkendt.")
    approval = MonthApproval(mentor_id=mentor_id, month=first, approved_by=actor.user_id)
    session.add(approval)
    session.flush()
    record(
        session,
        actor,
        "transition",
        purpose=PURPOSE,
        entity="month_approval",
        entity_id=approval.id,
        detail={"mentor_id": mentor_id, "month": first.isoformat(), "to": "approved"},
    )
    session.flush()
    return approval


def reopen_month(*, session: Session, actor: Actor, approval_id: int, reason: str) -> MonthApproval:
    """Reopen an approved month with a reason, so the mentor can correct it again."""
    approval = session.get(MonthApproval, approval_id)
    if approval is None:
        raise NotFound("Godkendelsen findes ikke.")
    why = (reason or "").strip()
    if not why:
        raise Invalid("Angiv en begrundelse for genåbningen.", field="reason")
    if approval.reopened_at is not None:
        raise Conflict("Måneden er allerede genåbnet.")
    approval.reopened_at = utcnow()
    approval.reopened_by = actor.id
    approval.reopen_reason = why
    session.add(approval)
    record(
        session,
        actor,
        "transition",
        purpose=PURPOSE,
        entity="month_approval",
        entity_id=approval.id,
        detail={
            "mentor_id": approval.mentor_id,
            "month": approval.month.isoformat(),
            "to": "reopened",
            "reason": why,
        },
    )
    session.flush()
    return approval


def list_approvals(
    session: Session, *, mentor_id: int | None = None, month: dt.date | None = None
) -> list[MonthApproval]:
    """Approvals (current and reopened), newest first."""
    query = select(MonthApproval)
    if mentor_id is not None:
        query = query.where(MonthApproval.mentor_id == mentor_id)
    if month is not None:
        query = query.where(MonthApproval.month == month_start(month))
    return list(
        session.exec(query.order_by(col(MonthApproval.month).desc(), col(MonthApproval.id).desc()))
    )


def unapproved_months(
    session: Session, period_from: dt.date, period_to: dt.date
) -> list[tuple[int, dt.date]]:
    """(mentor_id, month) with time registered in the period but no approval in force.

    For the refund claim page's warning about unapproved months.
    """
    rows = session.exec(
        select(col(TimeEntry.mentor_id), col(TimeEntry.date))
        .where(TimeEntry.date >= period_from, TimeEntry.date <= period_to)
        .distinct()
    )
    wanted = sorted({(mentor_id, month_start(day)) for mentor_id, day in rows})
    approved = {
        (a.mentor_id, a.month)
        for a in session.exec(
            select(MonthApproval).where(
                col(MonthApproval.reopened_at).is_(None),
                MonthApproval.month >= month_start(period_from),
                MonthApproval.month <= period_to,
            )
        )
    }
    return [pair for pair in wanted if pair not in approved]


def month_overview(session: Session, month: dt.date) -> list[dict]:
    """Per mentor with time in the month: minutes and the approval in force (or None)."""
    first = month_start(month)
    last = next_month(first) - dt.timedelta(days=1)
    minutes = dict(
        session.exec(
            select(TimeEntry.mentor_id, func.sum(TimeEntry.minutes))
            .where(TimeEntry.date >= first, TimeEntry.date <= last)
            .group_by(col(TimeEntry.mentor_id))
        ).all()
    )
    approvals: dict[int, MonthApproval] = {}
    for a in list_approvals(session, month=first):  # newest first; the one in force wins
        if a.mentor_id not in approvals or a.reopened_at is None:
            approvals.setdefault(a.mentor_id, a)
            if a.reopened_at is None:
                approvals[a.mentor_id] = a
    mentor_ids = set(minutes) | set(approvals)
    return [
        {
            "mentor_id": mid,
            "minutes": int(minutes.get(mid) or 0),
            "approval": approvals.get(mid),
        }
        for mid in sorted(mentor_ids)
    ]
