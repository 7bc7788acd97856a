"""Referrals (henvisninger): creation, visibility, the status workflow and the inbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, func, select

from reports.core.danish import local_date
from reports.core.money import hours_from_minutes
from service.audit.service import Actor, record
from service.core.clock import utcnow
from service.core.errors import Conflict, Forbidden, IllegalTransition, Invalid, NotFound
from service.core.formatting import cpr_masked
from service.core.workdays import working_days_between
from service.corps import vocab
from service.corps.citizens import (
    CONTACT_FIELDS,
    CitizenView,
    apply_submitted,
    citizen_errors,
    citizen_seen_by,
    find_or_create_citizen,
    submitted_values,
)
from service.corps.cpr import normalise_cpr
from service.corps.mentors import mentor_of_user
from service.corps.models import Citizen, Referral, ReferralEvent, SubGoal

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
ACTIONS: dict[str, tuple[str, frozenset[str]]] = {
    "accept": ("accepted", frozenset({"coordinator"})),
    "return": ("returned", frozenset({"coordinator"})),
    "resubmit": ("submitted", frozenset({"caseworker"})),
    "pause": ("paused", frozenset({"coordinator"})),
    "resume": ("active", frozenset({"coordinator"})),
    "close": ("closed", frozenset({"coordinator", "caseworker"})),
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
ACTION_LABELS = {
    "accept": "Godkend",
    "return": "Send retur",
    "resubmit": "Send igen",
    "pause": "Sæt på pause",
    "resume": "Genoptag",
    "close": "Afslut",
}
OPEN_STATUSES = ("submitted", "returned", "accepted", "active", "paused")
# The one answer to a referral for a citizen with an open referral: whoever holds that one,
# it tells no more (not whose, not which citizen, not that the CPR was known before).
NOT_NOW = "Borgeren kan ikke henvises nu; kontakt mentorkorpsets koordinator"


@dataclass
class ReferralDraft:
    """What a caseworker fills in on the referral form (or sends to the API)."""

    citizen: dict = field(default_factory=dict)
    job_goal: str = ""
    sub_goals: list[str] = field(default_factory=list)
    focus_roles: list[str] = field(default_factory=list)
    focus_areas: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    required_languages: list[str] = field(default_factory=list)
    preferred_mentor_gender: str | None = None
    granted_hours_per_week: Decimal | None = None
    start_date: date | None = None
    end_date: date | None = None
    review_date: date | None = None
    legal_basis: str = "lab"
    lab_tasks: str = ""
    sel85_tasks: str = ""
    tasks_can: list[str] = field(default_factory=list)
    tasks_cannot: list[str] = field(default_factory=list)
    consent_information_exchange: bool = False
    health_information: str = ""
    considerations: str = ""


def _unknown(values, allowed) -> list[str]:
    return [str(v) for v in values if v not in allowed]


def draft_errors(draft: ReferralDraft, *, form: bool = False) -> dict[str, str]:
    """Danish errors by field; `form` adds the stricter rules of the referral form."""
    errors = citizen_errors(draft.citizen)
    if not draft.job_goal.strip():
        errors["job_goal"] = "Skriv borgerens job- eller uddannelsesmål."
    elif len(draft.job_goal) > 500:
        errors["job_goal"] = "Målet må højst være 500 tegn."
    goals = [g for g in draft.sub_goals if g.strip()]
    if any(len(g) > 300 for g in goals):
        errors["sub_goals"] = "Et delmål må højst være 300 tegn."
    elif form and not goals:
        errors["sub_goals"] = "Skriv mindst ét delmål fra rehabiliteringsplanen."
    if bad := _unknown(draft.focus_roles, vocab.ROLES):
        errors["focus_roles"] = f"Ukendt fokusrolle: {', '.join(bad)}."
    elif form and not draft.focus_roles:
        errors["focus_roles"] = "Vælg mindst én fokusrolle."
    areas = {a for r in draft.focus_roles if r in vocab.ROLE_AREAS for a in vocab.ROLE_AREAS[r]}
    if bad := _unknown(draft.focus_areas, areas):
        errors["focus_areas"] = "Delområderne skal høre til en valgt fokusrolle."
    if bad := _unknown(draft.target_groups, vocab.TARGET_GROUPS):
        errors["target_groups"] = f"Ukendt målgruppe: {', '.join(bad)}."
    if bad := _unknown(draft.required_languages, vocab.LANGUAGES):
        errors["required_languages"] = f"Ukendt sprog: {', '.join(bad)}."
    gender = draft.preferred_mentor_gender
    if gender is not None and gender not in vocab.GENDERS:
        errors["preferred_mentor_gender"] = "Ukendt køn."
    hours = draft.granted_hours_per_week
    if hours is None:
        errors.setdefault("granted_hours_per_week", "Skriv de bevilgede timer pr. uge.")
    elif not Decimal(0) < hours <= Decimal(40):
        errors["granted_hours_per_week"] = "Timer pr. uge skal være over 0 og højst 40."
    if draft.start_date is None:
        errors.setdefault("start_date", "Skriv startdatoen.")
    if draft.end_date is None:
        errors.setdefault("end_date", "Skriv slutdatoen.")
    elif draft.start_date and draft.end_date < draft.start_date:
        errors["end_date"] = "Slutdatoen må ikke ligge før startdatoen."
    review = draft.review_date
    if (
        review
        and draft.start_date
        and draft.end_date
        and not (draft.start_date <= review <= draft.end_date)
    ):
        errors["review_date"] = "Opfølgningsdatoen skal ligge i perioden."
    if draft.legal_basis not in vocab.LEGAL_BASES:
        errors["legal_basis"] = "Vælg lovgrundlag: LAB eller LAB og serviceloven  85."
    elif form and draft.legal_basis == "lab_and_sel85":
        if not draft.lab_tasks.strip():
            errors["lab_tasks"] = "Skriv hvilke opgaver der hører under LAB."
        if not draft.sel85_tasks.strip():
            errors["sel85_tasks"] = "Skriv hvilke opgaver der hører under serviceloven  85."
    if bad := _unknown(draft.tasks_can, vocab.TASKS_CAN):
        errors["tasks_can"] = f"Ukendt opgave: {', '.join(bad)}."
    if bad := _unknown(draft.tasks_cannot, vocab.TASKS_CANNOT):
        errors["tasks_cannot"] = f"Ukendt opgave: {', '.join(bad)}."
    if draft.health_information.strip() and not draft.consent_information_exchange:
        errors["health_information"] = (
            "Helbredsoplysninger kan kun gives, når borgeren har givet samtykke."
        )
    return errors


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
    return referral


# The fields a caseworker may change on a returned referral, with their Danish labels.
REVISABLE = {
    "cpr": "CPR-nummer",
    "name": "Navn",
    "phone": "Telefon",
    "email": "E-mail",
    "address": "Adresse",
    "district": "Distrikt",
    "job_goal": "Mål",
    "sub_goals": "Delmål",
    "focus_roles": "Fokusroller",
    "focus_areas": "Delområder",
    "target_groups": "Målgrupper",
    "required_languages": "Sprog",
    "preferred_mentor_gender": "Ønsket køn",
    "granted_hours_per_week": "Timer pr. uge",
    "start_date": "Startdato",
    "end_date": "Slutdato",
    "review_date": "Opfølgningsdato",
    "legal_basis": "Lovgrundlag",
    "lab_tasks": "Opgaver efter LAB",
    "sel85_tasks": "Opgaver efter  85",
    "tasks_can": "Opgaven kan være",
    "tasks_cannot": "Opgaven kan ikke være",
    "consent_information_exchange": "Samtykke",
    "health_information": "Helbredsoplysninger",
    "considerations": "Særlige hensyn",
}
_PLAN_FIELDS = tuple(k for k in REVISABLE if k not in (*CONTACT_FIELDS, "cpr", "sub_goals"))


def draft_of(session: Session, referral: Referral) -> ReferralDraft:
    """The referral as its caseworker submitted it (the CPR in full: audit it at display)."""
    citizen = session.get_one(Citizen, referral.citizen_id)
    return ReferralDraft(
        citizen={"cpr": citizen.cpr, **submitted_values(referral.submitted_citizen or {})},
        sub_goals=[g.title for g in sub_goals(session, referral.id)],
        **{k: getattr(referral, k) for k in _PLAN_FIELDS},
    )


def _snapshot(draft: ReferralDraft) -> dict:
    """Comparable, JSON-safe values of a draft (CPR masked, health information left out)."""
    values: dict = {k: (draft.citizen.get(k) or "").strip() for k in CONTACT_FIELDS}
    values["cpr"] = cpr_masked(normalise_cpr(draft.citizen.get("cpr") or ""))
    values["sub_goals"] = [g.strip() for g in draft.sub_goals if g.strip()]
    for name in _PLAN_FIELDS:
        value = getattr(draft, name)
        if isinstance(value, str):
            value = value.strip()
        elif isinstance(value, Decimal):
            value = str(value.quantize(Decimal("0.01")))
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, list):
            value = sorted(value)  # a choice, not a sequence: order is no change
        values[name] = value
    if not draft.consent_information_exchange:
        values["health_information"] = ""
    return values


def revise_returned(
    session: Session, *, actor: Actor, referral_id: int, draft: ReferralDraft
) -> Referral:
    """The caseworker changes a returned referral and resubmits it (audited before/after)."""
    referral = visible_referral(session, referral_id, actor)
    if actor.role != "caseworker" or referral.caseworker_id != actor.id:
        raise Forbidden("Kun sagsbehandleren, der har sendt henvisningen, kan rette den.")
    if referral.status != "returned":
        raise IllegalTransition(
            "Kun en henvisning, der er sendt retur, kan rettes og sendes igen "
            f"(status nu: »{vocab.STATUSES.get(referral.status, referral.status)}«)."
        )
    errors = draft_errors(draft)
    if errors:
        name, message = next(iter(errors.items()))
        raise Invalid(message, field=name)
    before = _snapshot(draft_of(session, referral))
    after = _snapshot(draft)
    changed = [k for k in REVISABLE if before[k] != after[k]]
    citizen = find_or_create_citizen(session, actor=actor, **draft.citizen)
    if citizen.id != referral.citizen_id:
        _refuse_second_open(session, citizen.id, but=referral.id)
    referral.citizen_id = citizen.id
    referral.submitted_citizen = submitted_values(draft.citizen)
    for name in _PLAN_FIELDS:
        setattr(referral, name, getattr(draft, name))
    for name in ("job_goal", "lab_tasks", "sel85_tasks", "considerations"):
        setattr(referral, name, getattr(referral, name).strip())
    referral.health_information = (
        draft.health_information.strip() if draft.consent_information_exchange else ""
    )
    for name in ("focus_roles", "focus_areas", "target_groups", "required_languages"):
        setattr(referral, name, list(getattr(referral, name)))
    session.add(referral)
    if "sub_goals" in changed:
        _replace_sub_goals(session, referral.id, after["sub_goals"])
    session.flush()
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
        citizen_id=citizen.id,
        detail={"changes": detail},
    )
    reason = (
        "Rettet: " + ", ".join(REVISABLE[k].lower() for k in changed) + "."
        if changed
        else "Sendt igen uden ændringer."
    )
    return transition(session, referral=referral, to_status="submitted", actor=actor, reason=reason)


def confirm_citizen(session: Session, *, actor: Actor, referral_id: int) -> Referral:
    """The coordinator copies what was submitted with the referral into the citizen record."""
    referral = visible_referral(session, referral_id, actor)
    if actor.role != "coordinator":
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


def _is_visible(session: Session, referral: Referral, actor: Actor) -> bool:
    if actor.role in ("coordinator", "admin"):
        return True
    if actor.role == "caseworker":
        return referral.caseworker_id == actor.id
    if actor.role == "mentor":
        mentor = mentor_of_user(session, actor.id)
        return mentor is not None and referral.mentor_id == mentor.id
    return False


def visible_referral(session: Session, referral_id: int, actor: Actor) -> Referral:
    """Return the referral if the actor may see it, else raise NotFound (no audit row)."""
    referral = session.get(Referral, referral_id)
    if referral is None or not _is_visible(session, referral, actor):
        raise NotFound("Henvisningen findes ikke.")
    return referral


def read_referral(
    session: Session, referral_id: int, actor: Actor, purpose: str = "casework"
) -> Referral:
    """Return a visible referral and audit the read."""
    referral = visible_referral(session, referral_id, actor)
    record(
        session,
        actor,
        "read",
        purpose=purpose,
        entity="referral",
        entity_id=referral.id,
        citizen_id=referral.citizen_id,
    )
    return referral


def list_referrals(
    session: Session, *, actor: Actor, status: str | None = None, purpose: str = "casework"
) -> list[Referral]:
    """The referrals the actor may see (newest first), one audited search row per citizen."""
    query = select(Referral)
    if status:
        query = query.where(Referral.status == status)
    if actor.role == "caseworker":
        query = query.where(Referral.caseworker_id == actor.id)
    elif actor.role == "mentor":
        mentor = mentor_of_user(session, actor.id)
        query = query.where(Referral.mentor_id == (mentor.id if mentor else -1))
    elif actor.role not in ("coordinator", "admin"):
        return []
    rows = list(session.exec(query.order_by(col(Referral.submitted_at).desc(), col(Referral.id))))
    _audit_listing(session, actor, rows, purpose)
    return rows


def _audit_listing(session: Session, actor: Actor, rows: list[Referral], purpose: str) -> None:
    for citizen_id in sorted({r.citizen_id for r in rows}):
        record(
            session,
            actor,
            "search",
            purpose=purpose,
            entity="referral",
            citizen_id=citizen_id,
        )


def citizens_of(session: Session, referrals: list[Referral]) -> dict[int, Citizen]:
    """The citizens of these referrals by id."""
    ids = {r.citizen_id for r in referrals}
    if not ids:
        return {}
    return {c.id: c for c in session.exec(select(Citizen).where(col(Citizen.id).in_(ids)))}


def citizens_seen(
    session: Session, actor: Actor, referrals: list[Referral]
) -> dict[int, CitizenView]:
    """The citizen of each referral (by referral id) as the actor may see it."""
    citizens = citizens_of(session, referrals)
    return {r.id: citizen_seen_by(actor, r, citizens[r.citizen_id]) for r in referrals}


def sub_goals(session: Session, referral_id: int) -> list[SubGoal]:
    """The referral's sub-goals in order."""
    query = select(SubGoal).where(SubGoal.referral_id == referral_id)
    return list(session.exec(query.order_by(col(SubGoal.position), col(SubGoal.id))))


