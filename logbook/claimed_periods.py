"""Claimed periods: registrations there are refused, and the locks that order the two."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session, select

from reports.core.danish import long_date
from service.core.errors import PeriodClaimed
from service.corps.models import Mentor

# The refund claims belong to reports/, above the logbook: their periods are read from the
# table rather than through its model.
_CLAIMS = sa.table(
    "refund_claim", sa.column("period_from", sa.Date()), sa.column("period_to", sa.Date())
)


def claimed_on(session: Session, day: dt.date) -> tuple[dt.date, dt.date] | None:
    """The period (first and last day) of the refund claim that holds the day, if any."""
    query = sa.select(_CLAIMS.c.period_from, _CLAIMS.c.period_to).where(
        _CLAIMS.c.period_from <= day, _CLAIMS.c.period_to >= day
    )
    row = session.execute(query.limit(1)).first()
    return (row.period_from, row.period_to) if row else None


def check_not_claimed(session: Session, day: dt.date) -> None:
    claimed = claimed_on(session, day)
    if claimed is not None:
        raise PeriodClaimed(
            f"Perioden er afregnet ({long_date(claimed[0])} til "
            f"{long_date(claimed[1])}); registreringen kan ikke ændres.",
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
