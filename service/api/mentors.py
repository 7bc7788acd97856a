"""The mentors API: profiles, absences and hourly rates (contract: Mentors)."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import Depends
from pydantic import BaseModel, Field, model_validator

from reports import rates
from service.api.codes import (
    AbsenceKind,
    BackgroundArea,
    Employment,
    Gender,
    Language,
    MentorRole,
    TargetGroup,
)
from service.api.types import Dec2
from service.audit.service import Actor
from service.auth.models import Role
from service.core.errors import Invalid
from service.core.limits import MAX_CHOICES
from service.corps import mentors
from service.corps.models import Mentor
from service.web.guard import SessionDep, requires
from service.web.routing import Router

router = Router(tags=["mentors"])
WRITE = requires(Role.coordinator, Role.admin)
READ = requires(Role.coordinator, Role.admin, Role.mentor)
RATES = requires(Role.coordinator, Role.admin, Role.finance)


class MentorFields(BaseModel):
    gender: Gender | None = None
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    languages: list[Language] = Field(default=[], max_length=MAX_CHOICES)
    background_areas: list[BackgroundArea] = Field(default=[], max_length=MAX_CHOICES)
    target_groups: list[TargetGroup] = Field(default=[], max_length=MAX_CHOICES)
    roles: list[MentorRole] = Field(default=[], max_length=MAX_CHOICES)
    district: str = Field(default="", max_length=100)
    weekly_hours: Dec2
    max_caseload: int = Field(ge=0, le=100)
    employment: Employment = "full_time"
    active: bool = True
    presentation: str = Field(default="", max_length=5000)


class MentorCreate(MentorFields):
    user_id: int


class MentorUpdate(BaseModel):
    gender: Gender | None = None
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    languages: list[Language] | None = Field(default=None, max_length=MAX_CHOICES)
    background_areas: list[BackgroundArea] | None = Field(default=None, max_length=MAX_CHOICES)
    target_groups: list[TargetGroup] | None = Field(default=None, max_length=MAX_CHOICES)
    roles: list[MentorRole] | None = Field(default=None, max_length=MAX_CHOICES)
    district: str | None = Field(default=None, max_length=100)
    weekly_hours: Dec2 | None = None
    max_caseload: int | None = Field(default=None, ge=0, le=100)
    employment: Employment | None = None
    active: bool | None = None
    presentation: str | None = Field(default=None, max_length=5000)


class MentorPublic(MentorFields):
    id: int
    user_id: int
    created_at: datetime


class AbsenceCreate(BaseModel):
    start: date
    end: date
    kind: AbsenceKind
    note: str = Field(default="", max_length=500)

    @model_validator(mode="after")
    def _end_after_start(self):
        if self.end < self.start:
            raise ValueError("end must not be before start")
        return self


class AbsencePublic(AbsenceCreate):
    id: int
    mentor_id: int


class RateCreate(BaseModel):
    valid_from: date
    hourly_rate: Dec2


class RatePublic(RateCreate):
    id: int
    mentor_id: int


def values(model: BaseModel, *, exclude=(), only_set: bool = False) -> dict:
    """The model's fields as Python values (model_dump would turn Dec2 into strings)."""
    names = model.model_fields_set if only_set else type(model).model_fields
    return {name: getattr(model, name) for name in names if name not in exclude}


def public(mentor: Mentor) -> MentorPublic:
    return MentorPublic.model_validate(mentor, from_attributes=True)


@router.post("/mentors", status_code=201, response_model=MentorPublic)
def create_mentor(body: MentorCreate, session: SessionDep, actor: Actor = Depends(WRITE)):
    fields = values(body, exclude={"user_id"})
    return public(mentors.create_mentor(session, actor=actor, user_id=body.user_id, **fields))


@router.get("/mentors", response_model=list[MentorPublic])
def list_mentors(session: SessionDep, actor: Actor = Depends(READ)):
    return [public(mentor) for mentor, _user, _load in mentors.list_mentors(session, actor)]


@router.get("/mentors/{mentor_id}", response_model=MentorPublic)
def get_mentor(mentor_id: int, session: SessionDep, actor: Actor = Depends(READ)):
    return public(mentors.visible_mentor(session, mentor_id, actor))


@router.patch("/mentors/{mentor_id}", response_model=MentorPublic)
def patch_mentor(
    mentor_id: int, body: MentorUpdate, session: SessionDep, actor: Actor = Depends(WRITE)
):
    mentor = mentors.visible_mentor(session, mentor_id, actor)
    changes = values(body, only_set=True)
    for name, value in changes.items():
        if value is None and name not in ("gender", "birth_year"):
            raise Invalid("Feltet må ikke være tomt.", field=name)
    return public(mentors.update_mentor(session, actor=actor, mentor=mentor, **changes))


@router.post("/mentors/{mentor_id}/absences", status_code=201, response_model=AbsencePublic)
def add_absence(
    mentor_id: int, body: AbsenceCreate, session: SessionDep, actor: Actor = Depends(WRITE)
):
    mentor = mentors.visible_mentor(session, mentor_id, actor)
    absence = mentors.add_absence(session, actor=actor, mentor=mentor, **values(body))
    return AbsencePublic.model_validate(absence, from_attributes=True)


@router.get("/mentors/{mentor_id}/absences", response_model=list[AbsencePublic])
def list_absences(mentor_id: int, session: SessionDep, actor: Actor = Depends(READ)):
    mentor = mentors.visible_mentor(session, mentor_id, actor)
    return [
        AbsencePublic.model_validate(a, from_attributes=True)
        for a in mentors.mentor_absences(session, mentor.id)
    ]


@router.post("/mentors/{mentor_id}/rates", status_code=201, response_model=RatePublic)
def add_rate(mentor_id: int, body: RateCreate, session: SessionDep, actor: Actor = Depends(RATES)):
    mentor = mentors.visible_mentor(session, mentor_id, actor)
    rate = rates.add_rate(session, actor=actor, mentor=mentor, **values(body))
    return RatePublic.model_validate(rate, from_attributes=True)


@router.get("/mentors/{mentor_id}/rates", response_model=list[RatePublic])
def list_rates(mentor_id: int, session: SessionDep, actor: Actor = Depends(RATES)):
    mentor = mentors.visible_mentor(session, mentor_id, actor)
    return [
        RatePublic.model_validate(r, from_attributes=True) for r in rates.rates(session, mentor.id)
    ]
