"""The logbook's notification: an observation the caseworker must read (never named)."""

from __future__ import annotations

from sqlmodel import Session

from logbook.vocab import NEEDS_CASEWORKER
from service.corps.models import Referral
from service.corps.notices import referral_label
from service.notifications.inbox import logbook_link, notify


def observation_needs_caseworker(
    session: Session, referral: Referral, entry_id: int, observations: list[str]
) -> int:
    """A logbook entry with an observation the caseworker must see (→ the caseworker)."""
    if not NEEDS_CASEWORKER & set(observations or ()):
        return 0
    label = referral_label(session, referral)
    return notify(
        session,
        user_ids=[referral.caseworker_id],
        kind="observation",
        text=f"Mentoren har skrevet et logbogsnotat på {label}, som du bør læse.",
        referral_id=referral.id,
        link=logbook_link(referral.id, entry_id),
        dedup_key=f"observation:e{entry_id}",
    )
