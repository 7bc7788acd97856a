"""Citizens: one per CPR number, created from referrals, changed only by a coordinator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from service.audit.service import Actor, record
from service.auth.models import Role
from service.core.emailaddr import valid_email
from service.core.errors import Invalid
from service.core.formatting import cpr_full
from service.corps.cpr import normalise_cpr
from service.corps.models import Citizen, Referral

CONTACT_FIELDS = ("name", "phone", "email", "address", "district")


def citizen_errors(fields: dict) -> dict[str, str]:
    """Danish errors by field for the citizen part of a referral."""
    errors: dict[str, str] = {}
    try:
        normalise_cpr(fields.get("cpr") or "")
    except Invalid as error:
        errors["cpr"] = error.message
    if not (fields.get("name") or "").strip():
        errors["name"] = "Skriv borgerens navn."
    if (fields.get("email") or "").strip():
        try:
            valid_email(fields["email"])
        except Invalid as error:
            errors["email"] = error.message
    return errors


def submitted_values(fields: dict) -> dict[str, str]:
    """The contact fields of a referral's citizen part, stripped (what is kept with it)."""
    return {k: (fields.get(k) or "").strip() for k in CONTACT_FIELDS}


def find_or_create_citizen(session: Session, *, actor: Actor, cpr: str, **fields) -> Citizen:
    """Return the citizen with this CPR unchanged, or a new one made from the fields.

    A known citizen is never changed here: the submitter may not be one who can see it.
    """
    cpr = normalise_cpr(cpr)
    errors = citizen_errors({"cpr": cpr, **fields})
    if errors:
        field, message = next(iter(errors.items()))
        raise Invalid(message, field=field)
    citizen = _by_cpr(session, cpr)
    if citizen is not None:
        return citizen
    values: dict[str, Any] = submitted_values(fields)
    citizen = Citizen(cpr=cpr, **values)
    try:
        with session.begin_nested():  # another request may create the same CPR right now
            session.add(citizen)
            session.flush()
    except IntegrityError:
        citizen = _by_cpr(session, cpr)
        if citizen is None:
            raise
        return citizen
    record(
        session,
        actor,
        "create",
        purpose="casework",
        entity="citizen",
        entity_id=citizen.id,
        citizen_id=citizen.id,
    )
    return citizen


def _by_cpr(session: Session, cpr: str) -> Citizen | None:
    # The row lock makes a second referral for the citizen wait for the first (PostgreSQL).
    query = select(Citizen).where(Citizen.cpr == cpr).with_for_update()
    return session.exec(query).first()


@dataclass(frozen=True)
class CitizenView:
    """A citizen as one reader sees it: the record, or what a caseworker submitted."""

    id: int
    cpr: str
    name: str
    phone: str
    email: str
    address: str
    district: str


def citizen_seen_by(actor: Actor, referral: Referral, citizen: Citizen) -> CitizenView:
    """A caseworker sees the data submitted with the referral; other roles the record."""
    if actor.role == Role.caseworker:
        values = submitted_values(referral.submitted_citizen or {})
    else:
        values = {k: getattr(citizen, k) for k in CONTACT_FIELDS}
    return CitizenView(id=citizen.id, cpr=citizen.cpr, **values)


def differences(referral: Referral, citizen: Citizen) -> dict[str, tuple[str, str]]:
    """Field → (record, submitted) where the referral brings a value the record lacks."""
    submitted = submitted_values(referral.submitted_citizen or {})
    return {
        k: (getattr(citizen, k), submitted[k])
        for k in CONTACT_FIELDS
        if submitted[k] and submitted[k] != getattr(citizen, k)
    }


def apply_submitted(
    session: Session, *, actor: Actor, referral: Referral, citizen: Citizen
) -> list[str]:
    """Copy the referral's submitted values into the record (audited); the fields changed."""
    changed = differences(referral, citizen)
    if not changed:
        return []
    for name, (_before, after) in changed.items():
        setattr(citizen, name, after)
    session.add(citizen)
    session.flush()
    record(
        session,
        actor,
        "update",
        purpose="casework",
        entity="citizen",
        entity_id=citizen.id,
        citizen_id=citizen.id,
        detail={"fields": list(changed), "referral_id": referral.id},
    )
    return list(changed)


def show_full_cpr(session: Session, *, actor: Actor, citizen: Citizen, purpose: str) -> str:
    """Return the whole CPR number for display (ddmmåå-xxxx) and audit that read."""
    record(
        session,
        actor,
        "read",
        purpose=purpose,
        entity="citizen",
        entity_id=citizen.id,
        citizen_id=citizen.id,
        detail={"field": "cpr", "display": "full"},
    )
    return cpr_full(citizen.cpr)
