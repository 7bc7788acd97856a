"""The audit trail: append-only, one row per read or change of a record."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.core.clock import utcnow
from service.core.types import JSONDict, UTCDateTime
from vocabulary import system


class Action(StrEnum):
    read = "read"
    search = "search"
    create = "create"
    update = "update"
    delete = "delete"
    transition = "transition"
    export = "export"
    run = "run"  # a scheduled job started by hand
    login = "login"
    logout = "logout"
    failed_login = "failed_login"


class Purpose(StrEnum):
    casework = "casework"
    matching = "matching"
    refund = "refund"
    citizen_access = "citizen_access"
    administration = "administration"
    authentication = "authentication"


ACTION_LABELS = system.AUDIT_ACTIONS
PURPOSE_LABELS = system.AUDIT_PURPOSES
RECORD_KINDS = system.RECORD_KINDS  # what a row is about (`entity`)


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    __table_args__ = (
        sa.Index("ix_audit_event_citizen_at", "citizen_id", "at"),
        sa.Index("ix_audit_event_user_at", "user_id", "at"),
        sa.Index("ux_audit_event_chain_seq", "chain_seq", unique=True),
    )

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    actor: str = Field(default="", max_length=254)  # e-mail as typed, for failed logins
    action: str = Field(max_length=20)
    purpose: str = Field(max_length=20)
    entity: str = Field(max_length=40)
    entity_id: int | None = None
    citizen_id: int | None = None
    ip: str = Field(default="", max_length=64)
    detail: dict = Field(default_factory=dict, sa_type=JSONDict)
    # Tamper evidence (service/audit/chain.py): set on insert, never by callers.
    chain_seq: int | None = Field(default=None, sa_type=sa.BigInteger)
    hash: str | None = Field(default=None, max_length=64)


class ChainHead(SQLModel, table=True):
    """The last link of each chained table; its row lock orders the chain's writers."""

    __tablename__ = "chain_head"

    name: str = Field(primary_key=True, max_length=40)
    seq: int = Field(default=0, sa_type=sa.BigInteger)
    hash: str = Field(max_length=64)


class ChainGap(SQLModel, table=True):
    """The link of a row deleted by retention: its position and hash, never its content."""

    __tablename__ = "chain_gap"

    name: str = Field(primary_key=True, max_length=40)
    chain_seq: int = Field(primary_key=True, sa_type=sa.BigInteger)
    hash: str = Field(max_length=64)
    noted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RetentionPass(SQLModel, table=True):
    """A row exists only inside the retention job's transaction (SQLite's deletion guard)."""

    __tablename__ = "retention_pass"

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class VerifyRun(SQLModel, table=True):
    """One run of `mentorkorps verify` (CLI, nightly job or the admin's button)."""

    __tablename__ = "verify_run"

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    ok: bool
    counts: dict = Field(default_factory=dict, sa_type=JSONDict)
    message: str = Field(default="", sa_type=sa.Text)
    source: str = Field(default="cli", max_length=10)  # cli | job | admin
