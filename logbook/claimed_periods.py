"""Claimed periods: registrations there are refused, and the locks that order the two."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from reports.models import RefundClaim
from service.core.errors import PeriodClaimed
from service.corps.models import Mentor


def claimed_on(session: Session, day: dt.date) -> RefundClaim | None:
    """The refund claim whose period holds the day, if any."""
    return session.exec(
        select(RefundClaim).where(RefundClaim.period_from <= day, RefundClaim.period_to >= day)
    ).first()


def check_not_claimed(session: Session, day: dt.date) -> None:
    claim = claimed_on(session, day)
    if claim is not None:
        raise PeriodClaimed(
            f"Perioden er afregnet ({claim.period_from.isoformat()} til "
            f"{claim.period_to.isoformat()}); registreringen kan ikke ændres.",
            field="date",
        )


# Per table: (PostgreSQL, SQLite) statements that take the write lock and change nothing.
WRITE_LOCKS = {
    "time_entry": (
        "LOCK TABLE time_entry IN ROW EXCLUSIVE MODE",
        "UPDATE time_entry SET id = id WHERE 0",
    ),
    "training_expense": (
        "LOCK TABLE training_expense IN ROW EXCLUSIVE MODE",
        "UPDATE training_expense SET id = id WHERE 0",
    ),
}


def lock_for_write(session: Session, table: str, mentor_id: int | None = None) -> None:
    """Take the locks a registration needs before its claim check counts.

    PostgreSQL: the mentor's row FOR UPDATE (a mentor's registrations one at a time, so the
    day total holds), then ROW EXCLUSIVE on the table, which waits while a refund claim is
    being made (it holds SHARE on time_entry and training_expense) and makes a claim begun
    later wait for this registration. SQLite: a write that changes nothing takes the
    database's write lock, which a claim being made holds as well.
    A claim check made after this sees every claim committed before it (READ COMMITTED: a
    new statement, a new snapshot), and no claim can commit until this transaction ends.
    """
    postgresql = session.get_bind().dialect.name == "postgresql"
    if postgresql and mentor_id is not None:
        session.execute(select(Mentor.id).where(Mentor.id == mentor_id).with_for_update())
    session.connection().exec_driver_sql(WRITE_LOCKS[table][0 if postgresql else 1])


def lock_mentor(session: Session, mentor_id: int) -> None:
    """Serialise a mentor's registrations and order them against refund claims."""
    lock_for_write(session, "time_entry", mentor_id)
