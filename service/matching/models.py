"""Matching storage: weights, exclusions, assignment history, mentor agreements and cover."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service import base  # noqa: F401
from service.types import Scaled, UTCDateTime, utcnow


class MatchingWeight(SQLModel, table=True):
    """A coordinator's weight for one soft criterion (no row: the engine's default)."""

    __tablename__ = "matching_weight"

    criterion: str = Field(primary_key=True, max_length=30)
    weight: int
    updated_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MentorExclusion(SQLModel, table=True):
    """A mentor the citizen must not have (conflict of interest, a broken relationship)."""

    __tablename__ = "mentor_exclusion"
    __table_args__ = (sa.UniqueConstraint("citizen_id", "mentor_id"),)

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    mentor_id: int = Field(foreign_key="mentor.id", index=True)
    reason: str = Field(sa_type=sa.Text)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Assignment(SQLModel, table=True):
    """One assignment of a mentor to a referral (history; also the citizen's continuity)."""

    __tablename__ = "assignment"

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    referral_id: int = Field(foreign_key="referral.id", index=True)
    mentor_id: int = Field(foreign_key="mentor.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    by: int | None = Field(default=None, foreign_key="user.id")
    score: int
    top_mentor_id: int | None = Field(default=None, foreign_key="mentor.id")
    top_score: int | None = None
    reason: str = Field(default="", sa_type=sa.Text)


class MentorAgreement(SQLModel, table=True):
    """The mentor agreement (mentoraftale): at most 6 months; a renewal supersedes it."""

    __tablename__ = "mentor_agreement"

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    referral_id: int = Field(foreign_key="referral.id", index=True)
    mentor_id: int = Field(foreign_key="mentor.id", index=True)
    mentor_name: str = Field(max_length=200)
    mentor_contact: str = Field(default="", max_length=254)
    valid_from: date
    valid_to: date
    goal: str = Field(max_length=500)
    tasks: str = Field(default="", sa_type=sa.Text)
    hours_per_week: Decimal = Field(sa_type=Scaled(2))
    complaint: str = Field(default="", sa_type=sa.Text)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    supersedes_id: int | None = Field(default=None, foreign_key="mentor_agreement.id")


class CoverAssignment(SQLModel, table=True):
    """A confirmed substitute for one referral while its mentor is absent."""

    __tablename__ = "cover_assignment"
    __table_args__ = (sa.UniqueConstraint("absence_id", "referral_id"),)

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    absence_id: int = Field(foreign_key="absence.id", index=True)
    referral_id: int = Field(foreign_key="referral.id", index=True)
    substitute_mentor_id: int = Field(foreign_key="mentor.id", index=True)
    start: date
    end: date
    confirmed_by: int | None = Field(default=None, foreign_key="user.id")
    confirmed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
