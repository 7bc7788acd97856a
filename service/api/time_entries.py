"""The time registration API: time entries, training expenses and month approval."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import Depends, Query, Response
from pydantic import BaseModel, Field

from logbook import approval, expenses
from logbook import time as timereg
from logbook.time_rules import MAX_MINUTES
from reports.core.money import hours_from_minutes
from service.api.types import Dec2, Month
from service.audit.service import Actor
from service.auth.models import Role
from service.web.guard import SessionDep, requires
from service.web.routing import Router

router = Router(tags=["time registration"])

REGISTER = requires(Role.mentor, Role.coordinator)
COORDINATOR = requires(Role.coordinator)

Category = Literal[
    "citizen_contact",
    "professional_dialogue",
    "transport_with_citizen",
    "administration",
    "own_transport",
]


class TimeEntryCreate(BaseModel):
    referral_id: int
    date: dt.date
    minutes: int = Field(ge=1, le=MAX_MINUTES)
    category: Category
    note: str = Field(default="", max_length=1000)
    mentor_id: int | None = Field(default=None, description="Only when a coordinator registers")


class TimeEntryUpdate(BaseModel):
    date: dt.date | None = None
    minutes: int | None = Field(default=None, ge=1, le=MAX_MINUTES)
    category: Category | None = None
    note: str | None = Field(default=None, max_length=1000)


class TimeEntryPublic(BaseModel):
    id: int
    referral_id: int
    mentor_id: int
    date: dt.date
    minutes: int
    hours: Dec2
    category: str
    note: str
    created_by: int
    created_at: dt.datetime
    updated_at: dt.datetime


def time_entry_public(entry) -> TimeEntryPublic:
    return TimeEntryPublic(
        **entry.model_dump(exclude={"hours"}), hours=hours_from_minutes(entry.minutes)
    )


@router.post("/time-entries", status_code=201, response_model=TimeEntryPublic)
def create_time_entry(body: TimeEntryCreate, session: SessionDep, actor: Actor = Depends(REGISTER)):
    entry = timereg.create_time_entry(
        session=session,
        actor=actor,
        referral_id=body.referral_id,
        date=body.date,
        minutes=body.minutes,
        category=body.category,
        note=body.note,
        mentor_id=body.mentor_id,
    )
    return time_entry_public(entry)


@router.get("/time-entries", response_model=list[TimeEntryPublic])
def list_time_entries(
    session: SessionDep,
    actor: Actor = Depends(REGISTER),
    mentor_id: int | None = None,
    referral_id: int | None = None,
    date_from: dt.date | None = Query(default=None, alias="from"),
    date_to: dt.date | None = Query(default=None, alias="to"),
):
    rows = timereg.list_time_entries(
        session=session,
        actor=actor,
        mentor_id=mentor_id,
        referral_id=referral_id,
        date_from=date_from,
        date_to=date_to,
    )
    return [time_entry_public(e) for e in rows]


@router.patch("/time-entries/{entry_id}", response_model=TimeEntryPublic)
def update_time_entry(
    entry_id: int, body: TimeEntryUpdate, session: SessionDep, actor: Actor = Depends(REGISTER)
):
    entry = timereg.update_time_entry(
        session=session,
        actor=actor,
        entry_id=entry_id,
        date=body.date,
        minutes=body.minutes,
        category=body.category,
        note=body.note,
    )
    return time_entry_public(entry)


@router.delete("/time-entries/{entry_id}", status_code=204)
def delete_time_entry(entry_id: int, session: SessionDep, actor: Actor = Depends(REGISTER)):
    timereg.delete_time_entry(session=session, actor=actor, entry_id=entry_id)
    return Response(status_code=204)


class TrainingExpenseCreate(BaseModel):
    mentor_id: int
    date: dt.date
    description: str = Field(min_length=1, max_length=500)
    amount: Dec2


class TrainingExpensePublic(BaseModel):
    id: int
    mentor_id: int
    date: dt.date
    description: str
    amount: Dec2
    created_by: int
    created_at: dt.datetime


@router.post("/training-expenses", status_code=201, response_model=TrainingExpensePublic)
def create_training_expense(
    body: TrainingExpenseCreate, session: SessionDep, actor: Actor = Depends(COORDINATOR)
):
    expense = expenses.create_training_expense(
        session=session,
        actor=actor,
        mentor_id=body.mentor_id,
        date=body.date,
        description=body.description,
        amount=body.amount,
    )
    return TrainingExpensePublic.model_validate(expense, from_attributes=True)


class MonthApprovalCreate(BaseModel):
    mentor_id: int
    month: Month


class ReopenCreate(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class MonthApprovalPublic(BaseModel):
    id: int
    mentor_id: int
    month: str
    approved_by: int
    approved_at: dt.datetime
    reopened_by: int | None
    reopened_at: dt.datetime | None
    reopen_reason: str
    approved: bool


def approval_public(row) -> MonthApprovalPublic:
    return MonthApprovalPublic(
        **row.model_dump(exclude={"month"}),
        month=row.month.strftime("%Y-%m"),
        approved=row.reopened_at is None,
    )


@router.post("/month-approvals", status_code=201, response_model=MonthApprovalPublic)
def approve_month(
    body: MonthApprovalCreate, session: SessionDep, actor: Actor = Depends(COORDINATOR)
):
    row = approval.approve_month(
        session=session, actor=actor, mentor_id=body.mentor_id, month=body.month
    )
    return approval_public(row)


@router.get("/month-approvals", response_model=list[MonthApprovalPublic])
def list_month_approvals(
    session: SessionDep,
    actor: Actor = Depends(COORDINATOR),
    mentor_id: int | None = None,
    month: Month | None = None,
):
    rows = approval.list_approvals(session, mentor_id=mentor_id, month=month)
    return [approval_public(r) for r in rows]


@router.post("/month-approvals/{approval_id}/reopen", response_model=MonthApprovalPublic)
def reopen_month(
    approval_id: int, body: ReopenCreate, session: SessionDep, actor: Actor = Depends(COORDINATOR)
):
    row = approval.reopen_month(
        session=session, actor=actor, approval_id=approval_id, reason=body.reason
    )
    return approval_public(row)
