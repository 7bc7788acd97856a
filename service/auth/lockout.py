"""Failed-login counters, changed only by single atomic statements on both engines.

A read-then-write counter loses counts to parallel requests (issue 11, defect 2). Here each
attempt is one `INSERT … ON CONFLICT DO UPDATE … RETURNING`: PostgreSQL holds the row lock
and SQLite the write lock until the request commits, so parallel attempts on one key queue
and each sees the true count.

Two kinds of key: an account key (the e-mail as typed, normalised, with the client
address), so that someone elsewhere cannot lock the owner out and an unknown e-mail is
counted exactly like a real one; and an address key, which throttles one address whatever
accounts it tries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, func, select

from service.auth.models import LoginFailure, User
from service.core.db import rowcount, table_of
from service.core.types import UTCDateTime

_table = table_of(LoginFailure)


@dataclass(frozen=True)
class Rule:
    limit: int  # the failure that reaches it sets the lock
    window: timedelta  # a count older than this starts again
    lock: timedelta


@dataclass(frozen=True)
class Count:
    failures: int
    locked_until: datetime | None


def account_key(email: str, address: str) -> str:
    return f"account:{email[:254]}|{address[:64]}"


def address_key(address: str) -> str:
    return f"address:{address[:64]}"


def _at(value: datetime | None):
    return sa.literal(value, type_=UTCDateTime())


def count(session: Session, *, key: str, email: str | None, rule: Rule, now: datetime) -> Count:
    """Add one to the key's count in one statement and return the new count and lock.

    A count older than its window, or whose lock has run out, starts again at one.
    """
    c = _table.c
    expired = sa.or_(
        sa.and_(c.locked_until.is_not(None), c.locked_until <= now),
        sa.and_(c.locked_until.is_(None), c.first_at < now - rule.window),
    )
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    first_lock = now + rule.lock if rule.limit <= 1 else None
    statement = (
        dialect.insert(_table)
        .values(key=key, email=email, failures=1, first_at=now, locked_until=first_lock)
        .on_conflict_do_update(
            index_elements=[c.key],
            set_={
                "failures": sa.case((expired, 1), else_=c.failures + 1),
                "first_at": sa.case((expired, _at(now)), else_=c.first_at),
                "locked_until": sa.case(
                    (expired, _at(first_lock)),
                    (
                        sa.and_(c.locked_until.is_(None), c.failures + 1 >= rule.limit),
                        _at(now + rule.lock),
                    ),
                    else_=c.locked_until,
                ),
            },
        )
        .returning(c.failures, c.locked_until)
    )
    row = session.execute(statement).one()
    return Count(row.failures, row.locked_until)


def locked_until(session: Session, key: str, now: datetime) -> datetime | None:
    """The end of the key's lock, if it is locked now."""
    query = select(LoginFailure.locked_until).where(
        LoginFailure.key == key, col(LoginFailure.locked_until) > now
    )
    return session.exec(query).first()


def clear(session: Session, key: str) -> None:
    """Forget the key's count (a successful login)."""
    session.execute(sa.delete(_table).where(_table.c.key == key))


def clear_email(session: Session, email: str) -> None:
    """Lift every lock of an account, from whatever address."""
    session.execute(sa.delete(_table).where(_table.c.email == email))


def locks_by_email(session: Session, now: datetime) -> dict[str, datetime]:
    """E-mail → end of its latest account lock in force."""
    query = (
        select(col(LoginFailure.email), func.max(LoginFailure.locked_until))
        .where(col(LoginFailure.email).is_not(None), col(LoginFailure.locked_until) > now)
        .group_by(LoginFailure.email)
    )
    # The query leaves out rows without an e-mail or a lock.
    return cast(dict[str, datetime], dict(session.exec(query).all()))


def locked_accounts(session: Session, now: datetime) -> int:
    """How many existing accounts are locked from at least one address."""
    query = (
        select(func.count(func.distinct(LoginFailure.email)))
        .join(User, col(User.email) == col(LoginFailure.email))
        .where(col(LoginFailure.locked_until) > now)
    )
    return session.exec(query).one()


def purge_stale(session: Session, now: datetime, *, older_than: timedelta) -> int:
    """Delete counts that no longer count: begun before `older_than` and not locked now.

    They hold typed e-mails and client addresses, so they are kept no longer than needed.
    """
    c = _table.c
    statement = sa.delete(_table).where(
        c.first_at < _at(now - older_than),
        sa.or_(c.locked_until.is_(None), c.locked_until <= _at(now)),
    )
    return rowcount(session.execute(statement)) or 0
