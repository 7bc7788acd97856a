"""Matching pages: suggestions on the referral page, the plan, weights, agreements and cover."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlmodel import select
from starlette.datastructures import FormData

from matching.labels import hours as hours_text
from matching.weights import CRITERIA, CRITERION_LABELS, DEFAULT_WEIGHTS, MAX_WEIGHT
from service.audit.service import Actor
from service.core import clock
from service.core.errors import DomainError, Forbidden, Invalid, NotFound
from service.core.limits import MAX_IDS
from service.corps import agreements, cover, exclusions, matching, vocab, weights
from service.corps.citizens import citizen_seen_by
from service.corps.models import Citizen, Mentor, Referral
from service.corps.referral_queries import citizens_of
from service.pages.referrals import _page
from service.web.guard import SessionDep, requires
from service.web.templates import redirect, render

router = APIRouter(prefix="/matchning")
COORDINATOR = requires("coordinator")
READERS = requires("coordinator", "admin", "caseworker", "mentor")


async def form_data(request: Request) -> FormData:
    return await request.form()


def _capped(values: list, field: str) -> list:
    if len(values) > MAX_IDS:
        raise Invalid(f"Højst {MAX_IDS} valg ad gangen i feltet {field}.", field=field)
    return values


def _int(value) -> int | None:
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:  # ASCII ids only
        return None
    return int(text)


def _gap_text(gap: float | None, optimal: bool) -> str:
    if optimal or gap == 0.0:
        return "bevist optimal"
    if gap is None:
        return "afstand til optimum ukendt"
    return f"højst {gap * 100:.2f} % fra optimum".replace(".", ",")


def _referral_page_again(request, session, actor, referral_id, mentor_id, reason, error):
    request.state.matching_form = {
        "mentor_id": mentor_id,
        "reason": reason,
        "errors": {error.field or "reason": error.message},
    }
    return _page(request, session, actor, referral_id, status=error.status)


@router.post("/henvisninger/{referral_id}/tildel", name="matching_assign")
def assign(
    request: Request,
    referral_id: int,
    session: SessionDep,
    actor: Actor = Depends(COORDINATOR),
    data: FormData = Depends(form_data),
):
    mentor_id = _int(data.get("mentor_id"))
    reason = str(data.get("reason") or "")
    try:
        if mentor_id is None:
            raise Invalid("Vælg en mentor.", field="mentor_id")
        done = matching.assign(
            session, actor=actor, referral_id=referral_id, mentor_id=mentor_id, reason=reason
        )
    except (NotFound, Forbidden):
        raise
    except DomainError as error:
        session.rollback()
        return _referral_page_again(request, session, actor, referral_id, mentor_id, reason, error)
    name = matching.mentor_names(session, [done.assignment.mentor_id]).get(
        done.assignment.mentor_id, ""
    )
    url = request.url_for("referral_page", referral_id=referral_id).path
    return redirect(request, url, f"{name} er tildelt som mentor. Forløbet er nu aktivt.")


@router.post("/henvisninger/{referral_id}/forny", name="matching_renew")
def renew(
    request: Request, referral_id: int, session: SessionDep, actor: Actor = Depends(COORDINATOR)
):
    agreement = agreements.renew(session, actor=actor, referral_id=referral_id)
    url = request.url_for("matching_agreement", agreement_id=agreement.id).path
    message = f"Ny mentoraftale for {agreement.valid_from:%d.%m.%Y}–{agreement.valid_to:%d.%m.%Y}."
    return redirect(request, url, message)


@router.get("/aftaler/{agreement_id}", name="matching_agreement")
def agreement_page(
    request: Request, agreement_id: int, session: SessionDep, actor: Actor = Depends(READERS)
):
    agreement, referral = agreements.read_agreement(session, actor=actor, agreement_id=agreement_id)
    citizen = citizen_seen_by(actor, referral, session.get_one(Citizen, referral.citizen_id))
    newer = [a for a in agreements.agreements_of(session, referral.id) if a.id != agreement.id]
    context = {
        "agreement": agreement,
        "referral": referral,
        "citizen": citizen,
        "others": newer,
        "hours": hours_text(agreement.hours_per_week),
        "superseded_by": next((a for a in newer if a.supersedes_id == agreement.id), None),
    }
    return render(request, "matching/agreement.html", context)


# --- exclusions ----------------------------------------------------------------------------


def _back_to(session, citizen_id: int, referral_id: int | None) -> Referral | None:
    referral = session.get(Referral, referral_id) if referral_id else None
    return referral if referral is not None and referral.citizen_id == citizen_id else None


def _exclusions_page(
    request, session, actor, citizen_id, referral_id, typed=None, errors=None, status=200
):
    rows = exclusions.list_exclusions(session, actor=actor, citizen_id=citizen_id)
    citizen = session.get(Citizen, citizen_id)
    names = matching.mentor_names(session, session.exec(select(Mentor.id)).all())
    excluded = {row.mentor_id for row in rows}
    options = {
        str(mentor_id): name
        for mentor_id, name in sorted(names.items(), key=lambda item: (item[1], item[0]))
        if mentor_id not in excluded
    }
    context = {
        "citizen": citizen,
        "rows": rows,
        "names": names,
        "authors": matching.user_names(session, [r.created_by for r in rows if r.created_by]),
        "options": options,
        "typed": typed or {},
        "errors": errors or {},
        "referral": _back_to(session, citizen_id, referral_id),
        "max_reason": exclusions.MAX_REASON,
    }
    return render(request, "matching/exclusions.html", context, status=status)


@router.get("/borgere/{citizen_id}/udelukkelser", name="matching_exclusions")
def exclusions_page(
    request: Request, citizen_id: int, session: SessionDep, actor: Actor = Depends(COORDINATOR)
):
    referral_id = _int(request.query_params.get("henvisning"))
    return _exclusions_page(request, session, actor, citizen_id, referral_id)


@router.post("/borgere/{citizen_id}/udelukkelser", name="matching_exclusions_add")
def add_exclusion(
    request: Request,
    citizen_id: int,
    session: SessionDep,
    actor: Actor = Depends(COORDINATOR),
    data: FormData = Depends(form_data),
):
    referral_id = _int(data.get("henvisning"))
    typed = {
        "mentor_id": str(data.get("mentor_id") or "").strip(),
        "reason": str(data.get("reason") or ""),
    }
    try:
        mentor_id = _int(typed["mentor_id"])
        if typed["mentor_id"] and mentor_id is None:
            raise Invalid("Vælg en mentor på listen.", field="mentor_id")
        row = exclusions.add_exclusion(
            session,
            actor=actor,
            citizen_id=citizen_id,
            mentor_id=mentor_id,
            reason=typed["reason"],
        )
    except (NotFound, Forbidden):
        raise
    except DomainError as error:
        session.rollback()
        errors = {error.field or "reason": error.message}
        return _exclusions_page(
            request, session, actor, citizen_id, referral_id, typed, errors, status=error.status
        )
    name = matching.mentor_names(session, [row.mentor_id]).get(row.mentor_id, "Mentoren")
    url = request.url_for("matching_exclusions", citizen_id=citizen_id).path
    if _back_to(session, citizen_id, referral_id):
        url += f"?henvisning={referral_id}"
    return redirect(request, url, f"{name} bliver ikke foreslået til borgeren.")


# --- the plan ----------------------------------------------------------------------------


def _plan_page(request, session, actor, chosen, result_rows=None, error="", status=200):
    accepted = matching.plannable(session, None)
    citizens = {c.id: c for c in _citizens(session, accepted)}
    try:
        result, referrals = matching.plan_referrals(
            session, actor=actor, referral_ids=chosen or None
        )
    except DomainError as problem:
        result, referrals, error = None, [], problem.message
        status = 422
    by_id = {r.id: r for r in referrals}
    names = matching.mentor_names(
        session, [a.mentor_id for a in result.assignments] if result else []
    )
    context = {
        "accepted": accepted,
        "citizens": citizens,
        "chosen": set(chosen or ()),
        "result": result,
        "referrals": by_id,
        "names": names,
        "gap_text": _gap_text(result.gap, result.optimal) if result else "",
        "better": _better(result) if result else "",
        "result_rows": result_rows,
        "error": error,
    }
    return render(request, "matching/plan.html", context, status=status)


def _citizens(session, referrals):
    return citizens_of(session, referrals).values()


def _better(result) -> str:
    if not result.greedy_total:
        return ""
    share = (result.total_score - result.greedy_total) / result.greedy_total * 100
    return f"{share:.1f} %".replace(".", ",")


@router.get("/plan", name="matching_plan")
def plan_page(request: Request, session: SessionDep, actor: Actor = Depends(COORDINATOR)):
    picked = _capped(request.query_params.getlist("henvisning"), "henvisning")
    chosen = [i for i in (_int(v) for v in picked) if i]
    return _plan_page(request, session, actor, chosen)


@router.post("/plan", name="matching_plan_accept")
def accept_plan(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(COORDINATOR),
    data: FormData = Depends(form_data),
):
    pairs = []
    for value in _capped(data.getlist("row"), "row"):
        left, _, right = str(value).partition(":")
        referral_id, mentor_id = _int(left), _int(right)
        if referral_id and mentor_id:
            pairs.append((referral_id, mentor_id))
    chosen = [i for i in (_int(v) for v in _capped(data.getlist("henvisning"), "henvisning")) if i]
    if not pairs:
        return _plan_page(
            request, session, actor, chosen, error="Vælg mindst én tildeling.", status=422
        )
    names = matching.mentor_names(session, [m for _, m in pairs])
    rows = []
    for referral_id, mentor_id in sorted(pairs):
        try:
            # assign() checks everything before it writes: a refused row leaves no trace.
            matching.assign(
                session,
                actor=actor,
                referral_id=referral_id,
                mentor_id=mentor_id,
                reason=matching.PLAN_REASON,
            )
            rows.append((referral_id, names.get(mentor_id, ""), True, "Tildelt"))
        except DomainError as error:
            rows.append((referral_id, names.get(mentor_id, ""), False, error.message))
    assigned = {referral_id for referral_id, _name, ok, _message in rows if ok}
    remaining = [i for i in chosen if i not in assigned]
    return _plan_page(request, session, actor, remaining, result_rows=rows)


# --- weights -------------------------------------------------------------------------------


def _weights_page(request, session, typed=None, errors=None, status=200):
    rows = weights.stored(session)
    context = {
        "criteria": CRITERIA,
        "labels": CRITERION_LABELS,
        "defaults": DEFAULT_WEIGHTS,
        "current": weights.current_weights(session),
        "typed": typed or {},
        "errors": errors or {},
        "updated": {k: r.updated_at for k, r in rows.items()},
        "max_weight": MAX_WEIGHT,
    }
    return render(request, "matching/weights.html", context, status=status)


@router.get("/vaegte", name="matching_weights")
def weights_page(request: Request, session: SessionDep, actor: Actor = Depends(COORDINATOR)):
    return _weights_page(request, session)


@router.post("/vaegte", name="matching_weights_save")
def save_weights(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(COORDINATOR),
    data: FormData = Depends(form_data),
):
    typed = {key: str(data.get(key) or "").strip() for key in CRITERIA}
    errors, values = {}, {}
    for key, text in typed.items():
        value = _int(text)
        if value is None or not 0 <= value <= MAX_WEIGHT:
            errors[key] = f"Skriv et helt tal fra 0 til {MAX_WEIGHT}."
        else:
            values[key] = value
    if errors:
        return _weights_page(request, session, typed, errors, status=422)
    weights.set_weights(session, actor=actor, weights=values)
    url = request.url_for("matching_weights").path
    return redirect(request, url, "Vægtene er gemt. Forslagene bruger dem fra nu af.")


# --- cover during absence -----------------------------------------------------------------


@router.get("/afloesning", name="matching_cover_list")
def cover_list(request: Request, session: SessionDep, actor: Actor = Depends(COORDINATOR)):
    rows = cover.upcoming_absences(session, clock.today())
    return render(request, "matching/cover_list.html", {"rows": rows, "kinds": vocab.ABSENCE_KINDS})


def _cover_page(request, session, actor, absence_id, errors=None, status=200):
    absence, period, rows = cover.proposal(session, actor=actor, absence_id=absence_id)
    ids = [r.suggestion.substitute_id for r in rows if r.suggestion.substitute_id]
    ids += [r.confirmed.substitute_mentor_id for r in rows if r.confirmed]
    names = matching.mentor_names(session, [*ids, absence.mentor_id])
    context = {
        "absence": absence,
        "period": period,
        "rows": rows,
        "names": names,
        "labels": CRITERION_LABELS,
        "errors": errors or {},
        "kinds": vocab.ABSENCE_KINDS,
    }
    return render(request, "matching/cover.html", context, status=status)


@router.get("/afloesning/{absence_id}", name="matching_cover")
def cover_page(
    request: Request, absence_id: int, session: SessionDep, actor: Actor = Depends(COORDINATOR)
):
    return _cover_page(request, session, actor, absence_id)


@router.post("/afloesning/{absence_id}", name="matching_cover_confirm")
def confirm_cover(
    request: Request,
    absence_id: int,
    session: SessionDep,
    actor: Actor = Depends(COORDINATOR),
    data: FormData = Depends(form_data),
):
    choices: dict[int, int] = {}
    for value in _capped(data.getlist("row"), "row"):
        left, _, right = str(value).partition(":")
        referral_id, substitute_id = _int(left), _int(right)
        if referral_id and substitute_id:
            choices[referral_id] = substitute_id
    try:
        confirmed = cover.confirm(session, actor=actor, absence_id=absence_id, choices=choices)
    except (NotFound, Forbidden):
        raise
    except DomainError as error:
        session.rollback()
        return _cover_page(
            request, session, actor, absence_id, {"form": error.message}, status=error.status
        )
    url = request.url_for("matching_cover", absence_id=absence_id).path
    count = len(confirmed)
    return redirect(
        request, url, f"Afløsning bekræftet for {count} borger{'e' if count != 1 else ''}."
    )
