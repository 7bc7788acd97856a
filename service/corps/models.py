"""The corps: mentors, absences, rates, citizens, referrals, the shared tools, and matching's
records (weights, exclusions, assignment history, mentor agreements and cover)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.core.clock import utcnow
from service.core.types import JSONDict, JSONList, Scaled, UTCDateTime


class Mentor(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    user_id: int = Field(foreign_key="user.id", unique=True)
    gender: str | None = Field(default=None, max_length=10)
    birth_year: int | None = None
    languages: list[str] = Field(default_factory=list, sa_type=JSONList)
    background_areas: list[str] = Field(default_factory=list, sa_type=JSONList)
    target_groups: list[str] = Field(default_factory=list, sa_type=JSONList)
    roles: list[str] = Field(default_factory=list, sa_type=JSONList)
    district: str = Field(default="", max_length=100)
    weekly_hours: Decimal = Field(sa_type=Scaled(2))
    max_caseload: int
    employment: str = Field(default="full_time", max_length=10)
    active: bool = True
    presentation: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Absence(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    mentor_id: int = Field(foreign_key="mentor.id", index=True)
    start: date
    end: date
    kind: str = Field(max_length=10)
    note: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MentorRate(SQLModel, table=True):
    __tablename__ = "mentor_rate"
    __table_args__ = (sa.UniqueConstraint("mentor_id", "valid_from"),)

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    mentor_id: int = Field(foreign_key="mentor.id", index=True)
    valid_from: date
    hourly_rate: Decimal = Field(sa_type=Scaled(2))  # stored as øre per hour
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Citizen(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    cpr: str = Field(sa_column=sa.Column(sa.String(10), nullable=False, unique=True))
    name: str = Field(max_length=200)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=254)
    address: str = Field(default="", max_length=300)
    district: str = Field(default="", max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Referral(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    caseworker_id: int = Field(foreign_key="user.id", index=True)
    status: str = Field(default="submitted", max_length=10, index=True)
    job_goal: str = Field(max_length=500)
    focus_roles: list[str] = Field(default_factory=list, sa_type=JSONList)
    focus_areas: list[str] = Field(default_factory=list, sa_type=JSONList)  # role sub-areas
    target_groups: list[str] = Field(default_factory=list, sa_type=JSONList)
    required_languages: list[str] = Field(default_factory=list, sa_type=JSONList)
    preferred_mentor_gender: str | None = Field(default=None, max_length=10)
    granted_hours_per_week: Decimal = Field(sa_type=Scaled(2))
    start_date: date
    end_date: date
    review_date: date | None = None
    legal_basis: str = Field(default="lab", max_length=20)
    lab_tasks: str = Field(default="", sa_type=sa.Text)
    sel85_tasks: str = Field(default="", sa_type=sa.Text)
    tasks_can: list[str] = Field(default_factory=list, sa_type=JSONList)
    tasks_cannot: list[str] = Field(default_factory=list, sa_type=JSONList)
    consent_information_exchange: bool = False
    health_information: str = Field(default="", sa_type=sa.Text)  # only with consent
    considerations: str = Field(default="", sa_type=sa.Text)
    # What the caseworker submitted about the citizen (name, phone, email, address, district).
    # It stays here: the citizen record changes only when a coordinator confirms it.
    submitted_citizen: dict = Field(default_factory=dict, sa_type=JSONDict)
    mentor_id: int | None = Field(default=None, foreign_key="mentor.id", index=True)
    assigned_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    outcome: str | None = Field(default=None, max_length=20)
    submitted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SubGoal(SQLModel, table=True):
    __tablename__ = "sub_goal"

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    referral_id: int = Field(foreign_key="referral.id", index=True)
    position: int = 0
    title: str = Field(max_length=300)


class ReferralEvent(SQLModel, table=True):
    """The status history of a referral (append-only)."""

    __tablename__ = "referral_event"

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    referral_id: int = Field(foreign_key="referral.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    from_status: str | None = Field(default=None, max_length=10)
    to_status: str = Field(max_length=10)
    reason: str = Field(default="", sa_type=sa.Text)
    detail: dict = Field(default_factory=dict, sa_type=JSONDict)


class Contact(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    name: str = Field(max_length=200)
    organisation: str = Field(default="", max_length=200)
    category: str = Field(default="other", max_length=30)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=254)
    notes: str = Field(default="", sa_type=sa.Text)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CrisisPlanVersion(SQLModel, table=True):
    """The crisis plan; every save is a new version, the newest is in force."""

    __tablename__ = "crisis_plan_version"

    id: int = Field(default=None, primary_key=True)  # None only until the first flush
    body: str = Field(sa_type=sa.Text)
    author_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


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


class AssignmentRecord(SQLModel, table=True):
    """One assignment of a mentor to a referral, as made (history; the citizen's continuity).

    The stored twin of the engine's `matching.model.Assignment`, which a plan proposes.
    """

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
