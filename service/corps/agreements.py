"""The mentor agreement (mentoraftale, STAR's tool 8): made at assignment, renewed, printable.

An agreement runs at most 6 months and never past the referral's end. Renewal makes a new
agreement for the next period that names the one it supersedes; the old one is kept as is.
Name and contact of the mentor are copied in: the agreement says what was agreed then.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from sqlmodel import Session, col, select

from reports.core.danish import long_date
from service.audit.service import Actor, record
from service.auth.models import User
from service.core import clock
from service.core.errors import Conflict, IllegalTransition, NotFound
from service.corps import vocab
from service.corps.models import Mentor, MentorAgreement, Referral
from service.corps.referral_queries import visible_referral

MAX_MONTHS = 6
KLAGEVEJLEDNING = (
    "Er du utilfreds med din mentorstøtte eller med denne aftale, kan du først tale med din "
    "mentor eller mentorkorpsets koordinator. Du kan også kontakte din sagsbehandler i "
    "jobcentret. Vil du klage over en afgørelse om mentorstøtte, skal klagen sendes til "
    "jobcentret inden 4 uger efter, at du har fået afgørelsen. Jobcentret ser sagen igen, og "
    "fastholder jobcentret afgørelsen, sendes klagen videre til Ankestyrelsen."
)


def agreement_path(agreement_id: int) -> str:
    """The agreement page's path (the link in notifications)."""
    return f"/matchning/aftaler/{agreement_id}"


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period(start: date, limit: date) -> tuple[date, date]:
    """An agreement period from start: 6 months less a day, capped by the referral's end."""
    return start, min(add_months(start, MAX_MONTHS) - timedelta(days=1), limit)


def _labels(codes: list[str], names: dict[str, str]) -> str:
    return "; ".join(names.get(c, c) for c in codes)


def tasks_text(referral: Referral) -> str:
    """The mentor's tasks from the referral: roles, what the task can and cannot be."""
    lines = []
    if referral.focus_roles:
        lines.append(f"Mentorens roller: {_labels(referral.focus_roles, vocab.ROLES)}.")
    if referral.tasks_can:
        lines.append(f"Opgaven kan være: {_labels(referral.tasks_can, vocab.TASKS_CAN)}.")
    if referral.tasks_cannot:
        text = _labels(referral.tasks_cannot, vocab.TASKS_CANNOT)
        lines.append(f"Opgaven kan ikke være: {text}.")
    if referral.lab_tasks:
        lines.append(f"Opgaver efter lov om en aktiv beskæftigelsesindsats: {referral.lab_tasks}")
    if referral.sel85_tasks:
        lines.append(f"Opgaver efter serviceloven § 85: {referral.sel85_tasks}")
    return "\n".join(lines)


def _make(
    session: Session,
    *,
    actor: Actor,
    referral: Referral,
    mentor: Mentor,
    start: date,
    supersedes: MentorAgreement | None = None,
) -> MentorAgreement:
    if start > referral.end_date:
        raise Conflict(
            f"Forløbet slutter {long_date(referral.end_date)}; der er ingen periode at lave "
            "en aftale for."
        )
    valid_from, valid_to = period(start, referral.end_date)
    user = session.get(User, mentor.user_id)
    agreement = MentorAgreement(
        referral_id=referral.id,
        mentor_id=mentor.id,
        mentor_name=user.name if user else "",
        mentor_contact=user.email if user else "",
        valid_from=valid_from,
        valid_to=valid_to,
        goal=referral.job_goal,
        tasks=tasks_text(referral),
        hours_per_week=referral.granted_hours_per_week,
        complaint=KLAGEVEJLEDNING,
        created_by=actor.id,
        supersedes_id=supersedes.id if supersedes else None,
    )
    session.add(agreement)
    session.flush()
    record(
        session,
        actor,
        "create",
        purpose="casework",
        entity="mentor_agreement",
        entity_id=agreement.id,
        citizen_id=referral.citizen_id,
        detail={"supersedes_id": agreement.supersedes_id},
    )
    return agreement


def create_for_assignment(
    session: Session, *, actor: Actor, referral: Referral, mentor: Mentor, today: date
) -> MentorAgreement:
    """The first agreement of an assignment: from the start date (or today, if later)."""
    start = max(referral.start_date, today)
    return _make(session, actor=actor, referral=referral, mentor=mentor, start=start)


def agreements_of(session: Session, referral_id: int) -> list[MentorAgreement]:
    """The referral's agreements, newest first."""
    query = select(MentorAgreement).where(MentorAgreement.referral_id == referral_id)
    return list(
        session.exec(
            query.order_by(col(MentorAgreement.created_at).desc(), col(MentorAgreement.id).desc())
        )
    )


def renew(
    session: Session, *, actor: Actor, referral_id: int, today: date | None = None
) -> MentorAgreement:
    """A new agreement for the next period (the old one is kept and superseded)."""
    today = today or clock.today()
    referral = visible_referral(session, referral_id, actor)
    if referral.status not in ("active", "paused") or referral.mentor_id is None:
        raise IllegalTransition("Kun et igangværende forløb med en mentor kan få en ny aftale.")
    current = next(iter(agreements_of(session, referral.id)), None)
    start = max(current.valid_to + timedelta(days=1), today) if current else today
    mentor = session.get_one(Mentor, referral.mentor_id)
    return _make(
        session, actor=actor, referral=referral, mentor=mentor, start=start, supersedes=current
    )


def read_agreement(
    session: Session, *, actor: Actor, agreement_id: int
) -> tuple[MentorAgreement, Referral]:
    """An agreement the actor may see (through its referral), audited as a read."""
    agreement = session.get(MentorAgreement, agreement_id)
    if agreement is None:
        raise NotFound("Aftalen findes ikke.")
    referral = visible_referral(session, agreement.referral_id, actor)
    record(
        session,
        actor,
        "read",
        purpose="casework",
        entity="mentor_agreement",
        entity_id=agreement.id,
        citizen_id=referral.citizen_id,
    )
    return agreement, referral
