"""Write and query the audit trail. Rows are added in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlmodel import Session, col, select

from service.audit.models import AuditEvent
from service.core.db import redo_after_rollback
from service.core.errors import Forbidden

# What an answer showed: recorded even when the request's change is rolled back (a page
# answering 422 still showed the citizen's data). service/core/db.py runs the redo.
SHOWN = frozenset({"read", "search"})


class ActingUser(Protocol):
    """The signed-in user an Actor carries (a `service.auth.models.User`).

    Described here rather than imported, so that the audit trail sits below the accounts.
    """

    @property
    def id(self) -> int: ...
    @property
    def email(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def role(self) -> str: ...


@dataclass(frozen=True)
class Actor:
    """Who acts, and from where; every service that touches citizen data takes one."""

    user: ActingUser | None
    ip: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def id(self) -> int | None:
        return self.user.id if self.user else None

    @property
    def user_id(self) -> int:
        """The acting user's id, for rows that name who made them (only a user makes them)."""
        if self.user is None:
            raise Forbidden("Handlingen kræver en bruger")
        return self.user.id

    @property
    def role(self) -> str | None:
        return self.user.role if self.user else None


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    purpose: str,
    entity: str,
    entity_id: int | None = None,
    citizen_id: int | None = None,
    detail: dict | None = None,
    actor_label: str = "",
) -> None:
    """Add one audit row to the current transaction."""
    values: dict[str, Any] = {
        "user_id": actor.id,
        "actor": actor_label or (actor.user.email if actor.user else ""),
        "action": action,
        "purpose": purpose,
        "entity": entity,
        "entity_id": entity_id,
        "citizen_id": citizen_id,
        "ip": actor.ip,
        "detail": detail or {},
    }
    event = AuditEvent(**values)
    session.add(event)
    if action in SHOWN:
        redo_after_rollback(session, lambda again: again.add(AuditEvent(**values, at=event.at)))


@dataclass(frozen=True)
class AuditFilter:
    citizen_id: int | None = None
    user_id: int | None = None
    citizen_ids: frozenset[int] | None = None  # any of these (none: no row)
    user_ids: frozenset[int] | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def search(
    session: Session, flt: AuditFilter, *, limit: int = 100, offset: int = 0
) -> list[AuditEvent]:
    """Return audit rows matching the filter, newest first."""
    query = select(AuditEvent)
    if flt.citizen_id is not None:
        query = query.where(AuditEvent.citizen_id == flt.citizen_id)
    if flt.user_id is not None:
        query = query.where(AuditEvent.user_id == flt.user_id)
    if flt.citizen_ids is not None:
        query = query.where(col(AuditEvent.citizen_id).in_(flt.citizen_ids or {0}))
    if flt.user_ids is not None:
        query = query.where(col(AuditEvent.user_id).in_(flt.user_ids or {0}))
    if flt.action:
        query = query.where(AuditEvent.action == flt.action)
    if flt.since:
        query = query.where(AuditEvent.at >= flt.since)
    if flt.until:
        query = query.where(AuditEvent.at < flt.until)
    query = query.order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    return list(session.exec(query.offset(offset).limit(limit)))


def citizen_trail(session: Session, citizen_id: int) -> list[AuditEvent]:
    """Who read or changed this citizen's records, when and why (C-579/21), oldest first."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.citizen_id == citizen_id)
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
    )
    return list(session.exec(query))
