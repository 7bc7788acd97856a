"""The reports' monthly jobs: last month's refund draft (→ finance), key figures (→ coordinators).

Each is a function of (session, today) returning a one-line outcome (`service.jobs.registry`
schedules them in the first seven days of the month). The dedup key names the month, so a
month is announced once however often the job runs.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from logbook.models import TimeEntry
from reports.core.danish import local_midnight, month_bounds, month_name
from reports.core.money import hours_from_minutes
from service.auth.models import Role
from service.core.formatting import tal
from service.corps.models import Referral
from service.notifications.inbox import (
    key_figures_link,
    notify,
    refund_link,
    user_ids_with_role,
)


def previous_month(today: date) -> tuple[date, date]:
    """First and last day of the month before `today`'s."""
    return month_bounds(today.replace(day=1) - timedelta(days=1))


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
        user_ids=user_ids_with_role(session, Role.finance),
        kind="refund_draft",
        text=(
            f"Refusionsopgørelsen for {month_name(first)} er klar som udkast: "
            f"{citizens} borgere, {tal(hours_from_minutes(int(minutes or 0)))} timer."
        ),
        link=refund_link(first, last),
        dedup_key=f"monthly_refund_draft:{first:%Y-%m}",
    )
    return f"monthly_refund_draft: {month_name(first)}; {created} notifikationer"


def _referrals(session: Session, *where) -> int:
    return session.exec(select(sa.func.count()).select_from(Referral).where(*where)).one()


def monthly_key_figures(session: Session, today: date) -> str:
    """Last month's key figures → coordinators (a link to the key figures page)."""
    first, last = previous_month(today)
    start, end = local_midnight(first), local_midnight(last + timedelta(days=1))
    new = _referrals(session, col(Referral.created_at) >= start, col(Referral.created_at) < end)
    closed = _referrals(session, col(Referral.closed_at) >= start, col(Referral.closed_at) < end)
    active = _referrals(session, Referral.status == "active")
    created = notify(
        session,
        user_ids=user_ids_with_role(session, Role.coordinator),
        kind="key_figures",
        text=(
            f"Nøgletal for {month_name(first)} er klar: {new} nye henvisninger, "
            f"{closed} afsluttede, {active} aktive nu."
        ),
        link=key_figures_link(first),
        dedup_key=f"monthly_key_figures:{first:%Y-%m}",
    )
    return f"monthly_key_figures: {month_name(first)}; {created} notifikationer"
