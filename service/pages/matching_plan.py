"""Matching pages for the coordinator's planning: the plan, the weights, cover during absence."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from sqlmodel import Session, col, select

from matching.weights import CRITERIA, CRITERION_LABELS, DEFAULT_WEIGHTS, MAX_WEIGHT
from service.audit.service import Actor
from service.auth.models import Role
from service.core import clock
from service.core.errors import DomainError, Forbidden, NotFound
from service.core.limits import MAX_IDS
from service.corps import cover, matching, vocab, weights
from service.corps.models import Referral
from service.corps.referral_queries import citizens_of
from service.web.forms import Form, Ids, Integer, Pairs, form_class
from service.web.guard import SessionDep, requires
from service.web.routing import Router
from service.web.templates import redirect, render

router = Router(prefix="/matchning")
COORDINATOR = requires(Role.coordinator)
TOO_MANY = "Højst {limit} valg ad gangen i feltet {key}."


class PlanForm(Form):
    henvisning = Ids(limit=MAX_IDS, too_many=TOO_MANY)  # the referrals to plan
    row = Pairs(limit=MAX_IDS, too_many=TOO_MANY)  # "referral:mentor" rows to assign


class CoverForm(Form):
    row = Pairs(limit=MAX_IDS, too_many=TOO_MANY)  # "referral:substitute" rows to confirm


def _gap_text(gap: float | None, optimal: bool) -> str:
    if optimal or gap == 0.0:
        return "bevist optimal"
    if gap is None:
        return "afstand til optimum ukendt"
    return f"højst {gap * 100:.2f} % fra optimum".replace(".", ",")


def _better(result) -> str:
    if not result.greedy_total:
        return ""
    share = (result.total_score - result.greedy_total) / result.greedy_total * 100
    return f"{share:.1f} %".replace(".", ",")


# --- the plan ----------------------------------------------------------------------------


def _citizen_names(session: Session, referral_ids: list[int]) -> dict[int, str]:
    """The citizen's name of each referral by referral id (unknown ids are left out)."""
    if not referral_ids:
        return {}
    referrals = list(session.exec(select(Referral).where(col(Referral.id).in_(referral_ids))))
    citizens = citizens_of(session, referrals)
    return {r.id: citizens[r.citizen_id].name for r in referrals if r.citizen_id in citizens}


def _plan_page(request, session, actor, chosen, result_rows=None, error="", status=200):
    accepted = matching.plannable(session, None)
    citizens = {c.id: c for c in citizens_of(session, accepted).values()}
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


@router.get("/plan", name="matching_plan")
def plan_page(request: Request, session: SessionDep, actor: Actor = Depends(COORDINATOR)):
    form = PlanForm.from_query(request).or_raise()
    return _plan_page(request, session, actor, form.henvisning)


@router.post("/plan", name="matching_plan_accept")
def accept_plan(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(COORDINATOR),
    form: PlanForm = Depends(PlanForm.from_request),
):
    form.or_raise()
    chosen = form.henvisning
    if not form.row:
        return _plan_page(
            request, session, actor, chosen, error="Vælg mindst én tildeling.", status=422
        )
    names = matching.mentor_names(session, [m for _, m in form.row])
    citizen_names = _citizen_names(session, sorted({r for r, _ in form.row}))
    rows = []
    for referral_id, mentor_id in sorted(form.row):
        citizen = citizen_names.get(referral_id, f"Henvisning {referral_id}")
        try:
            # assign() checks everything before it writes: a refused row leaves no trace.
            matching.assign(
                session,
                actor=actor,
                referral_id=referral_id,
                mentor_id=mentor_id,
                reason=matching.PLAN_REASON,
            )
            rows.append((referral_id, citizen, names.get(mentor_id, ""), True, "Tildelt"))
        except DomainError as error:
            rows.append((referral_id, citizen, names.get(mentor_id, ""), False, error.message))
    assigned = {row[0] for row in rows if row[3]}
    remaining = [i for i in chosen if i not in assigned]
    return _plan_page(request, session, actor, remaining, result_rows=rows)


# --- weights -------------------------------------------------------------------------------

WEIGHT_ERROR = f"Skriv et helt tal fra 0 til {MAX_WEIGHT}."


class _Weights(Form):
    def check(self) -> None:
        for key in CRITERIA:
            if key not in self.errors and not 0 <= getattr(self, key) <= MAX_WEIGHT:
                self.error(key, WEIGHT_ERROR)

    def values(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in CRITERIA}


WeightsForm: Any = form_class(
    "WeightsForm",
    {key: Integer(required=WEIGHT_ERROR, invalid=WEIGHT_ERROR) for key in CRITERIA},
    base=_Weights,
)


def _weights_page(request, session, form: Form):
    rows = weights.stored(session)
    context = {
        "criteria": CRITERIA,
        "labels": CRITERION_LABELS,
        "defaults": DEFAULT_WEIGHTS,
        "current": weights.current_weights(session),
        "typed": form,
        "errors": form.errors,
        "updated": {k: r.updated_at for k, r in rows.items()},
        "max_weight": MAX_WEIGHT,
    }
    return render(request, "matching/weights.html", context, status=form.status)


@router.get("/vaegte", name="matching_weights")
def weights_page(request: Request, session: SessionDep, actor: Actor = Depends(COORDINATOR)):
    return _weights_page(request, session, WeightsForm())


@router.post("/vaegte", name="matching_weights_save")
def save_weights(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(COORDINATOR),
    form: _Weights = Depends(WeightsForm.from_request),
):
    if not form.valid:
        return _weights_page(request, session, form)
    weights.set_weights(session, actor=actor, weights=form.values())
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
    form: CoverForm = Depends(CoverForm.from_request),
):
    choices = dict(form.or_raise().row)
    try:
        confirmed = cover.confirm(session, actor=actor, absence_id=absence_id, choices=choices)
    except (NotFound, Forbidden):
        raise
    except DomainError as error:
        return _cover_page(
            request, session, actor, absence_id, {"form": error.message}, status=error.status
        )
    url = request.url_for("matching_cover", absence_id=absence_id).path
    count = len(confirmed)
    return redirect(
        request, url, f"Afløsning bekræftet for {count} borger{'e' if count != 1 else ''}."
    )