def events(session: Session, referral_id: int) -> list[ReferralEvent]:
    """The referral's status history, oldest first."""
    query = select(ReferralEvent).where(ReferralEvent.referral_id == referral_id)
    return list(session.exec(query.order_by(col(ReferralEvent.at), col(ReferralEvent.id))))


def last_return_reason(session: Session, referral_id: int) -> str:
    """The reason of the newest return, or ''."""
    query = (
        select(ReferralEvent.reason)
        .where(ReferralEvent.referral_id == referral_id, ReferralEvent.to_status == "returned")
        .order_by(col(ReferralEvent.at).desc(), col(ReferralEvent.id).desc())
    )
    return session.exec(query.limit(1)).first() or ""


def hours_used(session: Session, referral_id: int) -> Decimal:
    """Registered hours on the referral (sum of time entries), two decimals half-up."""
    from logbook.models import TimeEntry

    query = select(func.coalesce(func.sum(TimeEntry.minutes), 0)).where(
        TimeEntry.referral_id == referral_id
    )
    minutes = session.exec(query).one()
    return hours_from_minutes(int(minutes))


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
        from service.notifications.events import referral_returned

        referral_returned(session, referral)
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
    own = actor.role != "caseworker" or referral.caseworker_id == actor.id
    return [
        name
        for name, (_to, roles) in ACTIONS.items()
        if actor.role in roles and own and referral.status in ACTION_FROM[name]
    ]


@dataclass(frozen=True)
class Waiting:
    referral: Referral
    citizen: Citizen
    age_working_days: int


def inbox(session: Session, *, actor: Actor, today: date) -> list[Waiting]:
    """Submitted or accepted referrals without a mentor, oldest first, with age in working days."""
    query = (
        select(Referral, Citizen)
        .join(Citizen, col(Citizen.id) == col(Referral.citizen_id))
        .where(col(Referral.status).in_(("submitted", "accepted")))
        .where(col(Referral.mentor_id).is_(None))
        .order_by(col(Referral.submitted_at), col(Referral.id))
    )
    rows = []
    for referral, citizen in session.exec(query):
        submitted = local_date(referral.submitted_at)
        rows.append(Waiting(referral, citizen, working_days_between(submitted, today)))
    _audit_listing(session, actor, [w.referral for w in rows], "matching")
    return rows
