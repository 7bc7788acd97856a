"""The follow-up jobs: each a plain function of (session, today) → a one-line outcome.

Every notification carries a dedup key naming the job, its subject and the episode or
period (a referral's submission date, its last logbook date, its end date, a month, a
week): a rerun for the same day, or any later day of the same episode, notifies nobody
twice. Working days follow the Danish calendar (`service.core.workdays`).
Schedules are cron fields in Europe/Copenhagen.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from logbook.models import LogbookEntry, TimeEntry
from reports.core.danish import local_date, local_midnight, month_bounds, month_name
from reports.core.money import hours_from_minutes
from service.auth.models import User
from service.core.formatting import tal
from service.core.workdays import working_days_between
from service.corps.models import Mentor, Referral
from service.corps.notices import referral_label
from service.jobs.registry import Job, register
from service.notifications.service import (
    TIME_LINK,
    logbook_link,
    notify,
    referral_link,
    upper_first,
    user_ids_with_role,
)

UNMATCHED_AFTER_WORKING_DAYS = 5
STALE_LOGBOOK_DAYS = 14
ENDING_WITHIN_DAYS = 14
BUDGET_SHARE = Decimal("0.80")


# --- dates -------------------------------------------------------------------------------


def previous_month(today: date) -> tuple[date, date]:
    return month_bounds(today.replace(day=1) - timedelta(days=1))


def working_days_in(first: date, last: date) -> int:
    """Working days from `first` to `last`, both included."""
    return working_days_between(first - timedelta(days=1), last)


def previous_week(today: date) -> tuple[date, date]:
    """Monday and Friday of the calendar week before `today`'s."""
    monday = today - timedelta(days=today.weekday() + 7)
    return monday, monday + timedelta(days=4)


# --- the jobs ------------------------------------------------------------------------------


def unmatched_referrals(session: Session, today: date) -> str:
    """Submitted or accepted referrals without a mentor for > 5 working days → coordinators."""
    rows = session.exec(
        select(Referral).where(
            col(Referral.status).in_(("submitted", "accepted")), col(Referral.mentor_id).is_(None)
        )
    ).all()
    coordinators = user_ids_with_role(session, "coordinator")
    due, created = 0, 0
    for referral in rows:
        since = local_date(referral.submitted_at)
        waited = working_days_between(since, today)
        if waited <= UNMATCHED_AFTER_WORKING_DAYS:
            continue
        due += 1
        label = referral_label(session, referral)
        created += notify(
            session,
            user_ids=coordinators,
            kind="unmatched_referral",
            text=f"{upper_first(label)} har ventet på en mentor i {waited} arbejdsdage.",
            referral_id=referral.id,
            link=referral_link(referral.id),
            dedup_key=f"unmatched_referrals:r{referral.id}:{since.isoformat()}",
        )
    return f"unmatched_referrals: {due} henvisninger uden mentor; {created} notifikationer"


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
    coordinators = user_ids_with_role(session, "coordinator")
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
        what = f"siden {since:%d.%m.%Y}" if last_entry else "endnu"
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


def ending_referrals(session: Session, today: date) -> str:
    """Referrals (not closed) ending within 14 days → their caseworker and coordinators."""
    rows = session.exec(
        select(Referral).where(
            Referral.status != "closed",
            col(Referral.end_date) >= today,
            col(Referral.end_date) <= today + timedelta(days=ENDING_WITHIN_DAYS),
        )
    ).all()
    coordinators = user_ids_with_role(session, "coordinator")
    created = 0
    for referral in rows:
        label = referral_label(session, referral)
        created += notify(
            session,
            user_ids=[referral.caseworker_id, *coordinators],
            kind="ending_referral",
            text=f"{upper_first(label)} slutter {referral.end_date:%d.%m.%Y}.",
            referral_id=referral.id,
            link=referral_link(referral.id),
            dedup_key=f"ending_referrals:r{referral.id}:{referral.end_date.isoformat()}",
        )
    return f"ending_referrals: {len(rows)} henvisninger slutter snart; {created} notifikationer"


def expiring_agreements(session: Session, today: date) -> str:
    """Current mentor agreements ending within 14 days → coordinators and the caseworker.

    The current agreement is the newest of each active or paused referral (a renewal
    supersedes the old one, which then expires quietly). Once per agreement.
    """
    from service.corps.models import MentorAgreement
    from service.corps.notices import agreement_expiring

    newest = (
        select(sa.func.max(MentorAgreement.id))
        .join(Referral, col(Referral.id) == MentorAgreement.referral_id)
        .where(col(Referral.status).in_(("active", "paused")))
        .group_by(col(MentorAgreement.referral_id))
    )
    rows = session.exec(
        select(MentorAgreement, Referral)
        .join(Referral, col(Referral.id) == MentorAgreement.referral_id)
        .where(
            col(MentorAgreement.id).in_(newest),
            col(MentorAgreement.valid_to) >= today,
            col(MentorAgreement.valid_to) <= today + timedelta(days=ENDING_WITHIN_DAYS),
        )
        .order_by(col(MentorAgreement.id))
    ).all()
    created = 0
    for agreement, referral in rows:
        created += agreement_expiring(
            session, referral, agreement.valid_to, agreement_id=agreement.id
        )
    return f"expiring_agreements: {len(rows)} mentoraftaler udløber snart; {created} notifikationer"


