"""Finance pages: the refund preview, its downloads and background workbooks, the rules.

Claims (the period locked and its workbook) are in pages/refund_claims.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Self

from fastapi import BackgroundTasks, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlmodel import Session, col, select

from logbook.approval import month_start, next_month, unapproved_months
from reports import claims, exports, queries, rules, work
from reports.core.danish import month_name
from reports.core.money import CATEGORIES, CATEGORY_LABELS, hours_from_minutes
from reports.core.tables import category_totals, rounding
from service.audit.service import Actor
from service.auth.models import Role, User
from service.core import clock
from service.core.errors import DomainError, NotFound
from service.corps.models import Mentor
from service.web.download import attachment
from service.web.forms import Choices, Date, Form, Text
from service.web.guard import SessionDep, requires
from service.web.routing import Router
from service.web.settings import SettingsDep
from service.web.templates import redirect, refuse, render

router = Router()
REFUND = requires(Role.finance, Role.coordinator)
ADMIN = requires(Role.admin)


class PeriodForm(Form):
    """A period: the preview's query, or posted for a background workbook or a claim."""

    start = Date("Fra-datoen", alias="from")
    end = Date("Til-datoen", alias="to")

    def ordered(self) -> Self:
        if self.valid and self.start and self.end and self.end < self.start:
            self.error("to", "Perioden slutter, før den begynder.")
        return self


class WholePeriodForm(PeriodForm):
    """A period that must be given whole (downloads, a claim's preview)."""

    start = Date("Fra-datoen", alias="from", required="Vælg periodens første dag.")
    end = Date("Til-datoen", alias="to", required="Vælg periodens sidste dag.")


class RuleForm(Form):
    valid_from = Date("Gældende fra", required="Angiv datoen, reglen gælder fra.")
    rate = Text()
    refundable_categories = Choices()


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


def _mentor_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(
        select(Mentor.id, User.name)
        .join(User, col(User.id) == col(Mentor.user_id))
        .where(col(Mentor.id).in_(sorted(ids)))
    )
    return dict(rows.all())


def unapproved(session: Session, start: dt.date, end: dt.date) -> list[dict]:
    """Months of the period a coordinator has not yet approved, by mentor."""
    pairs = unapproved_months(session, start, end)
    names = _mentor_names(session, {mentor_id for mentor_id, _ in pairs})
    return [
        {"mentor": names.get(mentor_id, f"Mentor {mentor_id}"), "month": month}
        for mentor_id, month in pairs
    ]


def _base_context(form: PeriodForm) -> dict:
    today = clock.today()
    return {
        "months": month_presets(today),
        "quarters": quarter_presets(today),
        "categories": CATEGORIES,
        "category_labels": CATEGORY_LABELS,
        "hours": hours_from_minutes,
        "errors": form.errors,
        "form": form,
        "bundle": None,
    }


@router.get("/refusion", name="refund")
def refund_page(
    request: Request, session: SessionDep, settings: SettingsDep, actor: Actor = Depends(REFUND)
):
    form = PeriodForm.from_query(request).ordered()
    context = _base_context(form)
    if form.valid and form.start and form.end:
        start, end = form.start, form.end
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
            form.refuse(error, "from")
        else:
            context.update(
                start=start,
                end=end,
                bundle=bundle,
                category_totals=category_totals(bundle.report),
                rounding=rounding(bundle.report),
                entries=queries.entry_count(session, start, end),
                background_from=exports.BACKGROUND_FROM,
                unapproved=unapproved(session, start, end),
                claimed=claims.overlapping(session, start, end),
                incomplete=sum(
                    1
                    for row in bundle.report.rows
                    if (e := bundle.evidence.get(row.citizen_id)) is not None and not e.complete
                ),
            )
    return render(request, "refund/index.html", context)


def required_period(request: Request) -> tuple[dt.date, dt.date]:
    """The period of the query; without a whole one the answer is an error page (422)."""
    form = WholePeriodForm.from_query(request).ordered().or_raise()
    return form.start, form.end


