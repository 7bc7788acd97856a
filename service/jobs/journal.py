"""The nightly check of the journal's hash chains (`mentorkorps verify` as a job).

A break notifies every active admin once per broken link (the dedup key names the table
and position): a break that persists is not repeated every night, a new one is. The text
names tables and positions only, never what the rows hold.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from service.audit.verify import record_run, verify
from service.jobs.registry import Job, register
from service.notifications.service import notify, user_ids_with_role


def verify_journal(session: Session, today: date) -> str:
    """Walk the audit and logbook chains; on a break → every active admin."""
    outcome = verify(session.connection())
    record_run(session, outcome, "job")
    if outcome.ok:
        return f"verify_journal: {outcome.message}; 0 notifikationer"
    created = notify(
        session,
        user_ids=user_ids_with_role(session, "admin"),
        kind="journal_broken",
        text=(
            "Kontrollen af journalen fandt et brud i hash-kæden. "
            f"{outcome.message} Se Logning for detaljer."
        ),
        link="/admin/audit",
        dedup_key=f"verify_journal:{outcome.broken}",
    )
    return f"verify_journal: {outcome.message}; {created} notifikationer"


register(
    Job(
        "verify_journal",
        verify_journal,
        {"hour": 2, "minute": 30},
        "Kontrol af hash-kæderne i logningen og logbøgerne → administratorer ved brud",
    )
)
