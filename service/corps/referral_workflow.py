"""The referral's status workflow: which status may follow which, by whom, and the move."""

from __future__ import annotations

from sqlmodel import Session

from service.audit.service import Actor, record
from service.auth.models import Role
from service.core.clock import utcnow
from service.core.errors import Forbidden, IllegalTransition, Invalid, NotFound
from service.corps import vocab
from service.corps.models import Referral, ReferralEvent
from service.corps.notices import referral_returned, referral_submitted
from service.corps.referral_queries import visible_referral
from vocabulary.corps import REFERRAL_ACTIONS

# Which status may follow which (contract: Referrals). `active` from `accepted` is assignment.
ALLOWED: dict[str, frozenset[str]] = {
    "submitted": frozenset({"accepted", "returned", "closed"}),
    "returned": frozenset({"submitted", "closed"}),
    "accepted": frozenset({"active", "closed"}),
    "active": frozenset({"paused", "closed"}),
    "paused": frozenset({"active", "closed"}),
    "closed": frozenset(),
}
NEEDS_REASON = frozenset({"returned", "paused", "closed"})

# The actions of the API and pages: action → (target status, roles that may use it).
ACTIONS: dict[str, tuple[str, frozenset[Role]]] = {
    "accept": ("accepted", frozenset({Role.coordinator})),
    "return": ("returned", frozenset({Role.coordinator})),
    "resubmit": ("submitted", frozenset({Role.caseworker})),
    "pause": ("paused", frozenset({Role.coordinator})),
    "resume": ("active", frozenset({Role.coordinator})),
    "close": ("closed", frozenset({Role.coordinator, Role.caseworker})),
}
# The status an action starts from, where only one is legal (close: any open status).
ACTION_FROM = {
    "accept": {"submitted"},
    "return": {"submitted"},
    "resubmit": {"returned"},
    "pause": {"active"},
    "resume": {"paused"},
    "close": set(ALLOWED) - {"closed"},
}
ACTION_LABELS = REFERRAL_ACTIONS


def transition(
    session: Session,
    *,
    referral: Referral,
    to_status: str,
    actor: Actor,
    reason: str = "",
    outcome: str | None = None,
) -> Referral:
    """Move the referral to a new status (contract workflow), with an event and audit row."""
    from_status = referral.status
    if to_status not in ALLOWED.get(from_status, ()):
        raise IllegalTransition(
            f"En henvisning med status »{vocab.STATUSES.get(from_status, from_status)}« "
            f"kan ikke få status »{vocab.STATUSES.get(to_status, to_status)}«."
        )
    reason = (reason or "").strip()
    if to_status in NEEDS_REASON and not reason:
        raise Invalid("Skriv en begrundelse.", field="reason")
    if to_status == "closed":
        if outcome not in vocab.OUTCOMES:
            raise Invalid("Vælg forløbets resultat.", field="outcome")
        referral.outcome = outcome
        referral.closed_at = utcnow()
    if to_status == "active":
        if referral.mentor_id is None:
            raise IllegalTransition("Henvisningen kan ikke blive aktiv uden en mentor.")
        if referral.assigned_at is None:
            referral.assigned_at = utcnow()
    if to_status == "submitted":
        referral.submitted_at = utcnow()  # the waiting time starts again on resubmission
    referral.status = to_status
    session.add(referral)
    detail = {"outcome": outcome} if to_status == "closed" else {}
    session.add(
        ReferralEvent(
            referral_id=referral.id,
            user_id=actor.id,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            detail=detail,
        )
    )
    session.flush()
    record(
        session,
        actor,
        "transition",
        purpose="casework",
        entity="referral",
        entity_id=referral.id,
        citizen_id=referral.citizen_id,
        detail={"from": from_status, "to": to_status, **detail},
    )
    if to_status == "returned":
        referral_returned(session, referral)
    if to_status == "submitted":  # a resubmission: the coordinators see it again
        referral_submitted(session, referral, again=True)
    return referral


def act(
    session: Session,
    *,
    referral_id: int,
    action: str,
    actor: Actor,
    reason: str = "",
    outcome: str | None = None,
) -> Referral:
    """Perform a named action (accept, return, …) as the actor's role allows."""
    if action not in ACTIONS:
        raise NotFound("Handlingen findes ikke.")
    referral = visible_referral(session, referral_id, actor)
    to_status, roles = ACTIONS[action]
    if actor.role not in roles:
        raise Forbidden("Din rolle giver ikke adgang til denne handling.")
    if referral.status not in ACTION_FROM[action]:
        raise IllegalTransition(
            f"»{ACTION_LABELS[action]}« kan ikke bruges på en henvisning med status "
            f"»{vocab.STATUSES.get(referral.status, referral.status)}«."
        )
    return transition(
        session, referral=referral, to_status=to_status, actor=actor, reason=reason, outcome=outcome
    )


def actions_for(referral: Referral, actor: Actor) -> list[str]:
    """The actions this actor may use on the referral now."""
    if referral.status == "closed":
        return []
    own = actor.role != Role.caseworker or referral.caseworker_id == actor.id
    return [
        name
        for name, (_to, roles) in ACTIONS.items()
        if actor.role in roles and own and referral.status in ACTION_FROM[name]
    ]
