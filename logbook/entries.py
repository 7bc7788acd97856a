"""Logbook entries: write (append-only), list and read, every read and write audited."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from logbook.access_rules import (
    NOT_FOUND,
    is_assigned_mentor,
    is_cover_substitute,
    referral_for_mentor_or_reader,
)
from logbook.models import LogbookEntry, LogbookShown, LogbookVersion
from logbook.notices import observation_needs_caseworker
from logbook.vocab import KINDS, NEEDS_CASEWORKER, OBSERVATIONS, PROGRESS
from reports.core.danish import long_date
from service.audit.service import Actor, record
from service.core import clock
from service.core.errors import Conflict, Invalid, NotFound
from service.corps.models import Referral, SubGoal

PURPOSE = "casework"
MAX_TEXT = 20_000
# Advisory lock namespace (first key of the two-int form) for one entry's amendments.
ENTRY_LOCK_NAMESPACE = 6_000_002


@dataclass
class EntryView:
    """An entry with its versions (oldest first) and when it was shown to the citizen."""

    entry: LogbookEntry
    versions: list[LogbookVersion]
    shown: LogbookShown | None = None
    referral: Referral | None = field(default=None, repr=False)

    @property
    def current(self) -> LogbookVersion:
        return self.versions[-1]

    @property
    def version(self) -> int:
        return self.current.version

    @property
    def text(self) -> str:
        return self.current.text

    @property
    def history(self) -> list[LogbookVersion]:
        """Every earlier version, oldest first."""
        return self.versions[:-1]

    @property
    def needs_caseworker(self) -> list[str]:
        return [o for o in self.entry.observations if o in NEEDS_CASEWORKER]


def check_text(text: str | None, field_name: str = "text") -> str:
    """Return the stripped text, or raise Invalid when empty or too long."""
    value = (text or "").strip()
    if not value:
        raise Invalid("Skriv en tekst.", field=field_name)
    if len(value) > MAX_TEXT:
        raise Invalid(f"Teksten må højst være {MAX_TEXT} tegn.", field=field_name)
    return value


def _check_entry_fields(
    session: Session,
    referral: Referral,
    *,
    occurred_on: date,
    kind: str,
    sub_goal_ids: Sequence[int],
    observations: Sequence[str],
    progress: int | None,
) -> tuple[list[int], list[str]]:
    if kind not in KINDS:
        raise Invalid("Ukendt type af notat.", field="kind")
    unknown = [o for o in observations if o not in OBSERVATIONS]
    if unknown:
        raise Invalid(f"Ukendt observation: {', '.join(map(str, unknown))}.", field="observations")
    if progress is not None and progress not in PROGRESS:
        raise Invalid("Udvikling skal være -1, 0 eller 1.", field="progress")
    if occurred_on > clock.today():
        raise Invalid("Datoen må ikke ligge i fremtiden.", field="occurred_on")
    if not referral.start_date <= occurred_on <= referral.end_date:
        raise Invalid(
            f"Datoen ligger uden for forløbets periode ({long_date(referral.start_date)} "
            f"til {long_date(referral.end_date)}).",
            field="occurred_on",
        )
    goals = set(sub_goal_ids)
    if goals:
        own = set(
            session.exec(
                select(SubGoal.id).where(
                    SubGoal.referral_id == referral.id, col(SubGoal.id).in_(goals)
                )
            )
        )
        if own != goals:
            raise Invalid("Delmålet hører ikke til dette forløb.", field="sub_goal_ids")
    return sorted(goals), list(dict.fromkeys(observations))


def check_new_entry(
    *,
    session: Session,
    actor: Actor,
    referral_id: int,
    occurred_on: date,
    kind: str,
    text: str,
    sub_goal_ids: Sequence[int] = (),
    observations: Sequence[str] = (),
    progress: int | None = None,
) -> tuple[Referral, str, list[int], list[str]]:
    """Apply every rule of a new entry, writing nothing: its referral, text, goals, observations."""
    referral = _writable_referral(session, actor, referral_id, occurred_on)
    body = check_text(text)
    goals, obs = _check_entry_fields(
        session,
        referral,
        occurred_on=occurred_on,
        kind=kind,
        sub_goal_ids=sub_goal_ids,
        observations=observations,
        progress=progress,
    )
    return referral, body, goals, obs


def create_entry(
    *,
    session: Session,
    actor: Actor,
    referral_id: int,
    occurred_on: date,
    kind: str,
    text: str,
    sub_goal_ids: Sequence[int] = (),
    observations: Sequence[str] = (),
    progress: int | None = None,
    shown_to_citizen: bool = False,
) -> EntryView:
    """Write a new entry (version 1) as the referral's assigned mentor."""
    referral, body, goals, obs = check_new_entry(
        session=session,
        actor=actor,
        referral_id=referral_id,
        occurred_on=occurred_on,
        kind=kind,
        text=text,
        sub_goal_ids=sub_goal_ids,
        observations=observations,
        progress=progress,
    )
    entry = LogbookEntry(
        referral_id=referral.id,
        author_id=actor.user_id,
        occurred_on=occurred_on,
        kind=kind,
        sub_goal_ids=goals,
        observations=obs,
        progress=progress,
    )
    session.add(entry)
    session.flush()
    first = LogbookVersion(
        entry_id=entry.id,
        version=1,
        text=body,
        author_id=actor.user_id,
        created_at=entry.created_at,
    )
    session.add(first)
    shown = None
    if shown_to_citizen:
        shown = LogbookShown(entry_id=entry.id, by_id=actor.user_id, at=entry.created_at)
        session.add(shown)
    observation_needs_caseworker(session, referral, entry.id, obs)
    record(
        session,
        actor,
        "create",
        purpose=PURPOSE,
        entity="logbook_entry",
        entity_id=entry.id,
        citizen_id=referral.citizen_id,
        detail={
            "referral_id": referral.id,
            "version": 1,
            "kind": kind,
            "observations": obs,
            "shown_to_citizen": shown_to_citizen,
        },
    )
    session.flush()
    return EntryView(entry, [first], shown, referral)


