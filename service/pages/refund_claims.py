"""Finance pages: refund claims, each locking its period, and the claim's workbook
(built in the background when the period is big)."""

from __future__ import annotations

from fastapi import BackgroundTasks, Depends, Request
from fastapi.responses import JSONResponse, Response

from reports import claim_builds, claims, exports, queries, work
from service.audit.service import Actor
from service.core.errors import Conflict, DomainError
from service.pages.refund import REFUND, PeriodForm, required_period, unapproved
from service.web.download import attachment
from service.web.guard import SessionDep
from service.web.routing import Router
from service.web.settings import SettingsDep, app_settings
from service.web.templates import redirect, refuse, render

router = Router()


@router.get("/refusion/krav", name="refund_claims")
def claims_page(request: Request, session: SessionDep, actor: Actor = Depends(REFUND)):
    context = {
        "claims": claims.list_claims(session=session),
        "build_status": claim_builds.build_status,
    }
    return render(request, "refund/claims.html", context)


@router.get("/refusion/krav/nyt", name="refund_claim_new")
def claim_confirm(
    request: Request, session: SessionDep, settings: SettingsDep, actor: Actor = Depends(REFUND)
):
    start, end = required_period(request)
    bundle = claims.refund_report(
        session=session,
        actor=actor,
        start=start,
        end=end,
        default_rate=settings.default_hourly_rate,
        what="refund_claim_preview",
    )
    context = {
        "start": start,
        "end": end,
        "bundle": bundle,
        "claimed": claims.overlapping(session, start, end),
        "unapproved": unapproved(session, start, end),
        "entries": queries.entry_count(session, start, end),
        "background_from": exports.BACKGROUND_FROM,
    }
    return render(request, "refund/confirm.html", context)


@router.post("/refusion/krav", name="refund_claim_create")
def claim_create(
    request: Request,
    later: BackgroundTasks,
    session: SessionDep,
    settings: SettingsDep,
    actor: Actor = Depends(REFUND),
    form: PeriodForm = Depends(PeriodForm.from_request),
):
    start, end = getattr(form, "start", None), getattr(form, "end", None)
    back = request.url_for("refund").path
    if start is None or end is None:
        return refuse(request, back, "Vælg en periode.")
    try:
        claim = claims.create_claim(
            session=session,
            actor=actor,
            start=start,
            end=end,
            default_rate=settings.default_hourly_rate,
            background_from=exports.BACKGROUND_FROM,
        )
    except DomainError as error:
        query = f"?from={start.isoformat()}&to={end.isoformat()}"
        return refuse(request, back + query, error.message)
    message = f"Refusionskrav nr. {claim.id} er oprettet, og perioden er låst."
    if claim.status == claims.BUILDING:
        # Runs after the response, when the request's transaction has committed the claim.
        task = claim_builds.build_task(session, claim.id)
        assert task is not None  # a claim stored 'building' has its task
        _build_later(request, later, task.id)
        url = request.url_for("refund_claim", claim_id=claim.id).path
        return redirect(request, url, f"{message} Arbejdsbogen bygges nu.")
    return redirect(request, request.url_for("refund_claims").path, message)


def _build_later(request: Request, later: BackgroundTasks, task_id: int) -> None:
    factory, rate = request.app.state.session_factory, app_settings(request).default_hourly_rate
    later.add_task(work.run, factory, task_id, rate)


@router.get("/refusion/krav/{claim_id}", name="refund_claim")
def claim_page(
    claim_id: int, request: Request, session: SessionDep, actor: Actor = Depends(REFUND)
):
    claim = claims.get_claim(session=session, claim_id=claim_id)
    context = {"claim": claim, "status": claim_builds.build_status(claim)}
    return render(request, "refund/claim.html", context)


@router.get("/refusion/krav/{claim_id}/status", name="refund_claim_status")
def claim_status(
    claim_id: int, request: Request, session: SessionDep, actor: Actor = Depends(REFUND)
):
    claim = claims.get_claim(session=session, claim_id=claim_id)
    return JSONResponse(claim_builds.build_status(claim), headers={"Cache-Control": "no-store"})


@router.post("/refusion/krav/{claim_id}/genopbyg", name="refund_claim_rebuild")
def claim_rebuild(
    claim_id: int,
    request: Request,
    later: BackgroundTasks,
    session: SessionDep,
    actor: Actor = Depends(REFUND),
):
    url = request.url_for("refund_claim", claim_id=claim_id).path
    try:
        task_id = claim_builds.restart_build(session=session, actor=actor, claim_id=claim_id)
    except Conflict as error:  # built already, or still building
        return refuse(request, url, error.message)
    _build_later(request, later, task_id)
    return redirect(request, url, f"Arbejdsbogen til refusionskrav nr. {claim_id} bygges igen.")


@router.get("/refusion/krav/{claim_id}/regneark", name="refund_claim_workbook")
def claim_workbook(
    claim_id: int, request: Request, session: SessionDep, actor: Actor = Depends(REFUND)
):
    claim, data = claims.claim_workbook(session=session, actor=actor, claim_id=claim_id)
    return Response(
        data,
        media_type=exports.XLSX,
        headers={"Content-Disposition": attachment(claims.claim_filename(claim))},
    )
