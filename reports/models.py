"""Refund rules, claims and background exports (the report's storage, not its arithmetic)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.core.clock import utcnow
from service.core.types import JSONDict, JSONList, Scaled, UTCDateTime


class RefundRule(SQLModel, table=True):
    """The refund rate and refundable categories in force from `valid_from`."""

    __tablename__ = "refund_rule"

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    valid_from: date = Field(unique=True)
    rate: Decimal = Field(sa_type=Scaled(4))
    refundable_categories: list[str] = Field(default_factory=list, sa_type=JSONList)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RefundClaim(SQLModel, table=True):
    """A claimed period with its totals and, once built, its workbook exactly as claimed.

    `status` is the workbook's build: 'ready' (workbook and sha256 stored), 'building'
    (built in the background; `done` of `total` entries written, `progress_at` its last
    sign of life, `builder` the build that owns it) or 'failed' (`error` says why). The
    period is locked from the row's commit, whatever the build's state.
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
    done: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    total: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    error: str = Field(default="", sa_type=sa.Text, sa_column_kwargs={"server_default": ""})
    progress_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    builder: str = Field(default="", max_length=32, sa_column_kwargs={"server_default": ""})


class ExportJob(SQLModel, table=True):
    """A workbook built in the background, with progress for the page."""

    __tablename__ = "export_job"

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    kind: str = Field(max_length=30)
    params: dict = Field(default_factory=dict, sa_type=JSONDict)
    status: str = Field(default="queued", max_length=10)
    done: int = 0
    total: int = 0
    result: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    error: str = Field(default="", sa_type=sa.Text)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
