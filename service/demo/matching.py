"""Demo data of matching: assignments and agreements for the demo's courses, one cover.

The corps demo gives its active and paused referrals a mentor directly. Here each gets the
assignment row (its history and the citizen's continuity) and a mentor agreement from its
start date, as if the coordinator had assigned it through matching. Accepted referrals are
left without a mentor so the plan page has work. When a mentor with active citizens has an
absence coming up, the proposed cover for it is confirmed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sqlmodel import Session, col, select

from matching.engine import breakdown
from service.audit.service import Actor, record
from service.auth.models import Role, User
from service.core import clock
from service.corps import cover
from service.corps.agreements import agreements_of, create_for_assignment
from service.corps.matching_input import OCCUPYING, mentor_profiles, referral_needs
from service.corps.models import AssignmentRecord, Mentor, Referral
from service.corps.weights import current_weights

DEMO_REASON = "Tildelt af koordinatoren før matchning blev taget i brug (demodata)."


def seed_matching(
    session: Session, users: dict[Role, User], progress: Callable[[str], None]
) -> None:
    """Add assignment rows and agreements for courses with a mentor, and one confirmed cover."""
    coordinator = Actor(users[Role.coordinator], "seed-demo")
    today = clock.today()
    referrals = list(
        session.exec(
            select(Referral)
            .where(col(Referral.status).in_(OCCUPYING), col(Referral.mentor_id).is_not(None))
            .order_by(col(Referral.id))
        )
    )
    weights = current_weights(session)
    profiles = {p.id: p for p in mentor_profiles(session, window=(today, today))}
    made = 0
    for referral, need in zip(referrals, referral_needs(session, referrals, today), strict=True):
        if agreements_of(session, referral.id):
            continue
        mentor = session.get_one(Mentor, referral.mentor_id)
        # The fit of the pair (the mentor's own course is not continuity from before).
        fit = breakdown(
            replace(need, previous_mentor_ids=frozenset()), profiles[mentor.id], weights
        )
        _assign(session, coordinator, referral, mentor, sum(part.points for part in fit))
        made += 1
    progress(f"{made} tildelinger med mentoraftale oprettet")
    _confirm_one_cover(session, coordinator, progress)


def _assign(
    session: Session, coordinator: Actor, referral: Referral, mentor: Mentor, score: int
) -> None:
    """The assignment row (audited) and the agreement from the course's start."""
    row = AssignmentRecord(
        referral_id=referral.id,
        mentor_id=mentor.id,
        at=referral.assigned_at or referral.created_at,
        by=coordinator.id,
        score=score,
        reason=DEMO_REASON,
    )
    session.add(row)
    session.flush()
    record(
        session,
        coordinator,
        "create",
        purpose="matching",
        entity="assignment",
        entity_id=row.id,
        citizen_id=referral.citizen_id,
        detail={"mentor_id": mentor.id, "score": row.score, "reason": DEMO_REASON},
    )
    create_for_assignment(
        session, actor=coordinator, referral=referral, mentor=mentor, today=referral.start_date
    )


def _confirm_one_cover(
    session: Session, coordinator: Actor, progress: Callable[[str], None]
) -> None:
    """Confirm the proposed cover of the first upcoming absence that has any."""
    today = clock.today()
    for upcoming in cover.upcoming_absences(session, today):
        if upcoming.absence.start <= today:
            continue
        _absence, _period, rows = cover.proposal(
            session, actor=coordinator, absence_id=upcoming.absence.id, today=today
        )
        choices = {
            row.referral.id: row.suggestion.substitute_id
            for row in rows
            if row.suggestion.substitute_id is not None
        }
        if choices:
            cover.confirm(
                session,
                actor=coordinator,
                absence_id=upcoming.absence.id,
                choices=choices,
                today=today,
            )
            who = upcoming.mentor_name
            progress(f"Afløsning bekræftet for {len(choices)} borger(e) under {who}s fravær")
            break