def _writable_referral(
    session: Session, actor: Actor, referral_id: int, occurred_on: date
) -> Referral:
    """The open referral the actor may write for on that day (its mentor, or cover then)."""
    referral = referral_for_mentor_or_reader(session, referral_id, actor, write=True)
    if referral.status == "closed":
        raise Conflict("Forløbet er afsluttet; der kan ikke skrives i logbogen.")
    if not is_assigned_mentor(session, referral, actor) and not is_cover_substitute(
        session, referral, actor, occurred_on
    ):
        raise Invalid(
            "Som afløser kan du kun skrive for dage i afløserperioden.", field="occurred_on"
        )
    return referral


def _views(session: Session, entries: Iterable[LogbookEntry]) -> list[EntryView]:
    entries = list(entries)
    ids = [e.id for e in entries]
    if not ids:
        return []
    versions: dict[int, list[LogbookVersion]] = defaultdict(list)
    for v in session.exec(
        select(LogbookVersion)
        .where(col(LogbookVersion.entry_id).in_(ids))
        .order_by(col(LogbookVersion.entry_id), col(LogbookVersion.version))
    ):
        versions[v.entry_id].append(v)
    shown = {
        s.entry_id: s
        for s in session.exec(select(LogbookShown).where(col(LogbookShown.entry_id).in_(ids)))
    }
    return [EntryView(e, versions[e.id], shown.get(e.id)) for e in entries if versions[e.id]]


def entries_of(session: Session, referral_ids: Sequence[int]) -> list[EntryView]:
    """All entries of the referrals, newest first (no access check, no audit: callers do)."""
    if not referral_ids:
        return []
    query = (
        select(LogbookEntry)
        .where(col(LogbookEntry.referral_id).in_(list(referral_ids)))
        .order_by(col(LogbookEntry.occurred_on).desc(), col(LogbookEntry.id).desc())
    )
    return _views(session, session.exec(query))


def list_entries(*, session: Session, actor: Actor, referral_id: int) -> list[EntryView]:
    """Return the referral's entries, newest first, each with its versions (audited read)."""
    referral = referral_for_mentor_or_reader(session, referral_id, actor)
    views = entries_of(session, [referral.id])
    record(
        session,
        actor,
        "read",
        purpose=PURPOSE,
        entity="logbook",
        entity_id=referral.id,
        citizen_id=referral.citizen_id,
        detail={"referral_id": referral.id, "entries": len(views)},
    )
    for view in views:
        view.referral = referral
    return views


def load_entry(
    session: Session, entry_id: int, actor: Actor, *, lock: bool = False
) -> tuple[LogbookEntry, Referral]:
    """Return an entry the actor may read and its referral (NotFound otherwise)."""
    if lock and session.get_bind().dialect.name == "postgresql":
        # One writer per entry. Not SELECT … FOR UPDATE: that needs UPDATE privilege, which
        # the runtime role does not hold on the logbook. SQLite serialises writers anyway.
        session.execute(
            sa.text("SELECT pg_advisory_xact_lock(:namespace, :id)"),
            {"namespace": ENTRY_LOCK_NAMESPACE, "id": entry_id},
        )
    entry = session.exec(select(LogbookEntry).where(LogbookEntry.id == entry_id)).first()
    if entry is None:
        raise NotFound(NOT_FOUND)
    referral = referral_for_mentor_or_reader(session, entry.referral_id, actor)
    return entry, referral


def get_entry(*, session: Session, actor: Actor, entry_id: int) -> EntryView:
    """Return one entry with its full history (audited read)."""
    entry, referral = load_entry(session, entry_id, actor)
    view = _views(session, [entry])[0]
    view.referral = referral
    record(
        session,
        actor,
        "read",
        purpose=PURPOSE,
        entity="logbook_entry",
        entity_id=entry.id,
        citizen_id=referral.citizen_id,
        detail={"referral_id": referral.id, "version": view.version},
    )
    session.flush()
    return view
