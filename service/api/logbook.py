"""The logbook API: append-only entries, amendments with a reason, shown to the citizen."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from fastapi import Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from logbook import amendments, entries
from logbook.entries import EntryView
from service.api.responses import Error, Responses
from service.audit.service import Actor
from service.auth.models import Role
from service.core.limits import MAX_CHOICES
from service.web.guard import SessionDep, requires
from service.web.routing import Router

router = Router(tags=["logbook"])

WRITE = requires(Role.mentor)
AMEND = requires(Role.mentor, Role.coordinator)
# Finance never sees logbook text.
READ = requires(Role.mentor, Role.coordinator, Role.caseworker, Role.admin)
ANY = requires()

Kind = Literal["conversation", "meeting", "three_party_meeting", "phone", "accompaniment", "other"]
Observation = Literal[
    "social_anxiety_support",
    "health_relapse",
    "health_progress",
    "lost_overview",
    "misunderstood_activity",
    "not_following_treatment",
    "increased_motivation",
]


class EntryCreate(BaseModel):
    occurred_on: date
    kind: Kind
    text: str = Field(min_length=1, max_length=entries.MAX_TEXT)
    sub_goal_ids: list[int] = Field(default_factory=list, max_length=MAX_CHOICES)
    observations: list[Observation] = Field(default_factory=list, max_length=MAX_CHOICES)
    progress: Literal[-1, 0, 1] | None = None
    shown_to_citizen: bool = False


class AmendmentCreate(BaseModel):
    text: str = Field(min_length=1, max_length=entries.MAX_TEXT)
    reason: str = Field(min_length=1, max_length=2000)


class VersionPublic(BaseModel):
    version: int
    text: str
    reason: str
    author_id: int
    created_at: datetime


class EntryPublic(BaseModel):
    id: int
    referral_id: int
    occurred_on: date
    kind: str
    text: str
    version: int
    sub_goal_ids: list[int]
    observations: list[str]
    progress: int | None
    needs_caseworker: bool = Field(
        description="True when an observation needs the caseworker's attention"
    )
    shown_to_citizen: bool
    shown_at: datetime | None
    author_id: int
    created_at: datetime
    updated_at: datetime = Field(description="When the current version was written")
    updated_by: int = Field(description="Author of the current version")


class EntryDetailPublic(EntryPublic):
    history: list[VersionPublic] = Field(description="Every earlier version, oldest first")


def entry_public(view: EntryView) -> dict:
    e = view.entry
    return {
        "id": e.id,
        "referral_id": e.referral_id,
        "occurred_on": e.occurred_on,
        "kind": e.kind,
        "text": view.text,
        "version": view.version,
        "sub_goal_ids": e.sub_goal_ids,
        "observations": e.observations,
        "progress": e.progress,
        "needs_caseworker": bool(view.needs_caseworker),
        "shown_to_citizen": view.shown is not None,
        "shown_at": view.shown.at if view.shown else None,
        "author_id": e.author_id,
        "created_at": e.created_at,
        "updated_at": view.current.created_at,
        "updated_by": view.current.author_id,
    }


def entry_detail(view: EntryView) -> EntryDetailPublic:
    history = [VersionPublic.model_validate(v, from_attributes=True) for v in view.history]
    return EntryDetailPublic(**entry_public(view), history=history)


@router.post("/referrals/{referral_id}/logbook", status_code=201, response_model=EntryDetailPublic)
def create_entry(
    referral_id: int, body: EntryCreate, session: SessionDep, actor: Actor = Depends(WRITE)
):
    view = entries.create_entry(
        session=session,
        actor=actor,
        referral_id=referral_id,
        occurred_on=body.occurred_on,
        kind=body.kind,
        text=body.text,
        sub_goal_ids=body.sub_goal_ids,
        observations=body.observations,
        progress=body.progress,
        shown_to_citizen=body.shown_to_citizen,
    )
    return entry_detail(view)


@router.get("/referrals/{referral_id}/logbook", response_model=list[EntryPublic])
def list_entries(referral_id: int, session: SessionDep, actor: Actor = Depends(READ)):
    views = entries.list_entries(session=session, actor=actor, referral_id=referral_id)
    return [EntryPublic(**entry_public(v)) for v in views]


@router.get("/logbook/{entry_id}", response_model=EntryDetailPublic)
def get_entry(entry_id: int, session: SessionDep, actor: Actor = Depends(READ)):
    return entry_detail(entries.get_entry(session=session, actor=actor, entry_id=entry_id))


@router.post("/logbook/{entry_id}/amendments", status_code=201, response_model=EntryDetailPublic)
def amend_entry(
    entry_id: int, body: AmendmentCreate, session: SessionDep, actor: Actor = Depends(AMEND)
):
    view = amendments.amend_entry(
        session=session, actor=actor, entry_id=entry_id, text=body.text, reason=body.reason
    )
    return entry_detail(view)


@router.post("/logbook/{entry_id}/shown", response_model=EntryDetailPublic)
def mark_shown(entry_id: int, session: SessionDep, actor: Actor = Depends(AMEND)):
    return entry_detail(amendments.mark_shown(session=session, actor=actor, entry_id=entry_id))


NOT_ALLOWED: Responses = {
    405: {
        "model": Error,
        "description": "Entries are never changed or deleted; POST an amendment instead",
    }
}


def refuse_change(entry_id: int, actor: Actor = Depends(ANY)):
    """Entries are append-only: changing or deleting one is refused with 405."""
    return JSONResponse(
        {
            "detail": "Logbogsnotater kan ikke ændres eller slettes. "
            f"Ret med POST /api/v1/logbook/{entry_id}/amendments."
        },
        status_code=405,
        headers={"Allow": "GET"},
    )


for _method in ("PUT", "PATCH", "DELETE"):
    router.add_api_route(
        "/logbook/{entry_id}",
        refuse_change,
        methods=[_method],
        status_code=405,
        responses=NOT_ALLOWED,
        summary=f"{_method} refused: logbook entries are append-only",
        operation_id=f"refuse_{_method.lower()}_logbook_entry",
    )
