"""The refund API: the report (JSON and workbook), refund claims and the refund rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import Depends, Query, Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from reports import claims, exports, rules
from reports import keyfigures as keyfigure_queries
from reports.core.money import fmt_rate, hours_from_minutes
from service.api.responses import Error
from service.api.types import MONTH_PATTERN, ascii_number
from service.audit.service import Actor
from service.auth.models import Role
from service.core.limits import MAX_CHOICES
from service.web.download import file_response
from service.web.guard import SessionDep, requires
from service.web.routing import Router
from service.web.settings import SettingsDep

router = Router(tags=["refund"])

REFUND = requires(Role.finance, Role.coordinator)
RULES_READ = requires(Role.admin, Role.finance, Role.coordinator)
ADMIN = requires(Role.admin)

FromDate = Annotated[dt.date, Query(alias="from", description="Første dag i perioden (YYYY-MM-DD)")]
ToDate = Annotated[dt.date, Query(alias="to", description="Sidste dag i perioden (YYYY-MM-DD)")]

RefundableCategory = Literal[
    "citizen_contact", "professional_dialogue", "transport_with_citizen", "administration"
]


@router.get("/reports/refund")
def api_refund_report(
    session: SessionDep,
    settings: SettingsDep,
    start: FromDate,
    end: ToDate,
    actor: Actor = Depends(REFUND),
) -> dict:
    """The refund report of the contract for the period."""
    rate = settings.default_hourly_rate
    bundle = claims.refund_report(
        session=session, actor=actor, start=start, end=end, default_rate=rate
    )
    return bundle.to_json()


@router.get("/reports/refund.xlsx", response_class=Response)
def api_refund_workbook(
    session: SessionDep,
    settings: SettingsDep,
    start: FromDate,
    end: ToDate,
    actor: Actor = Depends(REFUND),
):
    """The refund workbook (Oversigt, Borgere, Registreringer) for the period."""
    rate = settings.default_hourly_rate
    data = exports.export_workbook(
        session=session, actor=actor, start=start, end=end, default_rate=rate
    )
    return file_response(data, exports.workbook_filename(start, end), exports.XLSX)


class ClaimCreate(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")


class ClaimTotalsPublic(BaseModel):
    hours: str
    non_refundable_hours: str
    cost: str
    refund: str


class ClaimPublic(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    id: int
    start: dt.date = Field(serialization_alias="from")
    end: dt.date = Field(serialization_alias="to")
    created_at: dt.datetime
    created_by: int
    totals: ClaimTotalsPublic


def claim_public(view: claims.ClaimView) -> ClaimPublic:
    return ClaimPublic(
        id=view.id,
        start=view.period_from,
        end=view.period_to,
        created_at=view.created_at,
        created_by=view.created_by,
        totals=ClaimTotalsPublic(**view.totals),
    )


@router.post("/refund-claims", status_code=201, response_model=ClaimPublic)
def api_create_claim(
    body: ClaimCreate, session: SessionDep, settings: SettingsDep, actor: Actor = Depends(REFUND)
):
    """Claim the period: the workbook is stored as claimed and the period's time is locked."""
    claim = claims.create_claim(
        session=session,
        actor=actor,
        start=body.start,
        end=body.end,
        default_rate=settings.default_hourly_rate,
    )
    return claim_public(claims.get_claim(session=session, claim_id=claim.id))


@router.get("/refund-claims", response_model=list[ClaimPublic])
def api_list_claims(session: SessionDep, actor: Actor = Depends(REFUND)):
    """Every refund claim, newest period first."""
    return [claim_public(view) for view in claims.list_claims(session=session)]


@router.get(
    "/refund-claims/{claim_id}.xlsx",
    response_class=Response,
    responses={
        409: {
            "model": Error,
            "description": "The workbook of a claim made on the page is not built yet",
        }
    },
)
def api_claim_workbook(claim_id: int, session: SessionDep, actor: Actor = Depends(REFUND)):
    """The workbook exactly as claimed, byte for byte (409 while it is built, or failed)."""
    claim, data = claims.claim_workbook(session=session, actor=actor, claim_id=claim_id)
    return file_response(data, claims.claim_filename(claim), exports.XLSX)


class RuleCreate(BaseModel):
    valid_from: dt.date
    rate: Annotated[Decimal, BeforeValidator(ascii_number)] = Field(ge=0, le=1, examples=["0.50"])
    refundable_categories: list[RefundableCategory] = Field(max_length=MAX_CHOICES)


class RulePublic(BaseModel):
    id: int
    valid_from: dt.date
    rate: str
    refundable_categories: list[str]
    created_by: int | None
    created_at: dt.datetime


def rule_public(rule) -> RulePublic:
    return RulePublic(
        id=rule.id,
        valid_from=rule.valid_from,
        rate=fmt_rate(rule.rate),
        refundable_categories=list(rule.refundable_categories),
        created_by=rule.created_by,
        created_at=rule.created_at,
    )


@router.get("/refund-rules", response_model=list[RulePublic])
def api_list_rules(session: SessionDep, actor: Actor = Depends(RULES_READ)):
    """The refund rules, newest first (none stored: the default 0.50 on four categories)."""
    return [rule_public(rule) for rule in rules.list_rules(session=session)]


@router.post("/refund-rules", status_code=201, response_model=RulePublic)
def api_add_rule(body: RuleCreate, session: SessionDep, actor: Actor = Depends(ADMIN)):
    """Add a refund rule in force from valid_from (own_transport is never refundable)."""
    rule = rules.add_rule(
        session=session,
        actor=actor,
        valid_from=body.valid_from,
        rate=body.rate,
        refundable_categories=body.refundable_categories,
    )
    return rule_public(rule)


@router.get("/reports/key-figures")
def api_key_figures(
    session: SessionDep,
    actor: Actor = Depends(requires(Role.coordinator, Role.admin, Role.finance)),
    month: str | None = Query(default=None, pattern=MONTH_PATTERN),
) -> dict:
    """The month's key figures ("YYYY-MM"; default last month), aggregates only."""
    first = keyfigure_queries.parse_month(month)
    figures = keyfigure_queries.key_figures(session=session, actor=actor, month=first)
    return key_figures_json(figures)


def key_figures_json(kf) -> dict:
    ev = kf.evidence
    return {
        "month": kf.month.strftime("%Y-%m"),
        "as_of": kf.as_of.isoformat(),
        "active_with_mentor": kf.active_with_mentor,
        "waiting": kf.waiting,
        "median_working_days_to_mentor": (
            None if kf.median_days_to_mentor is None else str(kf.median_days_to_mentor)
        ),
        "assigned_in_month": kf.assigned_in_month,
        "hours_by_category": {c: f"{h:.2f}" for c, h in kf.hours_by_category.items()},
        "citizens_with_hours": kf.citizen_hours.citizens,
        "stale_logbooks": kf.stale,
        "evidence": {
            "contact_hours": f"{hours_from_minutes(ev.contact_minutes):.2f}",
            "backed_share": str(ev.backed_share),
            "shown_share": str(ev.shown_share),
            "citizens_incomplete": ev.citizens_incomplete,
        },
        "outcomes": kf.outcomes,
        "progress": [
            {
                "sub_goal_id": g.sub_goal_id,
                "forward": g.forward,
                "unchanged": g.unchanged,
                "setback": g.setback,
            }
            for g in kf.progress
        ],
        "caseloads": [
            {
                "mentor_id": r.mentor_id,
                "name": r.name,
                "caseload": r.caseload,
                "capacity": r.capacity,
            }
            for r in kf.caseloads
        ],
    }
