"""Mentor profiles and absences (their hourly rates are the refund's: reports/rates.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, func, select

from service.audit.service import Actor, record
from service.auth import accounts
from service.auth.models import Role, User
from service.auth.passwords import password_problem
from service.core import clock
from service.core.emailaddr import valid_email
from service.core.errors import Conflict, Invalid, NotFound
from service.corps import vocab
from service.corps.models import Absence, Mentor, Referral

PROFILE_FIELDS = (
    "gender",
    "birth_year",
    "languages",
    "background_areas",
    "target_groups",
    "roles",
    "district",
    "weekly_hours",
    "max_caseload",
    "employment",
    "active",
    "presentation",
)
_LISTS = {
    "languages": (vocab.LANGUAGES, "Ukendt sprog"),
    "background_areas": (vocab.BACKGROUND_AREAS, "Ukendt baggrundsområde"),
    "target_groups": (vocab.TARGET_GROUPS, "Ukendt målgruppe"),
    "roles": (vocab.ROLES, "Ukendt rolle"),
}


def profile_errors(fields: dict) -> dict[str, str]:
    """Return Danish error messages by field for the profile values given."""
    errors: dict[str, str] = {}
    for name, (allowed, message) in _LISTS.items():
        unknown = [v for v in fields.get(name) or [] if v not in allowed]
        if name in fields and unknown:
            errors[name] = f"{message}: {', '.join(map(str, unknown))}."
    if fields.get("gender") is not None and fields["gender"] not in vocab.GENDERS:
        errors["gender"] = "Køn skal være kvinde, mand eller andet."
    if "employment" in fields and fields["employment"] not in vocab.EMPLOYMENT:
        errors["employment"] = "Ansættelse skal være fuldtid eller deltid."
    year = fields.get("birth_year")
    if year is not None and not 1900 <= year <= clock.today().year - 15:
        errors["birth_year"] = "Fødselsåret er ikke gyldigt."
    hours = fields.get("weekly_hours")
    if "weekly_hours" in fields and (hours is None or not Decimal(0) <= hours <= Decimal(60)):
        errors["weekly_hours"] = "Timer pr. uge skal være mellem 0 og 60."
    caseload = fields.get("max_caseload")
    if "max_caseload" in fields and (caseload is None or not 0 <= caseload <= 100):
        errors["max_caseload"] = "Maks. antal borgere skal være mellem 0 og 100."
    return errors


def _check(fields: dict) -> None:
    errors = profile_errors(fields)
    if errors:
        field, message = next(iter(errors.items()))
        raise Invalid(message, field=field)


def create_mentor(session: Session, *, actor: Actor, user_id: int, **fields) -> Mentor:
    """Create the profile of a mentor user (one per user)."""
    user = session.get(User, user_id)
    if user is None or user.role != Role.mentor:
        raise Invalid("Brugeren findes ikke eller har ikke rollen mentor.", field="user_id")
    if session.exec(select(Mentor).where(Mentor.user_id == user_id)).first():
        raise Conflict("Brugeren har allerede en mentorprofil.", field="user_id")
    _check(fields)
    mentor = Mentor(user_id=user_id, **{k: v for k, v in fields.items() if k in PROFILE_FIELDS})
    session.add(mentor)
    session.flush()
    record(session, actor, "create", purpose="administration", entity="mentor", entity_id=mentor.id)
    return mentor


def new_user_errors(session: Session, *, name: str, email: str, password: str) -> dict[str, str]:
    """Danish errors by field for a new mentor user (name, e-mail, password)."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Skriv mentorens navn."
    try:
        if accounts.find_by_email(session, valid_email(email)):
            errors["email"] = "Der findes allerede en bruger med denne e-mail."
    except Invalid as error:
        errors["email"] = error.message
    if problem := password_problem(password):
        errors["password"] = problem
    return errors


def create_mentor_user(
    session: Session, *, actor: Actor, name: str, email: str, password: str, **fields
) -> Mentor:
    """Create a user with the role mentor and their profile in one step."""
    _check(fields)
    user = accounts.create_user(
        session, email=email, name=name, role=Role.mentor, password=password, actor=actor
    )
    return create_mentor(session, actor=actor, user_id=user.id, **fields)


def users_without_profile(session: Session) -> list[User]:
    """Active users with the role mentor who have no mentor profile yet, by name."""
    query = (
        select(User)
        .where(User.role == Role.mentor)
        .where(col(User.id).not_in(select(Mentor.user_id)))
        .order_by(col(User.name))
    )
    return [u for u in session.exec(query) if u.active]


def update_mentor(session: Session, *, actor: Actor, mentor: Mentor, **changes) -> Mentor:
    """Change the given profile fields."""
    changes = {k: v for k, v in changes.items() if k in PROFILE_FIELDS}
    _check(changes)
    changes = {k: v for k, v in changes.items() if getattr(mentor, k) != v}
    for key, value in changes.items():
        setattr(mentor, key, value)
    session.add(mentor)
    session.flush()
    record(
        session,
        actor,
        "update",
        purpose="administration",
        entity="mentor",
        entity_id=mentor.id,
        detail={"fields": sorted(changes)},
    )
    return mentor


