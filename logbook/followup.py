"""The logbook's follow-up jobs: logbooks gone quiet, hours near the grant, time not registered.

Each is a function of (session, today) returning a one-line outcome (`service.jobs.registry`
schedules them). Every notification carries a dedup key naming the job, its subject and the
episode (the last logbook date, a month, a week): a rerun notifies nobody twice. Working days
follow the Danish calendar (`service.core.workdays`).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from logbook.models import LogbookEntry, TimeEntry
from reports.core.danish import local_date, long_date, month_bounds, month_name, period
from reports.core.money import half_up, hours_from_minutes
from service.auth.models import Role, User
from service.core.formatting import tal
from service.core.workdays import working_days_in
from service.corps.models import Mentor, Referral
from service.corps.notices import referral_label
from service.notifications.inbox import (
    TIME_LINK,
    logbook_link,
    notify,
    referral_link,
    user_ids_with_role,
)

STALE_LOGBOOK_DAYS = 14
BUDGET_SHARE = Decimal("0.80")


def stale_logbooks(session: Session, today: date) -> str:
    """Active referrals without a logbook entry for 14 days → their mentor and coordinators."""
    last = (
        select(LogbookEntry.referral_id, sa.func.max(LogbookEntry.occurred_on).label("last"))
        .group_by(col(LogbookEntry.referral_id))
        .subquery()
    )
    rows = session.exec(
        select(Referral, last.c.last, Mentor.user_id)
        .outerjoin(last, last.c.referral_id == Referral.id)
        .outerjoin(Mentor, col(Mentor.id) == Referral.mentor_id)
        .where(Referral.status == "active")
    ).all()
    coordinators = user_ids_with_role(session, Role.coordinator)
    cutoff = today - timedelta(days=STALE_LOGBOOK_DAYS)
    due, created = 0, 0
    for referral, last_entry, mentor_user in rows:
        since = last_entry
        if since is None:  # nothing written yet: count from the start or the assignment
            assigned = local_date(referral.assigned_at) if referral.assigned_at else None
            since = max(d for d in (referral.start_date, assigned) if d is not None)
        if since > cutoff:
            continue
        due += 1
        label = referral_label(session, referral)
        what = f"siden {long_date(since)}" if last_entry else "endnu"
        created += notify(
            session,
            user_ids=[mentor_user, *coordinators],
            kind="stale_logbook",
            text=f"Der er ikke skrevet i logbogen for {label} {what}.",
            referral_id=referral.id,
            link=logbook_link(referral.id),
            dedup_key=f"stale_logbooks:r{referral.id}:{since.isoformat()}",
        )
    return f"stale_logbooks: {due} logbøger uden notat i 14 dage; {created} notifikationer"


def granted_hours_for_month(referral: Referral, month: date) -> Decimal:
    """Granted hours in `month`: hours per week × working weeks of the month in the period.

    Working weeks = the month's Danish working days within the referral's start..end / 5.
    """
    first, last = month_bounds(month)
    first, last = max(first, referral.start_date), min(last, referral.end_date)
    if last < first:
        return Decimal(0)
    days = working_days_in(first, last)
    return half_up(referral.granted_hours_per_week * days / 5)


def hours_budget(session: Session, today: date) -> str:
    """Hours used this month ≥ 80 % of the month's granted hours → mentor and caseworker."""
    first, last = month_bounds(today)
    used = (
        select(TimeEntry.referral_id, sa.func.sum(TimeEntry.minutes).label("minutes"))
        .where(col(TimeEntry.date) >= first, col(TimeEntry.date) <= last)
        .group_by(col(TimeEntry.referral_id))
        .subquery()
    )
    rows = session.exec(
        select(Referral, used.c.minutes, Mentor.user_id)
        .join(used, used.c.referral_id == Referral.id)
        .outerjoin(Mentor, col(Mentor.id) == Referral.mentor_id)
        .where(col(Referral.status).in_(("active", "paused")))
    ).all()
    due, created = 0, 0
    for referral, minutes, mentor_user in rows:
        granted = granted_hours_for_month(referral, today)
        spent = hours_from_minutes(int(minutes or 0))
        if granted <= 0 or spent < granted * BUDGET_SHARE:
            continue
        due += 1
        share = int(half_up(spent / granted * 100, 0))
        label = referral_label(session, referral)
        created += notify(
            session,
            user_ids=[mentor_user, referral.caseworker_id],
            kind="hours_budget",
            text=(
                f"På {label} er der brugt {tal(spent)} af {tal(granted)} bevilgede timer "
                f"i {month_name(first)} ({share} %)."
            ),
            referral_id=referral.id,
            link=referral_link(referral.id),
            dedup_key=f"hours_budget:r{referral.id}:{first:%Y-%m}",
        )
    return f"hours_budget: {due} henvisninger over 80 % af timerne; {created} notifikationer"


def previous_week(today: date) -> tuple[date, date]:
    """Monday and Friday of the calendar week before `today`'s."""
    monday = today - timedelta(days=today.weekday() + 7)
    return monday, monday + timedelta(days=4)


def weekly_time_reminder(session: Session, today: date) -> str:
    """A mentor with active referrals who registered no time last working week → the mentor."""
    monday, friday = previous_week(today)
    if working_days_in(monday, friday) == 0:
        return "weekly_time_reminder: ingen arbejdsdage i sidste uge; ingen notifikationer"
    with_citizens = (
        select(Referral.mentor_id)
        .where(
            Referral.status == "active",
            col(Referral.start_date) <= friday,
            col(Referral.end_date) >= monday,
        )
        .distinct()
    )
    registered = select(TimeEntry.mentor_id).where(
        col(TimeEntry.date) >= monday, col(TimeEntry.date) <= friday
    )
    rows = session.exec(
        select(Mentor.id, Mentor.user_id)
        .join(User, col(User.id) == Mentor.user_id)
        .where(
            col(Mentor.active).is_(True),
            col(User.active).is_(True),
            col(Mentor.id).in_(with_citizens),
            col(Mentor.id).not_in(registered),
        )
    ).all()
    year, week, _ = monday.isocalendar()
    created = 0
    for mentor_id, user_id in rows:
        created += notify(
            session,
            user_ids=[user_id],
            kind="time_reminder",
            text=(
                f"Du har ikke registreret tid i uge {week} ({period(monday, friday)}). "
                "Husk at registrere dine timer i Tidsregistrering."
            ),
            link=TIME_LINK,
            dedup_key=f"weekly_time_reminder:m{mentor_id}:{year}-W{week:02d}",
        )
    found = f"{len(rows)} mentorer uden tid i uge {week}"
    return f"weekly_time_reminder: {found}; {created} notifikationer"
