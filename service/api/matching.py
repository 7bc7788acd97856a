"""The matching API (contract: Matching): suggestions, the plan, assignment, weights, exclusions.

A plan of referral ids that do not exist or are not `accepted` is refused with 422 naming
`referral_ids` (the coordinator sees every referral, so "not visible" does not arise).
"""

from __future__ import annotations

from datetime import datetime

from fastapi import Depends, Query
from pydantic import BaseModel, Field, StrictInt

from matching.model import Suggestion
from matching.weights import CRITERIA, DEFAULT_WEIGHTS
from service.api.referrals import ReferralPublic, public
from service.audit.service import Actor
from service.auth.models import Role
from service.core.limits import MAX_CHOICES, MAX_IDS
from service.corps import exclusions, matching, weights
from service.web.guard import SessionDep, requires
from service.web.routing import Router

router = Router(tags=["matching"])
COORDINATOR = requires(Role.coordinator)


class CriterionPublic(BaseModel):
    criterion: str
    points: int
    explanation: str


class SuggestionPublic(BaseModel):
    mentor_id: int
    score: int
    breakdown: list[CriterionPublic]


def _suggestion(s: Suggestion) -> SuggestionPublic:
    parts = [
        CriterionPublic(criterion=c.criterion, points=c.points, explanation=c.explanation)
        for c in s.breakdown
    ]
    return SuggestionPublic(mentor_id=s.mentor_id, score=s.score, breakdown=parts)


@router.get("/referrals/{referral_id}/suggestions", response_model=list[SuggestionPublic])
def suggestions(
    referral_id: int,
    session: SessionDep,
    limit: int = Query(default=5, ge=1, le=50),
    actor: Actor = Depends(COORDINATOR),
):
    found = matching.suggestions(session, actor=actor, referral_id=referral_id, limit=limit)
    return [_suggestion(s) for s in found]


class PlanCreate(BaseModel):
    referral_ids: list[int] | None = Field(default=None, max_length=MAX_IDS)


class PlannedPublic(BaseModel):
    referral_id: int
    mentor_id: int
    score: int


class UnassignedPublic(BaseModel):
    referral_id: int
    reason: str


class PlanPublic(BaseModel):
    assignments: list[PlannedPublic]
    unassigned: list[UnassignedPublic]
    total_score: int
    greedy_total: int
    gap: float | None = Field(description="Proven relative optimality gap; 0.0 when optimal")
    optimal: bool


@router.post("/matching/plan", response_model=PlanPublic)
def plan(session: SessionDep, body: PlanCreate | None = None, actor: Actor = Depends(COORDINATOR)):
    body = body or PlanCreate()
    result, _ = matching.plan_referrals(session, actor=actor, referral_ids=body.referral_ids)
    return PlanPublic(
        assignments=[
            PlannedPublic(referral_id=a.referral_id, mentor_id=a.mentor_id, score=a.score)
            for a in result.assignments
        ],
        unassigned=[
            UnassignedPublic(referral_id=u.referral_id, reason=u.reason) for u in result.unassigned
        ],
        total_score=result.total_score,
        greedy_total=result.greedy_total,
        gap=result.gap,
        optimal=result.optimal,
    )


class AssignmentCreate(BaseModel):
    mentor_id: int
    reason: str = Field(default="", max_length=5000)


class AssignedPublic(ReferralPublic):
    assignment_id: int
    agreement_id: int
    score: int


@router.post("/referrals/{referral_id}/assignment", status_code=201, response_model=AssignedPublic)
def assign(
    referral_id: int,
    body: AssignmentCreate,
    session: SessionDep,
    actor: Actor = Depends(COORDINATOR),
):
    done = matching.assign(
        session, actor=actor, referral_id=referral_id, mentor_id=body.mentor_id, reason=body.reason
    )
    return AssignedPublic(
        **public(session, done.referral, actor=actor).model_dump(),
        assignment_id=done.assignment.id,
        agreement_id=done.agreement.id,
        score=done.assignment.score,
    )


class ExclusionCreate(BaseModel):
    mentor_id: int
    reason: str = Field(min_length=1, max_length=5000)


class ExclusionPublic(BaseModel):
    id: int
    citizen_id: int
    mentor_id: int
    reason: str
    created_by: int | None
    created_at: datetime


@router.post("/citizens/{citizen_id}/exclusions", status_code=201, response_model=ExclusionPublic)
def add_exclusion(
    citizen_id: int, body: ExclusionCreate, session: SessionDep, actor: Actor = Depends(COORDINATOR)
):
    row = exclusions.add_exclusion(
        session, actor=actor, citizen_id=citizen_id, mentor_id=body.mentor_id, reason=body.reason
    )
    return ExclusionPublic(**row.model_dump())


@router.get("/citizens/{citizen_id}/exclusions", response_model=list[ExclusionPublic])
def list_exclusions(citizen_id: int, session: SessionDep, actor: Actor = Depends(COORDINATOR)):
    rows = exclusions.list_exclusions(session, actor=actor, citizen_id=citizen_id)
    return [ExclusionPublic(**row.model_dump()) for row in rows]


class WeightsUpdate(BaseModel):
    weights: dict[str, StrictInt] = Field(
        max_length=MAX_CHOICES,
        description=f"Criteria to change ({', '.join(CRITERIA)}), integers 0..100; "
        "criteria left out keep their value",
    )


class WeightsPublic(BaseModel):
    weights: dict[str, int]
    defaults: dict[str, int]


@router.get("/matching/weights", response_model=WeightsPublic)
def get_weights(session: SessionDep, actor: Actor = Depends(COORDINATOR)):
    return WeightsPublic(weights=weights.current_weights(session), defaults=dict(DEFAULT_WEIGHTS))


@router.put("/matching/weights", response_model=WeightsPublic)
def put_weights(body: WeightsUpdate, session: SessionDep, actor: Actor = Depends(COORDINATOR)):
    current = weights.set_weights(session, actor=actor, weights=body.weights)
    return WeightsPublic(weights=current, defaults=dict(DEFAULT_WEIGHTS))
