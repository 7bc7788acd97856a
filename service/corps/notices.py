"""Who is told what when a referral changes: the corps' notifications, made in the same
transaction as the change (through service.notifications, which knows no corps).

Each returns how many notifications it created. Texts carry the referral number and the
citizen's first name only: no CPR number, no health information. Texts are plain Danish
(no paths, dates as "7. december 2026"); the link goes to what the text names, and the
inbox's button says what that is (`inbox.link_label`).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from reports.core.danish import long_date
from service.auth.models import Role, User
from service.core.clock import utcnow
from service.corps.models import Citizen, Mentor, MentorAgreement, Referral
from service.notifications.inbox import (
    agreement_link,
    logbook_link,
    notify,
    referral_link,
    upper_first,
    user_ids_with_role,
)


def referral_label(session: Session, referral: Referral) -> str:
    """'henvisning nr. 12 (Anna)': the referral number and the citizen's first name only.

    The name is the one submitted with the referral, which its caseworker wrote: the
    citizen record may hold another caseworker's data (issue 11, defect 1).
    """
    name = (referral.submitted_citizen or {}).get("name") or ""
    if not name.strip():
        citizen = session.get(Citizen, referral.citizen_id)
        name = citizen.name if citizen else ""
    first = (name.split() or [""])[0]
    return f"henvisning nr. {referral.id}" + (f" ({first})" if first else "")


def _mentor_user_id(session: Session, mentor_id: int | None) -> int | None:
    mentor = session.get(Mentor, mentor_id) if mentor_id else None
    return mentor.user_id if mentor else None


def referral_submitted(session: Session, referral: Referral, *, again: bool = False) -> int:
    """A caseworker submitted (or resubmitted) a referral (→ every active coordinator)."""
    label = referral_label(session, referral)
    when = referral.submitted_at or utcnow()
    text = (
        f"{upper_first(label)} er rettet og sendt igen. Den venter på at blive godkendt."
        if again
        else f"Ny {label} venter på at blive godkendt."
    )
    return notify(
        session,
        user_ids=user_ids_with_role(session, Role.coordinator),
        kind="referral_submitted",
        text=text,
        referral_id=referral.id,
        link=referral_link(referral.id),
        dedup_key=f"referral_submitted:r{referral.id}:{when:%Y%m%dT%H%M%S}",
    )


def referral_returned(session: Session, referral: Referral) -> int:
    """A referral was returned to its caseworker (→ the caseworker)."""
    label = referral_label(session, referral)
    return notify(
        session,
        user_ids=[referral.caseworker_id],
        kind="referral_returned",
        text=f"{upper_first(label)} er sendt retur til dig. Se begrundelsen og indsend den igen.",
        referral_id=referral.id,
        link=referral_link(referral.id),
        dedup_key=f"referral_returned:r{referral.id}:{utcnow():%Y%m%dT%H%M%S}",
    )


def mentor_assigned(session: Session, referral: Referral, agreement_url: str | None = None) -> int:
    """A mentor was assigned (→ the mentor and the caseworker, linking to the agreement)."""
    label = referral_label(session, referral)
    mentor_user = _mentor_user_id(session, referral.mentor_id)
    mentor = session.get(User, mentor_user) if mentor_user else None
    when = referral.assigned_at or utcnow()
    key = f"mentor_assigned:r{referral.id}:m{referral.mentor_id}:{when:%Y%m%dT%H%M%S}"
    agreement = " Mentoraftalen er klar." if agreement_url else ""
    link = agreement_url or referral_link(referral.id)
    created = notify(
        session,
        user_ids=[mentor_user],
        kind="mentor_assigned",
        text=f"Du er tilknyttet som mentor på {label}.{agreement}",
        referral_id=referral.id,
        link=link,
        dedup_key=key,
    )
    mentor_name = f" ({mentor.name})" if mentor else ""
    created += notify(
        session,
        user_ids=[referral.caseworker_id],
        kind="mentor_assigned",
        text=f"{upper_first(label)} har fået tilknyttet en mentor{mentor_name}.{agreement}",
        referral_id=referral.id,
        link=link,
        dedup_key=key,
    )
    return created


def _newest_agreement_id(session: Session, referral_id: int) -> int | None:
    query = select(MentorAgreement.id).where(MentorAgreement.referral_id == referral_id)
    return session.exec(query.order_by(col(MentorAgreement.id).desc()).limit(1)).first()


def agreement_expiring(
    session: Session, referral: Referral, ends_on: date, agreement_id: int | None = None
) -> int:
    """A mentor agreement ends within 14 days (→ the coordinators and the caseworker).

    With `agreement_id` the dedup key names the agreement: once per agreement, so a renewal
    that ends on the same day is announced again.
    """
    label = referral_label(session, referral)
    shown = agreement_id if agreement_id is not None else _newest_agreement_id(session, referral.id)
    key = (
        f"agreement_expiring:a{agreement_id}"
        if agreement_id is not None
        else f"agreement_expiring:r{referral.id}:{ends_on.isoformat()}"
    )
    return notify(
        session,
        user_ids=[referral.caseworker_id, *user_ids_with_role(session, Role.coordinator)],
        kind="agreement_expiring",
        text=f"Mentoraftalen for {label} udløber {long_date(ends_on)}.",
        referral_id=referral.id,
        link=agreement_link(shown) if shown is not None else referral_link(referral.id),
        dedup_key=key,
    )


def cover_confirmed(
    session: Session,
    referral: Referral,
    *,
    cover_id: int,
    substitute_mentor_id: int,
    start: date,
    end: date,
) -> int:
    """A substitute was confirmed for a referral during an absence (→ the substitute).

    Once per cover row, substitute and period: confirming the same again notifies nobody.
    """
    label = referral_label(session, referral)
    return notify(
        session,
        user_ids=[_mentor_user_id(session, substitute_mentor_id)],
        kind="cover_confirmed",
        text=(
            f"Du er afløser på {label} fra {long_date(start)} til {long_date(end)}. "
            "I perioden kan du skrive i logbogen og registrere tid for borgeren."
        ),
        referral_id=referral.id,
        link=logbook_link(referral.id),
        dedup_key=(
            f"cover_confirmed:c{cover_id}:m{substitute_mentor_id}:"
            f"{start.isoformat()}:{end.isoformat()}"
        ),
    )
