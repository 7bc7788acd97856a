"""The queries behind the monthly key figures: small facts for `reports.core.keyfigures`."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import overload

import sqlalchemy as sa
from sqlmodel import Session, col

from logbook.models import LogbookEntry, TimeEntry
from reports import evidence_queries, queries
from reports.core.danish import TIMEZONE, month_bounds
from reports.core.delivery_figures import ProgressMark
from reports.core.keyfigures import KeyFigures, build_key_figures
from reports.core.keyfigures_workbook import write_key_figures_workbook
from reports.core.referral_figures import MentorCapacity, ReferralSpan
from reports.core.refund import DEFAULT_RULE, RefundRule
from service.audit.service import Actor, record
from service.auth.models import User
from service.core import clock
from service.core.clock import utcnow
from service.core.errors import Invalid
from service.core.workdays import working_days_between
from service.corps import vocab
from service.corps.models import Mentor, Referral, SubGoal

te = sa.inspect(TimeEntry).local_table
ref = sa.inspect(Referral).local_table
le = sa.inspect(LogbookEntry).local_table


def parse_month(text: str | None, today: date | None = None) -> date:
    """ "YYYY-MM" → its first day; empty → last month; anything else is 422 on `month`."""
    if not text:
        first = (today or clock.today()).replace(day=1)
        return month_bounds(date.fromordinal(first.toordinal() - 1))[0]
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        raise Invalid("Måneden skal skrives ÅÅÅÅ-MM.", field="month") from None


@overload
def _local(moment: datetime) -> date: ...
@overload
def _local(moment: datetime | None) -> date | None: ...
def _local(moment: datetime | None) -> date | None:
    return moment.astimezone(TIMEZONE).date() if moment is not None else None


def referral_spans(session: Session, last: date) -> list[ReferralSpan]:
    """One small row per referral received by the month's end (no text columns)."""
    until = datetime.combine(last, datetime.max.time(), TIMEZONE)
    rows = session.execute(
        sa.select(
            ref.c.id,
            ref.c.citizen_id,
            ref.c.mentor_id,
            ref.c.submitted_at,
            ref.c.assigned_at,
            ref.c.closed_at,
            ref.c.start_date,
            ref.c.end_date,
            ref.c.outcome,
        ).where(ref.c.submitted_at <= until)
    )
    return [
        ReferralSpan(
            referral_id=r.id,
            citizen_id=r.citizen_id,
            mentor_id=r.mentor_id,
            submitted_on=_local(r.submitted_at),
            # A mentor without a recorded assignment time (older data): from the start.
            assigned_on=_local(r.assigned_at) or (r.start_date if r.mentor_id else None),
            closed_on=_local(r.closed_at),
            start_date=r.start_date,
            end_date=r.end_date,
            outcome=r.outcome,
        )
        for r in rows
    ]


def category_minutes(session: Session, first: date, last: date) -> dict[str, int]:
    rows = session.execute(
        sa.select(te.c.category, sa.func.sum(te.c.minutes))
        .where(te.c.date >= first, te.c.date <= last)
        .group_by(te.c.category)
    )
    return {category: int(total or 0) for category, total in rows}


def minutes_per_citizen(session: Session, first: date, last: date) -> list[int]:
    rows = session.execute(
        sa.select(sa.func.sum(te.c.minutes))
        .select_from(te.join(ref, ref.c.id == te.c.referral_id))
        .where(te.c.date >= first, te.c.date <= last)
        .group_by(ref.c.citizen_id)
    )
    return [int(total or 0) for (total,) in rows]


def last_entries(session: Session, day: date) -> dict[int, date]:
    rows = session.execute(
        sa.select(le.c.referral_id, sa.func.max(le.c.occurred_on))
        .where(le.c.occurred_on <= day)
        .group_by(le.c.referral_id)
    )
    return {rid: newest for rid, newest in rows}


def progress_marks(session: Session, first: date, last: date):
    """Marks of the month's entries on their sub-goals, and those sub-goals' titles."""
    rows = session.execute(
        sa.select(col(LogbookEntry.sub_goal_ids), col(LogbookEntry.progress)).where(
            col(LogbookEntry.occurred_on) >= first,
            col(LogbookEntry.occurred_on) <= last,
            col(LogbookEntry.progress).is_not(None),
        )
    )
    marks = [ProgressMark(int(g), int(p)) for goal_ids, p in rows for g in (goal_ids or [])]
    ids = sorted({m.sub_goal_id for m in marks})
    titles: dict[int, str] = {}
    if ids:
        titles = dict(
            session.execute(
                sa.select(col(SubGoal.id), col(SubGoal.title)).where(col(SubGoal.id).in_(ids))
            ).all()
        )
    return marks, titles


def mentors(session: Session) -> list[MentorCapacity]:
    rows = session.execute(
        sa.select(
            col(Mentor.id), col(User.name), col(Mentor.max_caseload), col(Mentor.active)
        ).join(User, col(User.id) == col(Mentor.user_id))
    )
    return [MentorCapacity(mid, name, cap, bool(active)) for mid, name, cap, active in rows]


def _contact_rule(session: Session, first: date, last: date) -> RefundRule:
    try:
        return queries.rule_in_force(session, first, last)
    except Invalid:
        return DEFAULT_RULE  # the rule changed in the month: evidence counts all contact time


def key_figures(*, session: Session, actor: Actor, month: date) -> KeyFigures:
    """The month's key figures (aggregates only; the read is audited without citizens)."""
    first, last = month_bounds(month)
    as_of = min(last, clock.today())
    marks, titles = progress_marks(session, first, last)
    rule = _contact_rule(session, first, last)
    figures = build_key_figures(
        month=first,
        as_of=as_of,
        spans=referral_spans(session, last),
        working_days=working_days_between,
        category_minutes=category_minutes(session, first, last),
        minutes_per_citizen=minutes_per_citizen(session, first, last),
        last_entry=last_entries(session, as_of),
        evidence=evidence_queries.evidence(session, first, last, rule).values(),
        marks=marks,
        goal_titles=titles,
        mentors=mentors(session),
    )
    record(
        session,
        actor,
        "read",
        purpose="administration",
        entity="key_figures",
        detail={"month": first.isoformat()[:7]},
    )
    session.flush()
    return figures


def key_figures_workbook(*, session: Session, actor: Actor, month: date) -> bytes:
    """The month's key figures as an Excel workbook; audited as an export."""
    figures = key_figures(session=session, actor=actor, month=month)
    out = io.BytesIO()
    write_key_figures_workbook(
        out,
        figures,
        created_at=utcnow(),
        created_by=actor.user.name if actor.user else "system",
        outcome_labels=vocab.OUTCOMES,
    )
    record(
        session,
        actor,
        "export",
        purpose="administration",
        entity="key_figures",
        detail={"month": month.isoformat()[:7]},
    )
    session.flush()
    return out.getvalue()
