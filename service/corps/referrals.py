"""Referrals (henvisninger): creating one, revising a returned one, confirming the citizen."""

from __future__ import annotations

from sqlmodel import Session, col, select

from service.audit.service import Actor, record
from service.auth.models import Role
from service.core.errors import Conflict, Forbidden, IllegalTransition, Invalid
from service.corps import vocab
from service.corps.citizens import apply_submitted, find_or_create_citizen, submitted_values
from service.corps.models import Citizen, Referral, ReferralEvent, SubGoal
from service.corps.notices import referral_submitted
from service.corps.referral_drafts import (
    PLAN_FIELDS,
    REVISABLE,
    ReferralDraft,
    draft_errors,
    draft_of,
    snapshot,
)
from service.corps.referral_queries import sub_goals, visible_referral
from service.corps.referral_workflow import transition

OPEN_STATUSES = ("submitted", "returned", "accepted", "active", "paused")
# The one answer to a referral for a citizen with an open referral: whoever holds that one,
# it tells no more (not whose, not which citizen, not that the CPR was known before).
NOT_NOW = "Borgeren kan ikke henvises nu; kontakt mentorkorpsets koordinator"


def _refuse_second_open(session: Session, citizen_id: int, but: int | None = None) -> None:
    query = select(Referral.id).where(
        Referral.citizen_id == citizen_id, col(Referral.status).in_(OPEN_STATUSES)
    )
    if but is not None:
        query = query.where(Referral.id != but)
    if session.exec(query.limit(1)).first() is not None:
        raise Conflict(NOT_NOW, field="cpr")


def create_referral(session: Session, *, actor: Actor, draft: ReferralDraft) -> Referral:
    """Create the citizen (or link the known CPR, unchanged), the referral and its sub-goals."""
    errors = draft_errors(draft)
    if errors:
        name, message = next(iter(errors.items()))
        raise Invalid(message, field=name)
    hours, start, end = draft.granted_hours_per_week, draft.start_date, draft.end_date
    assert hours is not None and start is not None and end is not None  # draft_errors checks
    citizen = find_or_create_citizen(session, actor=actor, **draft.citizen)
    _refuse_second_open(session, citizen.id)
    referral = Referral(
        citizen_id=citizen.id,
        caseworker_id=actor.user_id,
        status="submitted",
        submitted_citizen=submitted_values(draft.citizen),
        job_goal=draft.job_goal.strip(),
        focus_roles=list(draft.focus_roles),
        focus_areas=list(draft.focus_areas),
        target_groups=list(draft.target_groups),
        required_languages=list(draft.required_languages),
        preferred_mentor_gender=draft.preferred_mentor_gender,
        granted_hours_per_week=hours,
        start_date=start,
        end_date=end,
        review_date=draft.review_date,
        legal_basis=draft.legal_basis,
        lab_tasks=draft.lab_tasks.strip(),
        sel85_tasks=draft.sel85_tasks.strip(),
        tasks_can=list(draft.tasks_can),
        tasks_cannot=list(draft.tasks_cannot),
        consent_information_exchange=draft.consent_information_exchange,
        health_information=draft.health_information.strip()
        if draft.consent_information_exchange
        else "",
        considerations=draft.considerations.strip(),
    )
    session.add(referral)
    session.flush()
    goals = [g.strip() for g in draft.sub_goals if g.strip()]
    for position, title in enumerate(goals):
        session.add(SubGoal(referral_id=referral.id, position=position, title=title))
    session.add(ReferralEvent(referral_id=referral.id, user_id=actor.id, to_status="submitted"))
    session.flush()
    record(
        session,
        actor,
        "create",
        purpose="casework",
        entity="referral",
        entity_id=referral.id,
        citizen_id=citizen.id,
    )
    referral_submitted(session, referral)  # the page says it was sent to the coordinator
    return referral


