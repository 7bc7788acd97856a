"""Citizens: one per CPR number, created or updated from referrals."""

from __future__ import annotations

from sqlmodel import Session, select

from service.audit.service import Actor, record
from service.corps.cpr import normalise_cpr
from service.corps.models import Citizen
from service.errors import Invalid
from service.formatting import cpr_full

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
    email = (fields.get("email") or "").strip()
    if email and ("@" not in email or " " in email):
        errors["email"] = "E-mailadressen er ikke gyldig."
    return errors


def find_or_create_citizen(session: Session, *, actor: Actor, cpr: str, **fields) -> Citizen:
    """Return the citizen with this CPR (contact fields updated) or a new one."""
    cpr = normalise_cpr(cpr)
    errors = citizen_errors({"cpr": cpr, **fields})
    if errors:
        field, message = next(iter(errors.items()))
        raise Invalid(message, field=field)
    values = {k: (fields.get(k) or "").strip() for k in CONTACT_FIELDS}
    citizen = session.exec(select(Citizen).where(Citizen.cpr == cpr)).first()
    if citizen is None:
        citizen = Citizen(cpr=cpr, **values)
        session.add(citizen)
        session.flush()
        action = "create"
    else:
        for key, value in values.items():
            if value:
                setattr(citizen, key, value)
        session.add(citizen)
        session.flush()
        action = "update"
    record(
        session,
        actor,
        action,
        purpose="casework",
        entity="citizen",
        entity_id=citizen.id,
        citizen_id=citizen.id,
    )
    return citizen


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