def granted_hours_for_month(referral: Referral, month: date) -> Decimal:
    """Granted hours in `month`: hours per week × working weeks of the month in the period.

    Working weeks = the month's Danish working days within the referral's start..end / 5.
    """
    first, last = month_bounds(month)
    first, last = max(first, referral.start_date), min(last, referral.end_date)
    if last < first:
        return Decimal(0)
    days = working_days_in(first, last)
    return (referral.granted_hours_per_week * days / 5).quantize(Decimal("0.01"), ROUND_HALF_UP)


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
        share = int((spent / granted * 100).to_integral_value(ROUND_HALF_UP))
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


def monthly_refund_draft(session: Session, today: date) -> str:
    """Last month's refund report is ready as a draft → finance (a link to the report)."""
    first, last = previous_month(today)
    citizens, minutes = session.exec(
        select(
            sa.func.count(sa.distinct(col(Referral.citizen_id))),
            sa.func.sum(col(TimeEntry.minutes)),
        )
        .select_from(TimeEntry)
        .join(Referral, col(Referral.id) == TimeEntry.referral_id)
        .where(col(TimeEntry.date) >= first, col(TimeEntry.date) <= last)
    ).one()
    created = notify(
        session,
        user_ids=user_ids_with_role(session, "finance"),
        kind="refund_draft",
        text=(
            f"Refusionsopgørelsen for {month_name(first)} er klar som udkast: "
            f"{citizens} borgere, {tal(hours_from_minutes(int(minutes or 0)))} timer."
        ),
        link=f"/refund?from={first.isoformat()}&to={last.isoformat()}",
        dedup_key=f"monthly_refund_draft:{first:%Y-%m}",
    )
    return f"monthly_refund_draft: {month_name(first)}; {created} notifikationer"


def monthly_key_figures(session: Session, today: date) -> str:
    """Last month's key figures → coordinators (a link to the key figures page)."""
    first, last = previous_month(today)
    start, end = local_midnight(first), local_midnight(last + timedelta(days=1))

    def count(*where) -> int:
        return session.exec(select(sa.func.count()).select_from(Referral).where(*where)).one()

    new = count(col(Referral.created_at) >= start, col(Referral.created_at) < end)
    closed = count(col(Referral.closed_at) >= start, col(Referral.closed_at) < end)
    active = count(Referral.status == "active")
    created = notify(
        session,
        user_ids=user_ids_with_role(session, "coordinator"),
        kind="key_figures",
        text=(
            f"Nøgletal for {month_name(first)} er klar: {new} nye henvisninger, "
            f"{closed} afsluttede, {active} aktive nu."
        ),
        link=f"/key-figures?month={first:%Y-%m}",
        dedup_key=f"monthly_key_figures:{first:%Y-%m}",
    )
    return f"monthly_key_figures: {month_name(first)}; {created} notifikationer"


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
                f"Du har ikke registreret tid i uge {week} "
                f"({monday:%d.%m}–{friday:%d.%m.%Y}). Husk at registrere dine timer."
            ),
            link=TIME_LINK,
            dedup_key=f"weekly_time_reminder:m{mentor_id}:{year}-W{week:02d}",
        )
    found = f"{len(rows)} mentorer uden tid i uge {week}"
    return f"weekly_time_reminder: {found}; {created} notifikationer"


def email_digest(session: Session, today: date) -> str:
    """The daily e-mail digest to users who chose it (only when SMTP_HOST is set)."""
    from service.notifications import mail

    return mail.send_digests(session)


WEEKDAYS = {"day_of_week": "mon-fri"}
for _job in (
    Job("unmatched_referrals", unmatched_referrals, {**WEEKDAYS, "hour": 7, "minute": 0},
        "Henvisninger uden mentor i mere end 5 arbejdsdage → koordinatorer"),
    Job("stale_logbooks", stale_logbooks, {**WEEKDAYS, "hour": 7, "minute": 5},
        "Aktive forløb uden logbogsnotat i 14 dage → mentor og koordinatorer"),
    Job("ending_referrals", ending_referrals, {**WEEKDAYS, "hour": 7, "minute": 10},
        "Henvisninger der slutter inden for 14 dage → sagsbehandler og koordinatorer"),
    Job("expiring_agreements", expiring_agreements, {"hour": 7, "minute": 12},
        "Mentoraftaler der udløber inden for 14 dage → koordinatorer og sagsbehandler"),
    Job("hours_budget", hours_budget, {**WEEKDAYS, "hour": 7, "minute": 15},
        "Månedens timeforbrug på 80 % af de bevilgede timer → mentor og sagsbehandler"),
    # The first seven days of the month: a run missed on the 1st still happens (one per month).
    Job("monthly_refund_draft", monthly_refund_draft, {"day": "1-7", "hour": 7, "minute": 20},
        "Sidste måneds refusionsopgørelse klar som udkast → økonomi"),
    Job("monthly_key_figures", monthly_key_figures, {"day": "1-7", "hour": 7, "minute": 25},
        "Sidste måneds nøgletal → koordinatorer"),
    Job("weekly_time_reminder", weekly_time_reminder,
        {"day_of_week": "mon-wed", "hour": 8, "minute": 0},
        "Mentorer uden tidsregistrering i sidste arbejdsuge → mentoren"),
    Job("email_digest", email_digest, {"hour": 16, "minute": 0},
        "Daglig e-mail-oversigt til brugere, der har valgt den (når SMTP er sat op)"),
):  # fmt: skip
    register(_job)
