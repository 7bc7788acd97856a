"""The corps' shared tools: the contact list and the crisis plan."""

from __future__ import annotations

from sqlmodel import Session, col, select

from service.audit.service import Actor, record
from service.core.clock import utcnow
from service.core.errors import Invalid, NotFound
from service.corps import vocab
from service.corps.models import Contact, CrisisPlanVersion

CONTACT_FIELDS = ("name", "organisation", "category", "phone", "email", "notes")


def contact_errors(fields: dict) -> dict[str, str]:
    """Danish errors by field for a contact."""
    errors: dict[str, str] = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = "Skriv kontaktens navn."
    if fields.get("category") not in vocab.CONTACT_CATEGORIES:
        errors["category"] = "Vælg en kategori."
    email = (fields.get("email") or "").strip()
    if email and "@" not in email:
        errors["email"] = "E-mailadressen er ikke gyldig."
    if not (fields.get("phone") or "").strip() and not email:
        errors["phone"] = "Skriv et telefonnummer eller en e-mail."
    return errors


def _check(fields: dict) -> dict:
    errors = contact_errors(fields)
    if errors:
        name, message = next(iter(errors.items()))
        raise Invalid(message, field=name)
    return {k: (fields.get(k) or "").strip() for k in CONTACT_FIELDS}


def list_contacts(session: Session) -> list[Contact]:
    """All contacts by category and name."""
    return list(session.exec(select(Contact).order_by(col(Contact.category), col(Contact.name))))


def get_contact(session: Session, contact_id: int) -> Contact:
    """Return the contact or raise NotFound."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFound("Kontakten findes ikke.")
    return contact


def create_contact(session: Session, *, actor: Actor, **fields) -> Contact:
    """Add a contact to the corps' list."""
    contact = Contact(**_check(fields))
    session.add(contact)
    session.flush()
    record(
        session, actor, "create", purpose="administration", entity="contact", entity_id=contact.id
    )
    return contact


def update_contact(session: Session, *, actor: Actor, contact: Contact, **fields) -> Contact:
    """Change a contact."""
    for key, value in _check(fields).items():
        setattr(contact, key, value)
    contact.updated_at = utcnow()
    session.add(contact)
    session.flush()
    record(
        session, actor, "update", purpose="administration", entity="contact", entity_id=contact.id
    )
    return contact


def delete_contact(session: Session, *, actor: Actor, contact: Contact) -> None:
    """Remove a contact from the list."""
    record(
        session, actor, "delete", purpose="administration", entity="contact", entity_id=contact.id
    )
    session.delete(contact)
    session.flush()


def current_crisis_plan(session: Session) -> CrisisPlanVersion | None:
    """The crisis plan in force (the newest version), if any."""
    query = select(CrisisPlanVersion).order_by(
        col(CrisisPlanVersion.created_at).desc(), col(CrisisPlanVersion.id).desc()
    )
    return session.exec(query.limit(1)).first()


def save_crisis_plan(session: Session, *, actor: Actor, body: str) -> CrisisPlanVersion:
    """Save a new version of the crisis plan."""
    if not body.strip():
        raise Invalid("Kriseplanen må ikke være tom.", field="body")
    version = CrisisPlanVersion(body=body.strip(), author_id=actor.user_id)
    session.add(version)
    session.flush()
    record(
        session,
        actor,
        "create",
        purpose="administration",
        entity="crisis_plan",
        entity_id=version.id,
    )
    return version