@router.get("/refusion/regneark", name="refund_workbook")
def refund_workbook(
    request: Request, session: SessionDep, settings: SettingsDep, actor: Actor = Depends(REFUND)
):
    start, end = required_period(request)
    rate = settings.default_hourly_rate
    data = exports.export_workbook(
        session=session, actor=actor, start=start, end=end, default_rate=rate
    )
    return Response(
        data,
        media_type=exports.XLSX,
        headers={"Content-Disposition": attachment(exports.workbook_filename(start, end))},
    )


@router.get("/refusion/csv", name="refund_csv")
def refund_csv(
    request: Request, session: SessionDep, settings: SettingsDep, actor: Actor = Depends(REFUND)
):
    start, end = required_period(request)
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


@router.post("/refusion/eksporter", name="refund_export_start")
def start_export(
    request: Request,
    later: BackgroundTasks,
    session: SessionDep,
    settings: SettingsDep,
    actor: Actor = Depends(REFUND),
    form: PeriodForm = Depends(PeriodForm.from_request),
):
    if not form.valid or form.start is None or form.end is None:
        return refuse(request, request.url_for("refund").path, "Vælg en periode.")
    job = exports.start_job(session=session, actor=actor, start=form.start, end=form.end)
    # Runs after the response, when the request's transaction has committed the job row.
    factory, rate = request.app.state.session_factory, settings.default_hourly_rate
    later.add_task(work.run, factory, job.id, rate)
    return redirect(request, request.url_for("refund_export", job_id=job.id).path)


@router.get("/refusion/eksporter/{job_id}", name="refund_export")
def export_page(job_id: int, request: Request, session: SessionDep, actor: Actor = Depends(REFUND)):
    job = exports.get_job(session=session, actor=actor, job_id=job_id)
    context = {
        "job": job,
        "status": exports.job_status(job),
        "start": dt.date.fromisoformat(job.params["from"]),
        "end": dt.date.fromisoformat(job.params["to"]),
    }
    return render(request, "refund/export.html", context)


@router.get("/refusion/eksporter/{job_id}/status", name="refund_export_status")
def export_status(
    job_id: int, request: Request, session: SessionDep, actor: Actor = Depends(REFUND)
):
    job = exports.get_job(session=session, actor=actor, job_id=job_id)
    return JSONResponse(exports.job_status(job), headers={"Cache-Control": "no-store"})


@router.get("/refusion/eksporter/{job_id}/hent", name="refund_export_download")
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


# --- refund rules (admin) ------------------------------------------------------------------


def _rules_page(request: Request, session: Session, form: RuleForm):
    context = {
        "rules": rules.list_rules(session=session),
        "choices": {c: CATEGORY_LABELS[c] for c in rules.REFUNDABLE_CHOICES},
        "category_labels": CATEGORY_LABELS,
        "form": form,
        "errors": form.errors,
    }
    return render(request, "refund/rules.html", context, status=form.status)


@router.get("/refusion/regler", name="refund_rules")
def rules_page(request: Request, session: SessionDep, actor: Actor = Depends(ADMIN)):
    choices = rules.REFUNDABLE_CHOICES
    form = RuleForm({"valid_from": "", "rate": "0,50", "refundable_categories": choices})
    return _rules_page(request, session, form)


@router.post("/refusion/regler", name="refund_rule_create")
def rules_create(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(ADMIN),
    form: RuleForm = Depends(RuleForm.from_request),
):
    if form.valid:
        try:
            rules.add_rule(
                session=session,
                actor=actor,
                valid_from=form.valid_from,
                rate=form.rate,
                refundable_categories=form.refundable_categories,
            )
        except DomainError as error:
            form.refuse(error, "valid_from")
    if not form.valid:
        return _rules_page(request, session, form)
    return redirect(request, request.url_for("refund_rules").path, "Refusionsreglen er gemt.")
