"""The aggregate SQL that feeds the pure refund arithmetic (SQLite and PostgreSQL alike).

Nothing here loads time entries into Python objects: the citizen rows are summed by the
database, and the entries of the `Registreringer` sheet are streamed in batches.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from logbook.models import TimeEntry, TrainingExpense
from reports.core.money import CATEGORIES
from reports.core.refund import (
    DEFAULT_RULE,
    CitizenTotals,
    NoRuleInForce,
    RefundRule,
    RuleChangesInPeriod,
    rule_for_period,
)
from reports.core.tables import EntryRow
from reports.models import RefundRuleRecord
from service.auth.models import User
from service.core.errors import Invalid
from service.corps.models import Citizen, Mentor, MentorRate, Referral

STREAM_BATCH = 2000

te = sa.inspect(TimeEntry).local_table
mr = sa.inspect(MentorRate).local_table
ref = sa.inspect(Referral).local_table
cit = sa.inspect(Citizen).local_table


def rate_ore(rate: Decimal) -> int:
    """An hourly rate in øre per hour."""
    return int(rate.scaleb(2))


def check_period(start: date, end: date) -> None:
    """422 on `to` when the period ends before it begins."""
    if end < start:
        raise Invalid("Perioden slutter, før den begynder.", field="to")


def load_rules(session: Session) -> list[RefundRule]:
    """Every stored refund rule as the pure RefundRule."""
    rows = session.exec(select(RefundRuleRecord).order_by(col(RefundRuleRecord.valid_from)))
    return [
        RefundRule(row.valid_from, row.rate, frozenset(row.refundable_categories)) for row in rows
    ]


def rule_in_force(session: Session, start: date, end: date) -> RefundRule:
    """The rule governing the period (DEFAULT_RULE when none); 422 when it changes inside."""
    check_period(start, end)
    try:
        return rule_for_period(load_rules(session), start, end)
    except NoRuleInForce:
        # No stored rule yet at the start; a later rule inside the period is still a change.
        return DEFAULT_RULE
    except RuleChangesInPeriod as error:
        raise Invalid(str(error), field="to") from error


def rate_periods() -> sa.Subquery:
    """Each mentor_rate row with the day its successor takes over (NULL: still in force)."""
    return sa.select(
        mr.c.mentor_id,
        mr.c.valid_from,
        sa.func.lead(mr.c.valid_from)
        .over(partition_by=mr.c.mentor_id, order_by=mr.c.valid_from)
        .label("valid_to"),
        sa.type_coerce(mr.c.hourly_rate, sa.BigInteger).label("rate_ore"),
    ).subquery("rate_period")


def rated_entries(periods: sa.Subquery):
    """time_entry → referral → citizen, left-joined to the mentor's rate on the entry's date.

    A range join on the rate periods (window function LEAD) rather than a correlated
    subquery per entry: PostgreSQL hashes it on mentor_id, SQLite indexes it on the fly.
    """
    in_force = sa.and_(
        periods.c.mentor_id == te.c.mentor_id,
        periods.c.valid_from <= te.c.date,
        sa.or_(periods.c.valid_to.is_(None), te.c.date < periods.c.valid_to),
    )
    return (
        te.join(ref, ref.c.id == te.c.referral_id)
        .join(cit, cit.c.id == ref.c.citizen_id)
        .outerjoin(periods, in_force)
    )


def rate_ore_expr(periods: sa.Subquery, default_ore: int) -> sa.ColumnElement[int]:
    """The rate in force from the joined period, DEFAULT_HOURLY_RATE when none."""
    return sa.func.coalesce(periods.c.rate_ore, sa.literal(default_ore, sa.BigInteger))


def in_period(start: date, end: date):
    return sa.and_(te.c.date >= start, te.c.date <= end)


def citizen_totals(
    session: Session, start: date, end: date, rule: RefundRule, default_rate: Decimal
) -> list[CitizenTotals]:
    """Per citizen with time in the period: minutes per category and Σ minutes × øre.

    Two steps: the entries are summed per referral with the rate of their day (the only
    pass over every entry, which a covering index serves), then per citizen.
    """
    refundable = sorted(rule.refundable)
    periods = rate_periods()
    per_category = [
        sa.func.sum(sa.case((te.c.category == c, te.c.minutes), else_=0)).label(c)
        for c in CATEGORIES
    ]
    minute_ore: sa.ColumnElement[Any]
    if refundable:
        rate = rate_ore_expr(periods, rate_ore(default_rate))
        minute_ore = sa.func.sum(
            sa.case((te.c.category.in_(refundable), te.c.minutes * rate), else_=0)
        )
    else:
        minute_ore = sa.literal(0, sa.BigInteger)
    in_force = sa.and_(
        periods.c.mentor_id == te.c.mentor_id,
        periods.c.valid_from <= te.c.date,
        sa.or_(periods.c.valid_to.is_(None), te.c.date < periods.c.valid_to),
    )
    # `+ 0`: SQLite would otherwise walk the whole (referral_id, date) index for the
    # grouping instead of the period's range of the covering (date, …) index.
    referral_id = (te.c.referral_id + 0).label("referral_id")
    per_referral = (
        sa.select(referral_id, *per_category, minute_ore.label("minute_ore"))
        .select_from(te.outerjoin(periods, in_force))
        .where(in_period(start, end))
        .group_by(referral_id)
        .subquery("per_referral")
    )
    sums = [sa.func.sum(per_referral.c[c]).label(c) for c in (*CATEGORIES, "minute_ore")]
    query = (
        sa.select(cit.c.id, cit.c.cpr, cit.c.name, *sums)
        .select_from(
            per_referral.join(ref, ref.c.id == per_referral.c.referral_id).join(
                cit, cit.c.id == ref.c.citizen_id
            )
        )
        .group_by(cit.c.id, cit.c.cpr, cit.c.name)
        .order_by(cit.c.cpr, cit.c.id)
    )
    return [
        CitizenTotals(
            citizen_id=row.id,
            cpr=row.cpr,
            name=row.name,
            minutes_by_category={c: row._mapping[c] or 0 for c in CATEGORIES},
            refundable_minute_ore=row.minute_ore or 0,
        )
        for row in session.execute(query)
    ]


def training_ore(session: Session, start: date, end: date) -> int:
    """Σ training expenses in the period, in øre."""
    amount = sa.inspect(TrainingExpense).local_table.c
    total = session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(sa.type_coerce(amount.amount, sa.BigInteger)), 0)
        ).where(amount.date >= start, amount.date <= end)
    ).scalar_one()
    return int(total)


def entry_count(session: Session, start: date, end: date) -> int:
    """How many time entries lie in the period."""
    return int(
        session.execute(
            sa.select(sa.func.count()).select_from(te).where(in_period(start, end))
        ).scalar_one()
    )


def entry_rows(
    session: Session, start: date, end: date, default_rate: Decimal
) -> Iterator[EntryRow]:
    """Every entry of the period with its rate, streamed (server-side cursor on PostgreSQL)."""
    user = sa.inspect(User).local_table
    mentor = sa.inspect(Mentor).local_table
    periods = rate_periods()
    query = (
        sa.select(
            te.c.date,
            cit.c.cpr,
            cit.c.name,
            user.c.name.label("mentor_name"),
            te.c.category,
            te.c.minutes,
            sa.cast(rate_ore_expr(periods, rate_ore(default_rate)), sa.BigInteger).label(
                "rate_ore"
            ),
            te.c.note,
        )
        .select_from(
            rated_entries(periods)
            .join(mentor, mentor.c.id == te.c.mentor_id)
            .join(user, user.c.id == mentor.c.user_id)
        )
        .where(in_period(start, end))
        .order_by(te.c.date, cit.c.cpr, te.c.id)
        .execution_options(yield_per=STREAM_BATCH)
    )
    make = EntryRow._make
    for row in session.execute(query):
        yield make(row)
