"""Accounts and web sessions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.core.clock import utcnow
from service.core.types import StrEnumText, UTCDateTime
from vocabulary import system


# A StrEnum: stored, compared and answered on the API as its plain value ("coordinator").
class Role(StrEnum):
    """The user's role, which decides what they may see and do."""

    admin = "admin"
    coordinator = "coordinator"
    caseworker = "caseworker"
    mentor = "mentor"
    finance = "finance"


ROLE_LABELS: dict[str, str] = system.USER_ROLES  # keyed by the plain value, as Role is a str


class User(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    email: str = Field(sa_column=sa.Column(sa.String(254), nullable=False, unique=True))
    name: str = Field(max_length=200)
    role: Role = Field(sa_type=StrEnumText(Role, 20))
    password_hash: str = Field(max_length=200)
    active: bool = True
    # Raised on password reset and deactivation: revokes API tokens and web sessions.
    token_version: int = 1
    email_digest: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WebSession(SQLModel, table=True):
    __tablename__ = "web_session"

    id: str = Field(primary_key=True, max_length=64)  # sha256 of the cookie's secret
    user_id: int = Field(foreign_key="user.id", index=True)
    token_version: int
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LoginFailure(SQLModel, table=True):
    """Failed logins counted per lock key: an account e-mail with an address, or an address.

    Updated only by single atomic statements (service.auth.lockout), never read-modify-write.
    """

    __tablename__ = "login_failure"

    # "account:<e-mail as typed, normalised>|<address>" or "address:<address>"
    key: str = Field(primary_key=True, max_length=330)
    # The typed e-mail of an account key (unblock and the locked count find locks by it).
    email: str | None = Field(default=None, max_length=254, index=True)
    failures: int = 0
    first_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
