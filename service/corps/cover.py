"""Cover while a mentor is away: a proposed substitute per active citizen, then confirmation.

A confirmed cover row lets the substitute write the logbook and register time for that
citizen during the cover period only (`logbook.access_rules`). The period is the absence,
from today when it has begun. Substitutes' free capacity counts their own citizens and the
cover they have already confirmed in the period.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlmodel import Session, col, func, select

from matching.cover import cover_plan
from matching.engine import hard_violations, is_absent
from matching.model import CoverSuggestion, MentorProfile, ReferralNeed
from service.audit.service import Actor, record
from service.auth.models import User
from service.core import clock
from service.core.clock import utcnow
from service.core.errors import Conflict, Invalid, NotFound
from service.corps.matching_input import mentor_profiles, referral_needs
from service.corps.models import Absence, Citizen, CoverAssignment, Mentor, Referral
from service.corps.notices import cover_confirmed
from service.corps.weights import current_weights


@dataclass(frozen=True)
class UpcomingAbsence:
    absence: Absence
    mentor_name: str
    citizens: int


@dataclass(frozen=True)
class CoverRow:
    referral: Referral
    citizen: Citizen
    suggestion: CoverSuggestion
    confirmed: CoverAssignment | None


def upcoming_absences(session: Session, today: date | None = None) -> list[UpcomingAbsence]:
    """Absences not yet over of mentors with active citizens, soonest first."""
    today = today or clock.today()
    active = (
        select(Referral.mentor_id, func.count(col(Referral.id)))
        .where(Referral.status == "active", col(Referral.mentor_id).is_not(None))
        .group_by(col(Referral.mentor_id))
    )
    counts = dict(session.exec(active).all())
    query = (
        select(Absence, User.name)
        .join(Mentor, col(Mentor.id) == Absence.mentor_id)
        .join(User, col(User.id) == Mentor.user_id)
        .where(Absence.end >= today)
        .order_by(col(Absence.start), col(Absence.id))
    )
    return [
        UpcomingAbsence(absence, name, counts[absence.mentor_id])
        for absence, name in session.exec(query)
        if counts.get(absence.mentor_id)
    ]


def _absence(session: Session, absence_id: int, today: date) -> tuple[Absence, tuple[date, date]]:
    absence = session.get(Absence, absence_id)
    if absence is None:
        raise NotFound("Fraværet findes ikke.")
    if absence.end < today:
        raise Conflict("Fraværet er slut; der skal ikke planlægges afløsning.")
    return absence, (max(absence.start, today), absence.end)


def _active_referrals(session: Session, mentor_id: int) -> list[Referral]:
    query = select(Referral).where(Referral.mentor_id == mentor_id, Referral.status == "active")
    return list(session.exec(query.order_by(col(Referral.id))))


def covers_of(session: Session, absence_id: int) -> dict[int, CoverAssignment]:
    """Confirmed cover of an absence by referral id."""
    query = select(CoverAssignment).where(CoverAssignment.absence_id == absence_id)
    return {row.referral_id: row for row in session.exec(query)}


def proposal(
    session: Session, *, actor: Actor, absence_id: int, today: date | None = None
) -> tuple[Absence, tuple[date, date], list[CoverRow]]:
    """A substitute (or why none) for each active citizen of the absent mentor."""
    today = today or clock.today()
    absence, period = _absence(session, absence_id, today)
    referrals = _active_referrals(session, absence.mentor_id)
    needs = referral_needs(session, referrals, today)
    mentors = mentor_profiles(
        session, window=period, cover_window=True, exclude_absence_id=absence.id
    )
    found = cover_plan(absence.mentor_id, period, needs, mentors, current_weights(session))
    by_referral = {s.referral_id: s for s in found}
    citizens = {
        c.id: c
        for c in session.exec(
            select(Citizen).where(col(Citizen.id).in_({r.citizen_id for r in referrals}))
        )
    }
    confirmed = covers_of(session, absence.id)
    for citizen_id in sorted(citizens):
        record(
            session, actor, "search", purpose="matching", entity="referral", citizen_id=citizen_id
        )
    rows = [
        CoverRow(r, citizens[r.citizen_id], by_referral[r.id], confirmed.get(r.id))
        for r in referrals
    ]
    return absence, period, rows


def confirm(
    session: Session,
    *,
    actor: Actor,
    absence_id: int,
    choices: dict[int, int],
    today: date | None = None,
) -> list[CoverAssignment]:
    """Confirm substitutes (referral id → mentor id), checked again; each substitute is told."""
    today = today or clock.today()
    absence, period = _absence(session, absence_id, today)
    chosen = _chosen_referrals(session, absence, choices)
    needs = {n.id: n for n in referral_needs(session, chosen, today)}
    pool = {
        m.id: m
        for m in mentor_profiles(
            session, window=period, cover_window=True, exclude_absence_id=absence.id
        )
    }
    existing = covers_of(session, absence.id)
    rows = []
    for referral in chosen:
        substitute = pool.get(choices[referral.id])
        if substitute is None:
            raise Invalid("Afløseren findes ikke.", field="substitute_mentor_id")
        need = replace(needs[referral.id], start_date=period[0])
        _check_substitute(absence, referral, substitute, need, period)
        # Each confirmed cover uses the substitute's capacity for the next choices.
        pool[substitute.id] = replace(
            substitute,
            caseload=substitute.caseload + 1,
            hours_in_use=substitute.hours_in_use + need.hours_per_week,
        )
        rows.append(_save_cover(session, actor, absence, referral, substitute.id, period, existing))
    return rows


def _chosen_referrals(
    session: Session, absence: Absence, choices: dict[int, int]
) -> list[Referral]:
    """The chosen referrals, in id order; each must be an active citizen of the absent mentor."""
    if not choices:
        raise Invalid("Vælg mindst én afløser.", field="referral_id")
    referrals = {r.id: r for r in _active_referrals(session, absence.mentor_id)}
    strangers = [rid for rid in choices if rid not in referrals]
    if strangers:
        raise Invalid(
            "Afløsning kan kun gives for den fraværende mentors aktive borgere.",
            field="referral_id",
        )
    return [referrals[rid] for rid in sorted(choices)]


def _check_substitute(
    absence: Absence,
    referral: Referral,
    substitute: MentorProfile,
    need: ReferralNeed,
    period: tuple[date, date],
) -> None:
    """409 naming every reason the substitute cannot take the referral."""
    reasons = list(hard_violations(need, substitute))
    if substitute.id == absence.mentor_id:
        reasons.insert(0, "Det er den fraværende mentor")
    elif is_absent(substitute, *period) and "Fravær på startdatoen" not in reasons:
        reasons.append("Fravær i perioden")
    if reasons:
        raise Conflict(
            f"Afløseren kan ikke tage henvisning {referral.id}: {'; '.join(reasons)}.",
            field="substitute_mentor_id",
        )


def _save_cover(
    session: Session,
    actor: Actor,
    absence: Absence,
    referral: Referral,
    substitute_id: int,
    period: tuple[date, date],
    existing: dict[int, CoverAssignment],
) -> CoverAssignment:
    """Create or update the cover row, audit it and tell the substitute."""
    row = existing.get(referral.id) or CoverAssignment(
        absence_id=absence.id,
        referral_id=referral.id,
        substitute_mentor_id=substitute_id,
        start=period[0],
        end=period[1],
    )
    row.substitute_mentor_id = substitute_id
    row.start, row.end = period
    row.confirmed_by = actor.id
    row.confirmed_at = utcnow()
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "update" if referral.id in existing else "create",
        purpose="matching",
        entity="cover_assignment",
        entity_id=row.id,
        citizen_id=referral.citizen_id,
        detail={
            "substitute_mentor_id": substitute_id,
            "start": period[0].isoformat(),
            "end": period[1].isoformat(),
        },
    )
    cover_confirmed(
        session,
        referral,
        cover_id=row.id,
        substitute_mentor_id=substitute_id,
        start=row.start,
        end=row.end,
    )
    return row


def covering(session: Session, referral_id: int, mentor_id: int, day: date) -> bool:
    """True when the mentor is a confirmed substitute for the referral on that day."""
    query = select(CoverAssignment.id).where(
        CoverAssignment.referral_id == referral_id,
        CoverAssignment.substitute_mentor_id == mentor_id,
        CoverAssignment.start <= day,
        CoverAssignment.end >= day,
    )
    return session.exec(query.limit(1)).first() is not None
