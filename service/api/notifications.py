"""The notifications API: the current user's inbox (every role)."""

from __future__ import annotations

from datetime import datetime

from fastapi import Depends, Response
from pydantic import BaseModel

from service.audit.service import Actor
from service.notifications import inbox
from service.web.guard import SessionDep, requires
from service.web.routing import Router

router = Router(tags=["notifications"])


class NotificationPublic(BaseModel):
    id: int
    kind: str
    text: str
    created_at: datetime
    read: bool
    referral_id: int | None


@router.get("/notifications", response_model=list[NotificationPublic])
def list_notifications(
    session: SessionDep, unread: bool = False, actor: Actor = Depends(requires())
):
    rows = inbox.list_for(session, user_id=actor.user_id, unread=unread)
    return [
        NotificationPublic(
            id=row.id,
            kind=row.kind,
            text=row.text,
            created_at=row.created_at,
            read=row.read_at is not None,
            referral_id=row.referral_id,
        )
        for row in rows
    ]


@router.post("/notifications/{notification_id}/read", status_code=204)
def mark_read(notification_id: int, session: SessionDep, actor: Actor = Depends(requires())):
    inbox.mark_read(session, user_id=actor.user_id, notification_id=notification_id)
    return Response(status_code=204)
