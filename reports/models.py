"""Refund rules and claims (the report's storage, not its arithmetic)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.core.clock import utcnow
from service.core.types import JSONDict, JSONList, Scaled, UTCDateTime


class RefundRuleRecord(SQLModel, table=True):
    """A saved refund rule (rate and categories in force from `valid_from`), with who saved it.

    The stored twin of `reports.core.refund.RefundRule`, which the arithmetic uses.
    """

    __tablename__ = "refund_rule"

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    valid_from: date = Field(unique=True)
    rate: Decimal = Field(sa_type=Scaled(4))
    refundable_categories: list[str] = Field(default_factory=list, sa_type=JSONList)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RefundClaim(SQLModel, table=True):
    """A claimed period with its totals and, once built, its workbook exactly as claimed.

    `status` is the workbook's: 'ready' (workbook and sha256 stored) or 'building' (built in
    the background by a task of `service.core.background`, which holds its progress and
    failure). `total` is the period's number of entries. The period is locked from the row's
    commit, whatever the workbook's state.
    """

    __tablename__ = "refund_claim"

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    period_from: date = Field(index=True)
    period_to: date = Field(index=True)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    totals: dict = Field(default_factory=dict, sa_type=JSONDict)
    workbook: bytes = Field(sa_type=sa.LargeBinary)
    sha256: str = Field(max_length=64)
    status: str = Field(
        default="ready", max_length=10, sa_column_kwargs={"server_default": "ready"}
    )
    total: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