def revise_returned(
    session: Session, *, actor: Actor, referral_id: int, draft: ReferralDraft
) -> Referral:
    """The caseworker changes a returned referral and resubmits it (audited before/after)."""
    referral = visible_referral(session, referral_id, actor)
    _check_revisable(referral, actor)
    errors = draft_errors(draft)
    if errors:
        name, message = next(iter(errors.items()))
        raise Invalid(message, field=name)
    before = snapshot(draft_of(session, referral))
    after = snapshot(draft)
    changed = [k for k in REVISABLE if before[k] != after[k]]
    citizen = find_or_create_citizen(session, actor=actor, **draft.citizen)
    if citizen.id != referral.citizen_id:
        _refuse_second_open(session, citizen.id, but=referral.id)
    referral.citizen_id = citizen.id
    _apply_draft(referral, draft)
    session.add(referral)
    if "sub_goals" in changed:
        _replace_sub_goals(session, referral.id, after["sub_goals"])
    session.flush()
    _audit_revision(session, actor, referral, before, after, changed)
    reason = (
        "Rettet: " + ", ".join(REVISABLE[k].lower() for k in changed) + "."
        if changed
        else "Sendt igen uden ændringer."
    )
    return transition(session, referral=referral, to_status="submitted", actor=actor, reason=reason)


def _check_revisable(referral: Referral, actor: Actor) -> None:
    if actor.role != Role.caseworker or referral.caseworker_id != actor.id:
        raise Forbidden("Kun sagsbehandleren, der har sendt henvisningen, kan rette den.")
    if referral.status != "returned":
        raise IllegalTransition(
            "Kun en henvisning, der er sendt retur, kan rettes og sendes igen "
            f"(status nu: »{vocab.STATUSES.get(referral.status, referral.status)}«)."
        )


def _apply_draft(referral: Referral, draft: ReferralDraft) -> None:
    """Copy the draft's submitted contact details and plan onto the referral, cleaned."""
    referral.submitted_citizen = submitted_values(draft.citizen)
    for name in PLAN_FIELDS:
        setattr(referral, name, getattr(draft, name))
    for name in ("job_goal", "lab_tasks", "sel85_tasks", "considerations"):
        setattr(referral, name, getattr(referral, name).strip())
    referral.health_information = (
        draft.health_information.strip() if draft.consent_information_exchange else ""
    )
    for name in ("focus_roles", "focus_areas", "target_groups", "required_languages"):
        setattr(referral, name, list(getattr(referral, name)))


def _audit_revision(
    session: Session,
    actor: Actor,
    referral: Referral,
    before: dict,
    after: dict,
    changed: list[str],
) -> None:
    detail = {
        name: {"before": before[name], "after": after[name]}
        if name != "health_information"
        else {"changed": True}  # the content stays in the referral, not in the audit trail
        for name in changed
    }
    record(
        session,
        actor,
        "update",
        purpose="casework",
        entity="referral",
        entity_id=referral.id,
        citizen_id=referral.citizen_id,
        detail={"changes": detail},
    )


def confirm_citizen(session: Session, *, actor: Actor, referral_id: int) -> Referral:
    """The coordinator copies what was submitted with the referral into the citizen record."""
    referral = visible_referral(session, referral_id, actor)
    if actor.role != Role.coordinator:
        raise Forbidden("Kun koordinatoren kan opdatere borgerens stamdata.")
    if referral.status == "closed":
        raise IllegalTransition(
            "Borgerens stamdata kan ikke opdateres fra en afsluttet henvisning."
        )
    citizen = session.get_one(Citizen, referral.citizen_id, with_for_update=True)
    apply_submitted(session, actor=actor, referral=referral, citizen=citizen)
    return referral


def _replace_sub_goals(session: Session, referral_id: int, titles: list[str]) -> None:
    """Keep sub-goals whose title is unchanged (their ids), drop the others, add new ones."""
    existing = sub_goals(session, referral_id)
    unused = {g.id: g for g in existing}
    for position, title in enumerate(titles):
        kept = next((g for g in unused.values() if g.title == title), None)
        if kept is None:
            session.add(SubGoal(referral_id=referral_id, position=position, title=title))
        else:
            del unused[kept.id]
            kept.position = position
            session.add(kept)
    for goal in unused.values():
        session.delete(goal)
