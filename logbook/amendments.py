"""Corrections of logbook entries (new versions with a reason) and marking entries shown.

Nothing here updates or deletes an entry: an amendment inserts the next version. Its number
(`MAX(version)+1`) is read after the entry is locked (a transaction-scoped advisory lock on
PostgreSQL: the runtime role may not `SELECT … FOR UPDATE` a journal row) and after the
journal's chain lock is taken (on SQLite that is the write lock, so no other writer comes
between the read and the INSERT), so two amendments at the same moment both survive as
distinct versions. The version is inserted through the ORM, which chains it
(service/audit/chain.py). The unique (entry_id, version) constraint is the last line of
defence.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col, select

from logbook.access_rules import NOT_FOUND, is_assigned_mentor
from logbook.entries import PURPOSE, EntryView, _views, check_text, load_entry
from logbook.models import LogbookShown, LogbookVersion
from service.audit.chain import lock_heads
from service.audit.service import Actor, record
from service.auth.models import Role
from service.core.errors import NotFound

# Who may amend or mark shown: the assigned mentor, and the coordinator (who manages the
# corps and may correct on a mentor's behalf, e.g. when the mentor has left).
AMENDING_ROLES = frozenset({Role.mentor, Role.coordinator})


def _writable(session: Session, entry_id: int, actor: Actor, *, lock: bool):
    entry, referral = load_entry(session, entry_id, actor, lock=lock)
    if actor.role == Role.coordinator or is_assigned_mentor(session, referral, actor):
        return entry, referral
    raise NotFound(NOT_FOUND)


def next_version(session: Session, entry_id: int, text: str, reason: str, author_id: int):
    """Add the entry's next version; the caller holds the entry's row lock."""
    lock_heads(session.connection())
    number = session.execute(
        sa.select(sa.func.coalesce(sa.func.max(LogbookVersion.version), 0) + 1).where(
            col(LogbookVersion.entry_id) == entry_id
        )
    ).scalar_one()
    version = LogbookVersion(
        entry_id=entry_id, version=number, text=text, reason=reason, author_id=author_id
    )
    session.add(version)
    session.flush()
    return version


def amend_entry(
    *, session: Session, actor: Actor, entry_id: int, text: str, reason: str
) -> EntryView:
    """Add a corrected text as the entry's next version, with the reason for the change."""
    if actor.role not in AMENDING_ROLES:
        raise NotFound(NOT_FOUND)
    entry, referral = _writable(session, entry_id, actor, lock=True)
    body = check_text(text)
    why = check_text(reason, "reason")
    row = next_version(session, entry.id, body, why, actor.user_id)
    record(
        session,
        actor,
        "update",
        purpose=PURPOSE,
        entity="logbook_entry",
        entity_id=entry.id,
        citizen_id=referral.citizen_id,
        detail={"referral_id": referral.id, "version": row.version, "reason": why},
    )
    session.flush()
    view = _views(session, [entry])[0]
    view.referral = referral
    return view


def mark_shown(*, session: Session, actor: Actor, entry_id: int) -> EntryView:
    """Record that the entry has been presented to the citizen (once; repeating is harmless)."""
    if actor.role not in AMENDING_ROLES:
        raise NotFound(NOT_FOUND)
    entry, referral = _writable(session, entry_id, actor, lock=True)
    existing = session.exec(select(LogbookShown).where(LogbookShown.entry_id == entry.id)).first()
    if existing is None:
        try:
            with session.begin_nested():
                session.add(LogbookShown(entry_id=entry.id, by_id=actor.user_id))
        except sa.exc.IntegrityError:
            pass  # shown by someone else at the same moment: already recorded
        else:
            record(
                session,
                actor,
                "update",
                purpose=PURPOSE,
                entity="logbook_entry",
                entity_id=entry.id,
                citizen_id=referral.citizen_id,
                detail={"referral_id": referral.id, "shown_to_citizen": True},
            )
            session.flush()
    view = _views(session, [entry])[0]
    view.referral = referral
    return view
