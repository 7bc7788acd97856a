"""Citizen access (aktindsigt): the export of everything stored on a citizen."""

from __future__ import annotations

from fastapi import Depends

from logbook import access
from service.audit.service import Actor
from service.auth.models import Role
from service.web.guard import SessionDep, requires
from service.web.routing import Router

router = Router(tags=["citizen access"])


@router.get("/citizens/{citizen_id}/access-export")
def access_export(
    citizen_id: int,
    session: SessionDep,
    actor: Actor = Depends(requires(Role.coordinator, Role.admin)),
) -> dict:
    """Referrals, every logbook version, time entries and the audit trail of the citizen."""
    return access.citizen_export(session=session, actor=actor, citizen_id=citizen_id)
