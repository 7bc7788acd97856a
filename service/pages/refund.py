"""Finance pages: the refund preview, downloads, background workbooks, claims and rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Request
from fastapi.responses import JSONResponse, Response
from sqlmodel import Session, col, select

from logbook.approval import month_start, next_month, unapproved_months
from reports import claim_builds, claims, exports, queries, rules, work
from reports.core.danish import month_name
from reports.core.money import CATEGORIES, CATEGORY_LABELS, hours_from_minutes
from service.audit.service import Actor
from service.auth.models import User
from service.core import clock
from service.core.errors import Conflict, DomainError, Invalid, NotFound
from service.corps.models import Mentor
from service.web.download import attachment
from service.web.forms import cap_list, parse_date
from service.web.guard import SessionDep, requires
from service.web.settings import SettingsDep, app_settings
from service.web.templates import redirect, render

router = APIRouter()
REFUND = requires("finance", "coordinator")
ADMIN = requires("admin")


@dataclass(frozen=True)
class Preset:
    label: str
    start: dt.date
    end: dt.date


def month_presets(today: dt.date, count: int = 6) -> list[Preset]:
    """The last `count` whole months, newest first."""
    presets, first = [], month_start(today)
    for _ in range(count):
        first = month_start(first - dt.timedelta(days=1))
        end = next_month(first) - dt.timedelta(days=1)
        presets.append(Preset(month_name(first).capitalize(), first, end))
    return presets


def quarter_presets(today: dt.date, count: int = 4) -> list[Preset]:
    """The current quarter and the `count - 1` before it, newest first."""
    presets = []
    year, quarter = today.year, (today.month - 1) // 3
    for _ in range(count):
        start = dt.date(year, quarter * 3 + 1, 1)
        end = next_month(dt.date(year, quarter * 3 + 3, 1)) - dt.timedelta(days=1)
        presets.append(Preset(f"{quarter + 1}. kvartal {year}", start, end))
        quarter -= 1
        if quarter < 0:
            year, quarter = year - 1, 3
    return presets


def _period(request: Request, errors: dict[str, str]) -> tuple[dt.date | None, dt.date | None]:
    params = request.query_params
    start = parse_date(params.get("from"), "from", errors, "Fra-datoen")
    end = parse_date(params.get("to"), "to", errors, "Til-datoen")
    if start and end and end < start:
        errors["to"] = "Perioden slutter, før den begynder."
    return start, end


def _mentor_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(
        select(Mentor.id, User.name)
        .join(User, col(User.id) == col(Mentor.user_id))
        .where(col(Mentor.id).in_(sorted(ids)))
    )
    return dict(rows.all())


def _unapproved(session: Session, start: dt.date, end: dt.date) -> list[dict]:
    pairs = unapproved_months(session, start, end)
    names = _mentor_names(session, {mentor_id for mentor_id, _ in pairs})
    return [
        {"mentor": names.get(mentor_id, f"Mentor {mentor_id}"), "month": month}
        for mentor_id, month in pairs
    ]


def _base_context(session: Session, request: Request) -> dict:
    today = clock.today()
    return {
        "months": month_presets(today),
        "quarters": quarter_presets(today),
        "categories": CATEGORIES,
        "category_labels": CATEGORY_LABELS,
        "hours": hours_from_minutes,
        "errors": {},
        "form": {
            "from": request.query_params.get("from", ""),
            "to": request.query_params.get("to", ""),
        },
        "bundle": None,
    }


@router.get("/refund", name="refund")
def refund_page(
    request: Request, session: SessionDep, settings: SettingsDep, actor: Actor = Depends(REFUND)
):
    context = _base_context(session, request)
    errors: dict[str, str] = context["errors"]
    start, end = _period(request, errors)
    if start and end and not errors:
        try:
            bundle = claims.refund_report(
                session=session,
                actor=actor,
                start=start,
                end=end,
                default_rate=settings.default_hourly_rate,
                what="refund_preview",
            )
        except DomainError as error:
            errors[error.field or "from"] = error.message
        else:
            context.update(
                start=start,
                end=end,
                bundle=bundle,
                entries=queries.entry_count(session, start, end),
                background_from=exports.BACKGROUND_FROM,
                unapproved=_unapproved(session, start, end),
                claimed=claims.overlapping(session, start, end),
                incomplete=sum(
                    1
                    for row in bundle.report.rows
                    if (e := bundle.evidence.get(row.citizen_id)) is not None and not e.complete
                ),
            )
    return render(request, "refund/index.html", context)


def _required_period(request: Request) -> tuple[dt.date, dt.date]:
    errors: dict[str, str] = {}
    start, end = _period(request, errors)
    if start is None and "from" not in errors:
        errors["from"] = "Vælg periodens første dag."
    if end is None and "to" not in errors:
        errors["to"] = "Vælg periodens sidste dag."
    if errors:
        field, message = next(iter(errors.items()))
        raise Invalid(message, field=field)
    return start, end  # type: ignore[return-value]


@router.get("/refund/workbook", name="refund_workbook")
def refund_workbook(
    request: Request, session: SessionDep, settings: SettingsDep, actor: Actor = Depends(REFUND)
):
    start, end = _required_period(request)
    rate = settings.default_hourly_rate
    data = exports.export_workbook(
        session=session, actor=actor, start=start, end=end, default_rate=rate
    )
    return Response(
        data,
        media_type=exports.XLSX,
        headers={"Content-Disposition": attachment(exports.workbook_filename(start, end))},
    )


@router.get("/refund/csv", name="refund_csv")
def refund_csv(
    request: Request, session: SessionDep, settings: SettingsDep, actor: Actor = Depends(REFUND)
):
    start, end = _required_period(request)
    table = request.query_params.get("table", exports.CsvTables.BORGERE)
    if table not in exports.CSV_TABLES:
        raise NotFound("Tabellen findes ikke.")
    text = exports.export_csv(
        session=session,
        actor=actor,
        start=start,
        end=end,
        table=table,
        default_rate=settings.default_hourly_rate,
    )
    return Response(
        text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": attachment(exports.csv_filename(start, end, table))},
    )


def posted_period(raw_from: str, raw_to: str):
    """Parse a posted period: (errors by field, start, end)."""
    errors: dict[str, str] = {}
    start = parse_date(raw_from, "from", errors, "Fra-datoen")
    end = parse_date(raw_to, "to", errors, "Til-datoen")
    return errors, start, end


@router.post("/refund/exports", name="refund_export_start")
def start_export(
    request: Request,
    later: BackgroundTasks,
    session: SessionDep,
    settings: SettingsDep,
    actor: Actor = Depends(REFUND),
    raw_from: str = Form("", alias="from"),
    raw_to: str = Form("", alias="to"),
):
    errors, start, end = posted_period(raw_from, raw_to)
    if errors or start is None or end is None:
        return redirect(request, request.url_for("refund").path, "Vælg en periode.", "error")
    job = exports.start_job(session=session, actor=actor, start=start, end=end)
    # Runs after the response, when the request's transaction has committed the job row.
    factory, rate = request.app.state.session_factory, settings.default_hourly_rate
    later.add_task(work.run, factory, job.id, rate)
    return redirect(request, request.url_for("refund_export", job_id=job.id).path)


@router.get("/refund/exports/{job_id}", name="refund_export")
def export_page(job_id: int, request: Request, session: SessionDep, actor: Actor = Depends(REFUND)):
    job = exports.get_job(session=session, actor=actor, job_id=job_id)
    context = {
        "job": job,
        "status": exports.job_status(job),
        "start": dt.date.fromisoformat(job.params["from"]),
        "end": dt.date.fromisoformat(job.params["to"]),
    }
    return render(request, "refund/export.html", context)


@router.get("/refund/exports/{job_id}/status", name="refund_export_status")
def export_status(
    job_id: int, request: Request, session: SessionDep, actor: Actor = Depends(REFUND)
):
    job = exports.get_job(session=session, actor=actor, job_id=job_id)
    return JSONResponse(exports.job_status(job), headers={"Cache-Control": "no-store"})


@router.get("/refund/exports/{job_id}/download", name="refund_export_download")
def export_download(
    job_id: int, request: Request, session: SessionDep, actor: Actor = Depends(REFUND)
):
    job = exports.get_job(session=session, actor=actor, job_id=job_id)
    if job.status != "done" or job.result is None:
        raise NotFound("Regnearket er ikke færdigt endnu.")
    start, end = (dt.date.fromisoformat(job.params[k]) for k in ("from", "to"))
    return Response(
        job.result,
        media_type=exports.XLSX,
        headers={"Content-Disposition": attachment(exports.workbook_filename(start, end))},
    )


@router.get("/refund/claims", name="refund_claims")
def claims_page(request: Request, session: SessionDep, actor: Actor = Depends(REFUND)):
    context = {
        "claims": claims.list_claims(session=session),
        "build_status": claim_builds.build_status,
    }
    return render(request, "refund/claims.html", context)


@router.get("/refund/claims/new", name="refund_claim_new")
def claim_confirm(
    request: Request, session: SessionDep, settings: SettingsDep, actor: Actor = Depends(REFUND)
):
    start, end = _required_period(request)
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
        "unapproved": _unapproved(session, start, end),
        "entries": queries.entry_count(session, start, end),
        "background_from": exports.BACKGROUND_FROM,
    }
    return render(request, "refund/confirm.html", context)


@router.post("/refund/claims", name="refund_claim_create")
def claim_create(
    request: Request,
    later: BackgroundTasks,
    session: SessionDep,
    settings: SettingsDep,
    actor: Actor = Depends(REFUND),
    raw_from: str = Form("", alias="from"),
    raw_to: str = Form("", alias="to"),
):
    errors, start, end = posted_period(raw_from, raw_to)
    back = request.url_for("refund").path
    if errors or start is None or end is None:
        return redirect(request, back, "Vælg en periode.", "error")
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
        session.rollback()
        query = f"?from={start.isoformat()}&to={end.isoformat()}"
        return redirect(request, back + query, error.message, "error")
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


@router.get("/refund/claims/{claim_id}", name="refund_claim")
def claim_page(
    claim_id: int, request: Request, session: SessionDep, actor: Actor = Depends(REFUND)
):
    claim = claims.get_claim(session=session, claim_id=claim_id)
    context = {"claim": claim, "status": claim_builds.build_status(claim)}
    return render(request, "refund/claim.html", context)


@router.get("/refund/claims/{claim_id}/status", name="refund_claim_status")
def claim_status(
    claim_id: int, request: Request, session: SessionDep, actor: Actor = Depends(REFUND)
):
    claim = claims.get_claim(session=session, claim_id=claim_id)
    return JSONResponse(claim_builds.build_status(claim), headers={"Cache-Control": "no-store"})


@router.post("/refund/claims/{claim_id}/rebuild", name="refund_claim_rebuild")
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
        session.rollback()
        return redirect(request, url, error.message, "error")
    _build_later(request, later, task_id)
    return redirect(request, url, f"Arbejdsbogen til refusionskrav nr. {claim_id} bygges igen.")


@router.get("/refund/claims/{claim_id}/workbook", name="refund_claim_workbook")
def claim_workbook(
    claim_id: int, request: Request, session: SessionDep, actor: Actor = Depends(REFUND)
):
    claim, data = claims.claim_workbook(session=session, actor=actor, claim_id=claim_id)
    return Response(
        data,
        media_type=exports.XLSX,
        headers={"Content-Disposition": attachment(claims.claim_filename(claim))},
    )


# --- refund rules (admin) ------------------------------------------------------------------


def _rules_context(session: Session, form: dict, errors: dict) -> dict:
    return {
        "rules": rules.list_rules(session=session),
        "choices": {c: CATEGORY_LABELS[c] for c in rules.REFUNDABLE_CHOICES},
        "category_labels": CATEGORY_LABELS,
        "form": form,
        "errors": errors,
    }


@router.get("/refund/rules", name="refund_rules")
def rules_page(request: Request, session: SessionDep, actor: Actor = Depends(ADMIN)):
    form = {"valid_from": "", "rate": "0,50", "refundable_categories": rules.REFUNDABLE_CHOICES}
    return render(request, "refund/rules.html", _rules_context(session, form, {}))


@router.post("/refund/rules", name="refund_rule_create")
def rules_create(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(ADMIN),
    valid_from_raw: str = Form("", alias="valid_from"),
    rate: str = Form(""),
    refundable_categories: list[str] = Form(default=[]),
):
    errors: dict[str, str] = {}
    form: dict[str, Any] = {
        "valid_from": valid_from_raw,
        "rate": rate,
        "refundable_categories": cap_list(refundable_categories, "refundable_categories", errors),
    }
    valid_from = parse_date(form["valid_from"], "valid_from", errors, "Gældende fra")
    if valid_from is None and "valid_from" not in errors:
        errors["valid_from"] = "Angiv datoen, reglen gælder fra."
    if not errors:
        assert valid_from is not None  # else errors
        try:
            rules.add_rule(
                session=session,
                actor=actor,
                valid_from=valid_from,
                rate=form["rate"],
                refundable_categories=form["refundable_categories"],
            )
        except DomainError as error:
            session.rollback()
            errors[error.field or "valid_from"] = error.message
    if errors:
        return render(
            request, "refund/rules.html", _rules_context(session, form, errors), status=422
        )
    return redirect(request, request.url_for("refund_rules").path, "Refusionsreglen er gemt.")
