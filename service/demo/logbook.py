"""Demo logbook entries and time over the last three months for the active demo referrals."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable
from datetime import date, timedelta

from sqlmodel import Session, col, select

from logbook import amendments, entries
from logbook import time as timereg
from logbook.approval import approve_month, month_start
from service.audit.service import Actor
from service.auth.models import Role, User
from service.core import clock
from service.core.errors import DomainError
from service.corps.models import Mentor, Referral, SubGoal

TEXTS = (
    "Samtale om ugens struktur. Borgeren mødte op til aftalen og fortalte om sin søvn.",
    "Ledsagede borgeren til lægen. Vi øvede busruten sammen bagefter.",
    "Telefonsamtale: borgeren havde glemt mødet i jobcentret; vi lavede en ny plan.",
    "Trepartsmøde med sagsbehandler om næste skridt mod praktik.",
    "Borgeren har selv ringet til praktikstedet. God energi i dag.",
    "Aflyst i sidste øjeblik; aftalt nyt møde i næste uge.",
)
KINDS = ("conversation", "accompaniment", "phone", "three_party_meeting", "conversation", "other")
OBSERVATIONS = (
    ["social_anxiety_support"],
    ["health_progress"],
    ["lost_overview"],
    ["increased_motivation"],
    ["increased_motivation"],
    ["health_relapse"],
)
CATEGORIES = ("citizen_contact", "citizen_contact", "transport_with_citizen", "administration")


def seed_logbook(
    session: Session, users: dict[Role, User], progress: Callable[[str], None]
) -> None:
    """Add entries and time for every active referral with a mentor, within all the rules."""
    rng = random.Random(5)
    today = clock.today()
    earliest = today - timedelta(days=91)
    referrals = session.exec(
        select(Referral).where(Referral.status == "active", col(Referral.mentor_id).is_not(None))
    ).all()
    mentors: dict[int | None, Mentor] = {m.id: m for m in session.exec(select(Mentor))}
    made_entries = made_time = 0
    for referral in referrals:
        mentor = mentors.get(referral.mentor_id)
        user = session.get(User, mentor.user_id) if mentor else None
        if user is None:
            continue
        start, end = max(referral.start_date, earliest), min(referral.end_date, today)
        entries_made, time_made = _seed_course(
            session, Actor(user, "seed-demo"), referral, start, end, rng
        )
        made_entries += entries_made
        made_time += time_made
    coordinator = users.get(Role.coordinator)
    if coordinator is not None:
        mentor_ids = {r.mentor_id for r in referrals if r.mentor_id is not None}
        _approve_old_months(session, Actor(coordinator, "seed-demo"), mentor_ids, earliest, today)
    session.flush()
    progress(f"{made_entries} logbogsnotater og {made_time} tidsregistreringer oprettet")


def _seed_course(
    session: Session,
    actor: Actor,
    referral: Referral,
    start: date,
    end: date,
    rng: random.Random,
) -> tuple[int, int]:
    """Entries and time on weekdays a few days apart; return how many of each were made."""
    goals = list(session.exec(select(SubGoal.id).where(SubGoal.referral_id == referral.id)))
    made_entries = made_time = 0
    day, n = start, 0
    while day <= end:
        if day.weekday() < 5:
            entry_made, time_made = _seed_day(session, actor, referral, day, n, goals, rng)
            made_entries += entry_made
            made_time += time_made
            n += 1
        day += timedelta(days=rng.choice((1, 2, 3)))
    return made_entries, made_time


def _seed_day(
    session: Session,
    actor: Actor,
    referral: Referral,
    day: date,
    n: int,
    goals: list[int],
    rng: random.Random,
) -> tuple[int, int]:
    """Every third working day an entry (every ninth amended), and time every day."""
    entry_made = 0
    try:
        if n % 3 == 0:
            view = entries.create_entry(
                session=session,
                actor=actor,
                referral_id=referral.id,
                occurred_on=day,
                kind=KINDS[n % len(KINDS)],
                text=TEXTS[n % len(TEXTS)],
                sub_goal_ids=goals[: 1 + n % 2] if goals else [],
                observations=OBSERVATIONS[n % len(OBSERVATIONS)],
                progress=rng.choice((-1, 0, 1, 1)),
                shown_to_citizen=n % 4 != 0,
            )
            entry_made = 1
            if n % 9 == 0:
                amendments.amend_entry(
                    session=session,
                    actor=actor,
                    entry_id=view.entry.id,
                    text=view.text + " (Rettet: mødet var om formiddagen.)",
                    reason="Forkert tidspunkt i første udgave",
                )
        timereg.create_time_entry(
            session=session,
            actor=actor,
            referral_id=referral.id,
            date=day,
            minutes=rng.choice((30, 45, 60, 90)),
            category=CATEGORIES[n % len(CATEGORIES)],
            note="",
        )
    except DomainError:
        return entry_made, 0  # a claimed or approved period, or a full day: skip it
    return entry_made, 1


def _approve_old_months(
    session: Session, coordinator: Actor, mentor_ids: set[int], earliest: date, today: date
) -> None:
    """Approve each mentor's months before last month, as the coordinator would have."""
    cutoff = month_start(month_start(today) - timedelta(days=1))  # before last month
    for mentor_id in mentor_ids:
        month = month_start(earliest)
        while month < cutoff:
            with contextlib.suppress(DomainError):
                approve_month(
                    session=session,
                    actor=coordinator,
                    mentor_id=mentor_id,
                    month=month,
                )
            month = month_start(month + timedelta(days=32))