def mentor_of_user(session: Session, user_id: int | None) -> Mentor | None:
    """The mentor profile of a user, if any."""
    if user_id is None:
        return None
    return session.exec(select(Mentor).where(Mentor.user_id == user_id)).first()


def visible_mentor(session: Session, mentor_id: int, actor: Actor) -> Mentor:
    """Return the profile if the actor may see it (a mentor only their own), else NotFound."""
    mentor = session.get(Mentor, mentor_id)
    if mentor is None or (actor.role == Role.mentor and mentor.user_id != actor.id):
        raise NotFound("Mentoren findes ikke.")
    if actor.role not in (Role.coordinator, Role.admin, Role.mentor, Role.finance):
        raise NotFound("Mentoren findes ikke.")
    return mentor


@dataclass(frozen=True)
class MentorFilter:
    target_group: str | None = None
    language: str | None = None
    district: str | None = None
    role: str | None = None
    free_capacity: bool = False
    active_only: bool = False


@dataclass(frozen=True)
class Load:
    """A mentor's caseload: granted hours per week and count of active referrals."""

    hours: Decimal = Decimal("0.00")
    count: int = 0


def caseloads(session: Session) -> dict[int, Load]:
    """Granted hours per week and number of active referrals, by mentor id."""
    query = (
        select(col(Referral.mentor_id), col(Referral.granted_hours_per_week))
        .where(Referral.status == "active")
        .where(col(Referral.mentor_id).is_not(None))
    )
    loads: dict[int, Load] = {}
    for mentor_id, hours in session.exec(query):
        assert mentor_id is not None  # the query leaves out referrals without a mentor
        current = loads.get(mentor_id, Load())
        loads[mentor_id] = Load(current.hours + hours, current.count + 1)
    return loads


def has_free_capacity(mentor: Mentor, load: Load) -> bool:
    """Room for one more citizen: under the caseload and under the weekly hours."""
    return load.count < mentor.max_caseload and load.hours < mentor.weekly_hours


def list_mentors(
    session: Session, actor: Actor, flt: MentorFilter | None = None
) -> list[tuple[Mentor, User, Load]]:
    """Return (profile, user, load) by name; a mentor sees only their own profile."""
    flt = flt or MentorFilter()
    query = select(Mentor, User).join(User, col(User.id) == col(Mentor.user_id))
    if actor.role == Role.mentor:
        query = query.where(Mentor.user_id == actor.id)
    if flt.district:
        query = query.where(func.lower(Mentor.district) == flt.district.strip().lower())
    if flt.active_only:
        query = query.where(col(Mentor.active).is_(True))
    loads = caseloads(session)
    rows = []
    for mentor, user in session.exec(query.order_by(col(User.name))):
        if flt.target_group and flt.target_group not in mentor.target_groups:
            continue
        if flt.language and flt.language not in mentor.languages:
            continue
        if flt.role and flt.role not in mentor.roles:
            continue
        load = loads.get(mentor.id, Load())
        if flt.free_capacity and not (mentor.active and has_free_capacity(mentor, load)):
            continue
        rows.append((mentor, user, load))
    return rows


def districts(session: Session) -> list[str]:
    """The districts mentors work in, sorted."""
    found = session.exec(select(Mentor.district).distinct()).all()
    return sorted(d for d in found if d)


def add_absence(
    session: Session, *, actor: Actor, mentor: Mentor, start: date, end: date, kind: str, note=""
) -> Absence:
    """Record a period the mentor is away (holiday, time off, sick, training)."""
    if kind not in vocab.ABSENCE_KINDS:
        raise Invalid("Vælg en type fravær.", field="kind")
    if end < start:
        raise Invalid("Slutdatoen må ikke ligge før startdatoen.", field="end")
    absence = Absence(mentor_id=mentor.id, start=start, end=end, kind=kind, note=note.strip())
    session.add(absence)
    session.flush()
    record(
        session, actor, "create", purpose="administration", entity="absence", entity_id=absence.id
    )
    return absence


def absences_between(session: Session, start: date, end: date) -> list[Absence]:
    """Absences that overlap the period [start, end], by start date."""
    query = (
        select(Absence)
        .where(Absence.start <= end)
        .where(Absence.end >= start)
        .order_by(col(Absence.start), col(Absence.id))
    )
    return list(session.exec(query))


def mentor_absences(session: Session, mentor_id: int) -> list[Absence]:
    """All absences of one mentor, newest first."""
    query = select(Absence).where(Absence.mentor_id == mentor_id)
    return list(session.exec(query.order_by(col(Absence.start).desc())))
