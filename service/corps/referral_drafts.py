"""The referral form's content (a draft): its checks, and the draft of a stored referral."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from service.core.formatting import cpr_masked
from service.corps import vocab
from service.corps.citizens import CONTACT_FIELDS, citizen_errors, submitted_values
from service.corps.cpr import normalise_cpr
from service.corps.models import Citizen, Referral
from service.corps.referral_queries import sub_goals


@dataclass
class ReferralDraft:
    """What a caseworker fills in on the referral form (or sends to the API)."""

    citizen: dict = field(default_factory=dict)
    job_goal: str = ""
    sub_goals: list[str] = field(default_factory=list)
    focus_roles: list[str] = field(default_factory=list)
    focus_areas: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    required_languages: list[str] = field(default_factory=list)
    preferred_mentor_gender: str | None = None
    granted_hours_per_week: Decimal | None = None
    start_date: date | None = None
    end_date: date | None = None
    review_date: date | None = None
    legal_basis: str = "lab"
    lab_tasks: str = ""
    sel85_tasks: str = ""
    tasks_can: list[str] = field(default_factory=list)
    tasks_cannot: list[str] = field(default_factory=list)
    consent_information_exchange: bool = False
    health_information: str = ""
    considerations: str = ""


def _unknown(values, allowed) -> list[str]:
    return [str(v) for v in values if v not in allowed]


def draft_errors(draft: ReferralDraft, *, form: bool = False) -> dict[str, str]:
    """Danish errors by field; `form` adds the stricter rules of the referral form."""
    errors = citizen_errors(draft.citizen)
    # Each step adds to `errors` in the form's order: the first error is the one raised.
    _goal_errors(draft, form, errors)
    _choice_errors(draft, form, errors)
    _hours_and_dates_errors(draft, errors)
    _task_errors(draft, form, errors)
    return errors


def _goal_errors(draft: ReferralDraft, form: bool, errors: dict[str, str]) -> None:
    if not draft.job_goal.strip():
        errors["job_goal"] = "Skriv borgerens job- eller uddannelsesmål."
    elif len(draft.job_goal) > 500:
        errors["job_goal"] = "Målet må højst være 500 tegn."
    goals = [g for g in draft.sub_goals if g.strip()]
    if any(len(g) > 300 for g in goals):
        errors["sub_goals"] = "Et delmål må højst være 300 tegn."
    elif form and not goals:
        errors["sub_goals"] = "Skriv mindst ét delmål fra rehabiliteringsplanen."


def _choice_errors(draft: ReferralDraft, form: bool, errors: dict[str, str]) -> None:
    if bad := _unknown(draft.focus_roles, vocab.ROLES):
        errors["focus_roles"] = f"Ukendt fokusrolle: {', '.join(bad)}."
    elif form and not draft.focus_roles:
        errors["focus_roles"] = "Vælg mindst én fokusrolle."
    areas = {a for r in draft.focus_roles if r in vocab.ROLE_AREAS for a in vocab.ROLE_AREAS[r]}
    if bad := _unknown(draft.focus_areas, areas):
        errors["focus_areas"] = "Delområderne skal høre til en valgt fokusrolle."
    if bad := _unknown(draft.target_groups, vocab.TARGET_GROUPS):
        errors["target_groups"] = f"Ukendt målgruppe: {', '.join(bad)}."
    if bad := _unknown(draft.required_languages, vocab.LANGUAGES):
        errors["required_languages"] = f"Ukendt sprog: {', '.join(bad)}."
    gender = draft.preferred_mentor_gender
    if gender is not None and gender not in vocab.GENDERS:
        errors["preferred_mentor_gender"] = "Ukendt køn."


def _hours_and_dates_errors(draft: ReferralDraft, errors: dict[str, str]) -> None:
    hours = draft.granted_hours_per_week
    if hours is None:
        errors.setdefault("granted_hours_per_week", "Skriv de bevilgede timer pr. uge.")
    elif not Decimal(0) < hours <= Decimal(40):
        errors["granted_hours_per_week"] = "Timer pr. uge skal være over 0 og højst 40."
    if draft.start_date is None:
        errors.setdefault("start_date", "Skriv startdatoen.")
    if draft.end_date is None:
        errors.setdefault("end_date", "Skriv slutdatoen.")
    elif draft.start_date and draft.end_date < draft.start_date:
        errors["end_date"] = "Slutdatoen må ikke ligge før startdatoen."
    review = draft.review_date
    if (
        review
        and draft.start_date
        and draft.end_date
        and not (draft.start_date <= review <= draft.end_date)
    ):
        errors["review_date"] = "Opfølgningsdatoen skal ligge i perioden."


def _task_errors(draft: ReferralDraft, form: bool, errors: dict[str, str]) -> None:
    if draft.legal_basis not in vocab.LEGAL_BASES:
        errors["legal_basis"] = "Vælg lovgrundlag: LAB eller LAB og serviceloven § 85."
    elif form and draft.legal_basis == "lab_and_sel85":
        if not draft.lab_tasks.strip():
            errors["lab_tasks"] = "Skriv hvilke opgaver der hører under LAB."
        if not draft.sel85_tasks.strip():
            errors["sel85_tasks"] = "Skriv hvilke opgaver der hører under serviceloven § 85."
    if bad := _unknown(draft.tasks_can, vocab.TASKS_CAN):
        errors["tasks_can"] = f"Ukendt opgave: {', '.join(bad)}."
    if bad := _unknown(draft.tasks_cannot, vocab.TASKS_CANNOT):
        errors["tasks_cannot"] = f"Ukendt opgave: {', '.join(bad)}."
    if draft.health_information.strip() and not draft.consent_information_exchange:
        errors["health_information"] = (
            "Helbredsoplysninger kan kun gives, når borgeren har givet samtykke."
        )


# The fields a caseworker may change on a returned referral, with their Danish labels.
REVISABLE = {
    "cpr": "CPR-nummer",
    "name": "Navn",
    "phone": "Telefon",
    "email": "E-mail",
    "address": "Adresse",
    "district": "Distrikt",
    "job_goal": "Mål",
    "sub_goals": "Delmål",
    "focus_roles": "Fokusroller",
    "focus_areas": "Delområder",
    "target_groups": "Målgrupper",
    "required_languages": "Sprog",
    "preferred_mentor_gender": "Ønsket køn",
    "granted_hours_per_week": "Timer pr. uge",
    "start_date": "Startdato",
    "end_date": "Slutdato",
    "review_date": "Opfølgningsdato",
    "legal_basis": "Lovgrundlag",
    "lab_tasks": "Opgaver efter LAB",
    "sel85_tasks": "Opgaver efter § 85",
    "tasks_can": "Opgaven kan være",
    "tasks_cannot": "Opgaven kan ikke være",
    "consent_information_exchange": "Samtykke",
    "health_information": "Helbredsoplysninger",
    "considerations": "Særlige hensyn",
}
PLAN_FIELDS = tuple(k for k in REVISABLE if k not in (*CONTACT_FIELDS, "cpr", "sub_goals"))


def draft_of(session: Session, referral: Referral) -> ReferralDraft:
    """The referral as its caseworker submitted it (the CPR in full: audit it at display)."""
    citizen = session.get_one(Citizen, referral.citizen_id)
    return ReferralDraft(
        citizen={"cpr": citizen.cpr, **submitted_values(referral.submitted_citizen or {})},
        sub_goals=[g.title for g in sub_goals(session, referral.id)],
        **{k: getattr(referral, k) for k in PLAN_FIELDS},
    )


def snapshot(draft: ReferralDraft) -> dict:
    """Comparable, JSON-safe values of a draft (CPR masked, health information left out)."""
    values: dict = {k: (draft.citizen.get(k) or "").strip() for k in CONTACT_FIELDS}
    values["cpr"] = cpr_masked(normalise_cpr(draft.citizen.get("cpr") or ""))
    values["sub_goals"] = [g.strip() for g in draft.sub_goals if g.strip()]
    for name in PLAN_FIELDS:
        value = getattr(draft, name)
        if isinstance(value, str):
            value = value.strip()
        elif isinstance(value, Decimal):
            value = str(value.quantize(Decimal("0.01")))
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, list):
            value = sorted(value)  # a choice, not a sequence: order is no change
        values[name] = value
    if not draft.consent_information_exchange:
        values["health_information"] = ""
    return values
