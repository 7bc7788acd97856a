"""Logbook entries, their versions, and time registration.

Entry and version rows are never updated or deleted: database triggers refuse it
(migration `logbook`). A correction is a new version with a reason.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.audit import chain
from service.core.clock import utcnow
from service.core.db import table_of
from service.core.types import JSONList, Scaled, UTCDateTime


class LogbookEntry(SQLModel, table=True):
    __tablename__ = "logbook_entry"
    __table_args__ = (sa.Index("ix_logbook_entry_referral_occurred", "referral_id", "occurred_on"),)

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    referral_id: int = Field(foreign_key="referral.id")
    author_id: int = Field(foreign_key="user.id")
    occurred_on: date
    kind: str = Field(max_length=30)
    sub_goal_ids: list[int] = Field(default_factory=list, sa_type=JSONList)
    observations: list[str] = Field(default_factory=list, sa_type=JSONList)
    progress: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LogbookVersion(SQLModel, table=True):
    """Version 1 is the original text; each amendment adds the next version."""

    __tablename__ = "logbook_version"
    __table_args__ = (
        sa.UniqueConstraint("entry_id", "version"),
        sa.Index("ux_logbook_version_chain_seq", "chain_seq", unique=True),
    )

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    entry_id: int = Field(foreign_key="logbook_entry.id", index=True)
    version: int
    text: str = Field(sa_type=sa.Text)
    reason: str = Field(default="", sa_type=sa.Text)
    author_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Tamper evidence (service/audit/chain.py): set on insert, never by callers.
    chain_seq: int | None = Field(default=None, sa_type=sa.BigInteger)
    hash: str | None = Field(default=None, max_length=64)


class LogbookShown(SQLModel, table=True):
    """When an entry was presented to the citizen (append-only, at most once)."""

    __tablename__ = "logbook_shown"

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    entry_id: int = Field(foreign_key="logbook_entry.id", unique=True)
    by_id: int = Field(foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TimeEntry(SQLModel, table=True):
    __tablename__ = "time_entry"
    __table_args__ = (
        # Covering for the refund report's aggregates (migration 0005).
        sa.Index(
            "ix_time_entry_date_cover", "date", "referral_id", "mentor_id", "category", "minutes"
        ),
        sa.Index("ix_time_entry_mentor_date", "mentor_id", "date"),
        sa.Index("ix_time_entry_referral_date", "referral_id", "date"),
    )

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    referral_id: int = Field(foreign_key="referral.id")
    mentor_id: int = Field(foreign_key="mentor.id")
    date: dt.date
    minutes: int
    category: str = Field(max_length=30)
    note: str = Field(default="", max_length=1000)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TrainingExpense(SQLModel, table=True):
    __tablename__ = "training_expense"

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    mentor_id: int = Field(foreign_key="mentor.id", index=True)
    date: dt.date = Field(index=True)
    description: str = Field(max_length=500)
    amount: Decimal = Field(sa_type=Scaled(2))  # øre
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MonthApproval(SQLModel, table=True):
    """The coordinator's approval of a mentor's month; reopening sets `reopened_at`."""

    __tablename__ = "month_approval"
    __table_args__ = (sa.Index("ix_month_approval_mentor_month", "mentor_id", "month"),)

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    mentor_id: int = Field(foreign_key="mentor.id")
    month: date  # first day of the month
    approved_by: int = Field(foreign_key="user.id")
    approved_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    reopened_by: int | None = Field(default=None, foreign_key="user.id")
    reopened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reopen_reason: str = Field(default="", sa_type=sa.Text)


# Each new LogbookVersion is a link in a hash chain (tamper evidence).
chain.register(table_of(LogbookVersion))
