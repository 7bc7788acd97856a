"""The referrals API: create, list, read and the status workflow (contract: Referrals)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, Query
from pydantic import AfterValidator, BaseModel, Field
from sqlmodel import Session, col, select

from logbook.models import TimeEntry
from logbook.usage import hours_used_total
from reports.core.money import hours_from_minutes
from service.api.codes import (
    Gender,
    Language,
    LegalBasis,
    MentorRole,
    Outcome,
    Status,
    TargetGroup,
    TaskCan,
    TaskCannot,
)
from service.api.mentors import values
from service.api.responses import Error
from service.api.types import Dec2
from service.audit.service import Actor
from service.auth.models import Role
from service.core.errors import Invalid
from service.core.formatting import cpr_masked
from service.core.limits import MAX_CHOICES
from service.corps import referral_drafts, referral_queries, referral_workflow, referrals
from service.corps.citizens import citizen_seen_by
from service.corps.cpr import normalise_cpr
from service.corps.models import Citizen, Referral
from service.web.guard import SessionDep, requires
from service.web.routing import Router

router = Router(tags=["referrals"])
READ = requires(Role.coordinator, Role.admin, Role.caseworker, Role.mentor)


def _cpr(value: str) -> str:
    try:
        return normalise_cpr(value)
    except Invalid as error:
        raise ValueError(error.message) from None


class CitizenCreate(BaseModel):
    cpr: Annotated[str, AfterValidator(_cpr)]
    name: str = Field(min_length=1, max_length=200)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=254)
    address: str = Field(default="", max_length=300)
    district: str = Field(default="", max_length=100)


class SubGoalCreate(BaseModel):
    title: str = Field(min_length=1, max_length=300)


class ReferralCreate(BaseModel):
    citizen: CitizenCreate
    job_goal: str = Field(min_length=1, max_length=500)
    sub_goals: list[SubGoalCreate] = Field(default=[], max_length=MAX_CHOICES)
    focus_roles: list[MentorRole] = Field(default=[], max_length=MAX_CHOICES)
    focus_areas: list[str] = Field(default=[], max_length=MAX_CHOICES)
    target_groups: list[TargetGroup] = Field(default=[], max_length=MAX_CHOICES)
    required_languages: list[Language] = Field(default=[], max_length=MAX_CHOICES)
    preferred_mentor_gender: Gender | None = None
    granted_hours_per_week: Dec2
    start_date: date
    end_date: date
    review_date: date | None = None
    legal_basis: LegalBasis = "lab"
    lab_tasks: str = Field(default="", max_length=5000)
    sel85_tasks: str = Field(default="", max_length=5000)
    tasks_can: list[TaskCan] = Field(default=[], max_length=MAX_CHOICES)
    tasks_cannot: list[TaskCannot] = Field(default=[], max_length=MAX_CHOICES)
    consent_information_exchange: bool = False
    health_information: str = Field(default="", max_length=5000)
    considerations: str = Field(default="", max_length=5000)


class TransitionCreate(BaseModel):
    reason: str = Field(default="", max_length=5000)
    outcome: Outcome | None = None


class SubGoalPublic(BaseModel):
    id: int
    position: int
    title: str


class CitizenPublic(BaseModel):
    id: int
    name: str
    cpr_masked: str
    district: str


class ReferralPublic(BaseModel):
    id: int
    status: str
    citizen_id: int
    citizen: CitizenPublic
    caseworker_id: int
    job_goal: str
    sub_goals: list[SubGoalPublic]
    focus_roles: list[str]
    focus_areas: list[str]
    target_groups: list[str]
    required_languages: list[str]
    preferred_mentor_gender: str | None
    granted_hours_per_week: Dec2
    start_date: date
    end_date: date
    review_date: date | None
    legal_basis: str
    lab_tasks: str
    sel85_tasks: str
    tasks_can: list[str]
    tasks_cannot: list[str]
    consent_information_exchange: bool
    health_information: str
    considerations: str
    mentor_id: int | None
    assigned_at: datetime | None
    outcome: str | None
    submitted_at: datetime
    closed_at: datetime | None
    hours_used: Dec2


def public(
    session: Session,
    referral: Referral,
    citizen: Citizen | None = None,
    actor: Actor | None = None,
    hours_used: Decimal | None = None,
) -> ReferralPublic:
    """The referral as the actor sees it (a caseworker: the citizen data they submitted)."""
    citizen = citizen or session.get_one(Citizen, referral.citizen_id)
    seen = citizen_seen_by(actor or Actor(None), referral, citizen)
    fields = referral.model_dump(exclude={"submitted_citizen"})
    return ReferralPublic(
        **fields,
        citizen=CitizenPublic(
            id=seen.id,
            name=seen.name,
            cpr_masked=cpr_masked(seen.cpr),
            district=seen.district,
        ),
        sub_goals=[
            SubGoalPublic(id=g.id, position=g.position, title=g.title)
            for g in referral_queries.sub_goals(session, referral.id)
        ],
        hours_used=hours_used_total(session, referral.id) if hours_used is None else hours_used,
    )


@router.post(
    "/referrals",
    status_code=201,
    response_model=ReferralPublic,
    responses={
        409: {
            "model": Error,
            "description": "The citizen has an open referral (a neutral message)",
        }
    },
)
def create_referral(
    body: ReferralCreate, session: SessionDep, actor: Actor = Depends(requires(Role.caseworker))
):
    fields = values(body, exclude={"citizen", "sub_goals"})
    draft = referral_drafts.ReferralDraft(
        citizen=body.citizen.model_dump(),
        sub_goals=[g.title for g in body.sub_goals],
        **fields,
    )
    return public(
        session, referrals.create_referral(session, actor=actor, draft=draft), actor=actor
    )


@router.get("/referrals", response_model=list[ReferralPublic])
def list_referrals(
    session: SessionDep, status: Status | None = Query(default=None), actor: Actor = Depends(READ)
):
    rows = referral_queries.list_referrals(session, actor=actor, status=status)
    citizens = referral_queries.citizens_of(session, rows)
    return [public(session, r, citizens[r.citizen_id], actor) for r in rows]


# The minutes registered on the referral, as a column of the query that loads it.
_MINUTES_USED = (
    select(sa.func.coalesce(sa.func.sum(TimeEntry.minutes), 0))
    .where(col(TimeEntry.referral_id) == col(Referral.id))
    .correlate(Referral)
    .scalar_subquery()
)


@router.get("/referrals/{referral_id}", response_model=ReferralPublic)
def get_referral(referral_id: int, session: SessionDep, actor: Actor = Depends(READ)):
    # Two queries: the referral with its citizen and hours (visibility in the same query),
    # then its sub-goals. The audit row is flushed by the commit (service/web/routing.py).
    referral, citizen, minutes = referral_queries.read_referral_with(
        session, referral_id, actor, _MINUTES_USED
    )
    hours = hours_from_minutes(int(minutes))
    return public(session, referral, citizen, actor, hours_used=hours)


@router.post(
    "/referrals/{referral_id}/confirm-citizen",
    response_model=ReferralPublic,
    summary="Copy the citizen data submitted with a referral into the citizen record",
    responses={
        404: {"model": Error, "description": "No such referral"},
        409: {"model": Error, "description": "The referral is closed"},
    },
)
def confirm_citizen(
    referral_id: int, session: SessionDep, actor: Actor = Depends(requires(Role.coordinator))
):
    referral = referrals.confirm_citizen(session, actor=actor, referral_id=referral_id)
    return public(session, referral, actor=actor)


def _action_route(action: str, roles: tuple[Role, ...]):
    guard = requires(*roles)

    def endpoint(
        referral_id: int,
        session: SessionDep,
        body: TransitionCreate | None = None,
        actor: Actor = Depends(guard),
    ):
        body = body or TransitionCreate()
        referral = referral_workflow.act(
            session,
            referral_id=referral_id,
            action=action,
            actor=actor,
            reason=body.reason,
            outcome=body.outcome,
        )
        return public(session, referral, actor=actor)

    endpoint.__name__ = f"referral_{action}"
    router.add_api_route(
        f"/referrals/{{referral_id}}/{action}",
        endpoint,
        methods=["POST"],
        response_model=ReferralPublic,
        name=f"api_referral_{action}",
        summary=f"{action.title()} a referral",
    )


for _action, (_to, _roles) in referral_workflow.ACTIONS.items():
    _action_route(_action, tuple(sorted(_roles)))
