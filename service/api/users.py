"""The users API (admin)."""

from __future__ import annotations

from fastapi import Depends
from pydantic import BaseModel, Field

from service.audit.service import Actor
from service.auth import accounts
from service.auth.models import Role
from service.web.guard import SessionDep, requires
from service.web.routing import Router

router = Router(tags=["users"])


class UserCreate(BaseModel):
    # Checked by the service (service/emailaddr.py), the same check as on the pages.
    email: str = Field(max_length=320, json_schema_extra={"format": "email"})
    name: str = Field(min_length=1, max_length=200)
    role: Role
    password: str = Field(min_length=12, max_length=200)


class UserPublic(BaseModel):
    id: int
    email: str
    name: str
    role: Role


@router.post("/users", status_code=201, response_model=UserPublic)
def create_user(
    body: UserCreate, session: SessionDep, actor: Actor = Depends(requires(Role.admin))
):
    user = accounts.create_user(
        session,
        email=body.email,
        name=body.name,
        role=body.role,
        password=body.password,
        actor=actor,
    )
    return UserPublic.model_validate(user, from_attributes=True)


@router.get("/users", response_model=list[UserPublic])
def list_users(session: SessionDep, actor: Actor = Depends(requires(Role.admin))):
    return [
        UserPublic.model_validate(u, from_attributes=True) for u in accounts.list_users(session)
    ]


@router.get("/users/me", response_model=UserPublic)
def me(actor: Actor = Depends(requires())):
    return UserPublic.model_validate(actor.user, from_attributes=True)
