"""In-app notifications (the inbox); e-mail state is kept on the same row."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.core.clock import utcnow
from service.core.types import UTCDateTime


class Notification(SQLModel, table=True):
    """One message to one user. `dedup_key` makes every producer idempotent per user."""

    __table_args__ = (
        sa.UniqueConstraint("user_id", "dedup_key"),
        sa.Index("ix_notification_user_read", "user_id", "read_at"),
    )

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    user_id: int = Field(foreign_key="user.id")
    kind: str = Field(max_length=40)
    text: str = Field(max_length=1000)
    link: str = Field(default="", max_length=300)  # where the inbox links to ("" = none)
    referral_id: int | None = Field(default=None, foreign_key="referral.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    emailed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # set once sent
    # Failed sends are retried with backoff (service/notifications/mail.py).
    email_attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    email_tried_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    email_error: str | None = Field(default=None, max_length=300)
    dedup_key: str = Field(max_length=200)
