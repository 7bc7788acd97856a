"""Mentors' hourly rates: what an hour of each mentor costs, from a date (the refund prices
time with the rate in force on its day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from logbook.models import TimeEntry
from reports.core.danish import long_date
from reports.models import RefundClaim
from service.audit.service import Actor, record
from service.auth.models import User
from service.core.db import table_of
from service.core.errors import Conflict, Invalid
from service.corps.models import Mentor, MentorRate


def refuse_claimed_rate(session: Session, mentor_id: int, valid_from: date) -> None:
    """Refuse a mentor's rate from `valid_from` if it would price an entry already claimed.

    The rate is in force until the mentor's next rate; only their time entries dated in
    that span and inside a claim change price, so a mentor without claimed time (a new
    one, say) may be priced from any day.
    """
    te, mr = table_of(TimeEntry), table_of(MentorRate)
    until = (
        sa.select(sa.func.min(mr.c.valid_from))
        .where(mr.c.mentor_id == mentor_id, mr.c.valid_from > valid_from)
        .scalar_subquery()
    )
    priced = sa.and_(
        te.c.mentor_id == mentor_id,
        te.c.date >= valid_from,
        sa.or_(until.is_(None), te.c.date < until),
        te.c.date >= RefundClaim.period_from,
        te.c.date <= RefundClaim.period_to,
    )
    claimed = session.exec(
        select(RefundClaim).where(sa.exists().where(priced)).order_by(col(RefundClaim.id))
    ).first()
    if claimed is not None:
        raise Invalid(
            f"Satsen ville ændre prisen på timer i refusionskrav nr. {claimed.id}, der allerede "
            f"er afregnet (til {long_date(claimed.period_to)}). "
            "Vælg en dato efter de afregnede timer.",
            field="valid_from",
        )


def add_rate(
    session: Session, *, actor: Actor, mentor: Mentor, valid_from: date, hourly_rate: Decimal
) -> MentorRate:
    """Set the mentor's hourly cost in DKK from a date (one rate per date)."""
    if hourly_rate is None or hourly_rate < 0 or hourly_rate > Decimal("10000"):
        raise Invalid("Timesatsen skal være mellem 0 og 10.000 kr.", field="hourly_rate")
    refuse_claimed_rate(session, mentor.id, valid_from)
    query = select(MentorRate).where(
        MentorRate.mentor_id == mentor.id, MentorRate.valid_from == valid_from
    )
    if session.exec(query).first():
        raise Conflict("Der findes allerede en sats fra den dato.", field="valid_from")
    rate = MentorRate(mentor_id=mentor.id, valid_from=valid_from, hourly_rate=hourly_rate)
    session.add(rate)
    session.flush()
    record(session, actor, "create", purpose="refund", entity="mentor_rate", entity_id=rate.id)
    return rate


def rates(session: Session, mentor_id: int) -> list[MentorRate]:
    """The mentor's rates, newest valid-from first."""
    query = select(MentorRate).where(MentorRate.mentor_id == mentor_id)
    return list(session.exec(query.order_by(col(MentorRate.valid_from).desc())))


@dataclass(frozen=True)
class RateRow:
    """One mentor on the rates page: their rates (newest first) and the one in force."""

    mentor: Mentor
    user: User
    rates: list[MentorRate]
    in_force: MentorRate | None


def rates_overview(session: Session, day: date) -> list[RateRow]:
    """Every mentor (by name) with their rates and the rate in force on `day`."""
    by_mentor: dict[int, list[MentorRate]] = {}
    query = select(MentorRate).order_by(col(MentorRate.valid_from).desc())
    for rate in session.exec(query):
        by_mentor.setdefault(rate.mentor_id, []).append(rate)
    rows = []
    named = select(Mentor, User).join(User, col(User.id) == col(Mentor.user_id))
    for mentor, user in session.exec(named.order_by(col(User.name))):
        own = by_mentor.get(mentor.id, [])
        current = next((r for r in own if r.valid_from <= day), None)
        rows.append(RateRow(mentor, user, own, current))
    return rows


def rate_in_force(session: Session, mentor_id: int, day: date) -> Decimal | None:
    """The mentor's hourly rate on a date, or None when no rate is in force."""
    query = (
        select(col(MentorRate.hourly_rate))
        .where(MentorRate.mentor_id == mentor_id, MentorRate.valid_from <= day)
        .order_by(col(MentorRate.valid_from).desc())
    )
    return session.exec(query.limit(1)).first()
