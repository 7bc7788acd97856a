"""The notice of a broken hash chain, sent by the nightly journal check (to every admin)."""

from __future__ import annotations

from sqlmodel import Session

from service.audit.verify import Outcome
from service.auth.models import Role
from service.notifications.inbox import AUDIT_LINK, notify, user_ids_with_role


def journal_broken(session: Session, outcome: Outcome) -> int:
    """The nightly check found a broken hash chain (→ every active admin).

    Once per broken link (the dedup key names the table and position): a break that
    persists is not repeated every night, a new one is. The text names tables and
    positions only, never what the rows hold.
    """
    return notify(
        session,
        user_ids=user_ids_with_role(session, Role.admin),
        kind="journal_broken",
        text=(
            "Kontrollen af journalen fandt et brud i hash-kæden. "
            f"{outcome.message} Se Logning for detaljer."
        ),
        link=AUDIT_LINK,
        dedup_key=f"verify_journal:{outcome.broken}",
    )
