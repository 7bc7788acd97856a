"""The monthly key figures page (server-side SVG charts) and its Excel export."""

from __future__ import annotations

import datetime as dt

from fastapi import Depends, Request
from fastapi.responses import Response

from reports import keyfigures as keyfigure_queries
from reports.core import charts
from reports.core.danish import month_bounds, month_name
from reports.core.delivery_figures import PROGRESS_LABELS
from reports.core.money import CATEGORY_LABELS
from service.audit.service import Actor
from service.auth.models import Role
from service.core import formatting
from service.core.errors import DomainError
from service.corps import vocab
from service.web.download import attachment
from service.web.guard import SessionDep, requires
from service.web.routing import Router
from service.web.templates import render

router = Router()
KEY_FIGURES = requires(Role.coordinator, Role.admin, Role.finance)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _charts(figures) -> dict[str, str]:
    hours = [(CATEGORY_LABELS[c], h) for c, h in figures.hours_by_category.items()]
    loads = figures.caseloads
    return {
        "hours": charts.bar_chart("Timer pr. kategori", hours, formatting.timer),
        "citizens": charts.bar_chart(
            "Borgere fordelt på timer i måneden", figures.citizen_hours.buckets, str
        ),
        "outcomes": charts.bar_chart(
            "Afsluttede forløb efter resultat",
            [(vocab.OUTCOMES.get(o, o), n) for o, n in figures.outcomes.items()],
            str,
        ),
        "progress": charts.stacked_bars(
            "Udvikling pr. delmål",
            [(g.title, (g.forward, g.unchanged, g.setback)) for g in figures.progress[:15]],
            list(PROGRESS_LABELS.values()),
        ),
        "caseload": charts.bar_chart(
            "Forløb pr. mentor (rød streg: kapacitet)",
            [(r.name, r.caseload) for r in loads],
            str,
            marks=[r.capacity for r in loads],
            bar_label="Forløb",
        ),
    }


def _neighbours(first: dt.date) -> tuple[dt.date, dt.date]:
    previous = month_bounds(first.replace(day=1) - dt.timedelta(days=1))[0]
    following = month_bounds(first)[1] + dt.timedelta(days=1)
    return previous, following


@router.get("/noegletal", name="key_figures")
def key_figures_page(request: Request, session: SessionDep, actor: Actor = Depends(KEY_FIGURES)):
    errors: dict[str, str] = {}
    raw = request.query_params.get("month", "")
    try:
        month = keyfigure_queries.parse_month(raw)
    except DomainError as error:
        errors["month"] = error.message
        month = keyfigure_queries.parse_month("")
    figures = keyfigure_queries.key_figures(session=session, actor=actor, month=month)
    previous, following = _neighbours(month)
    context = {
        "figures": figures,
        "month": month,
        "month_label": month_name(month),
        "previous": previous,
        "following": following,
        "charts": _charts(figures),
        "category_labels": CATEGORY_LABELS,
        "outcome_labels": vocab.OUTCOMES,
        "progress_labels": PROGRESS_LABELS,
        "errors": errors,
        "raw_month": raw or month.strftime("%Y-%m"),
    }
    return render(request, "keyfigures/index.html", context)


@router.get("/noegletal/regneark", name="key_figures_workbook")
def key_figures_workbook(
    request: Request, session: SessionDep, actor: Actor = Depends(KEY_FIGURES)
):
    month = keyfigure_queries.parse_month(request.query_params.get("month", ""))
    data = keyfigure_queries.key_figures_workbook(session=session, actor=actor, month=month)
    name = f"nøgletal-{month.strftime('%Y-%m')}.xlsx"
    return Response(data, media_type=XLSX, headers={"Content-Disposition": attachment(name)})
