"""The refund report as a service, and refund claims: create (locking the period), list, get.

A claim is made in one transaction (period checked, locked, report computed, row stored):
from its commit the period is locked. Its workbook is built in the same transaction, or, for
a big period claimed from the page, after it in the background (`reports.claim_builds`),
which stores the workbook only when the report it computes has exactly the claim's totals.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from reports import evidence_queries, queries
from reports.core.danish import period
from reports.core.evidence import Evidence
from reports.core.refund import RefundReport, build_report, report_to_json
from reports.core.workbook import WorkbookMeta, write_refund_workbook
from reports.models import RefundClaim
from service.audit.chain import insert_chained
from service.audit.models import AuditEvent
from service.audit.service import Actor, record
from service.auth.models import User
from service.core import background
from service.core.background import BackgroundTask
from service.core.clock import utcnow
from service.core.db import table_of
from service.core.errors import Conflict, NotFound

PURPOSE = "refund"
# One key for every claim creation: claims (and their overlap check) are made one at a time.
CLAIM_LOCK_KEY = 6_000_001
# The workbook's state: RefundClaim.status is READY or BUILDING; a build's failure is its
# background task's (shown as FAILED).
READY, BUILDING, FAILED = "ready", "building", "failed"
# The background task (`service.core.background`) that builds a big claim's workbook.
CLAIM_WORKBOOK = "claim_workbook"


@dataclass(frozen=True)
class RefundBundle:
    """The report with its evidence of delivery, and the default rate that priced it."""

    report: RefundReport
    evidence: dict[int, Evidence]
    default_rate: Decimal

    def to_json(self) -> dict:
        return report_to_json(self.report)


def audit_citizen_reads(
    session: Session, actor: Actor, report: RefundReport, what: str, **detail
) -> None:
    """One audited full-CPR read per citizen of the report, inserted in one statement.

    The rows are exactly what `record()` adds, but thousands of ORM objects flushed one by
    one took longer than the report itself, so they go in as one executemany.
    """
    if not report.rows:
        return
    at = utcnow()
    common = {
        "at": at,
        "user_id": actor.id,
        "actor": actor.user.email if actor.user else "",
        "action": "read",
        "purpose": PURPOSE,
        "entity": "citizen",
        "ip": actor.ip,
        "detail": {
            "field": "cpr",
            "display": "full",
            "report": what,
            "from": report.start.isoformat(),
            "to": report.end.isoformat(),
            **detail,
        },
    }
    insert_chained(
        session,
        table_of(AuditEvent),
        [
            {**common, "entity_id": row.citizen_id, "citizen_id": row.citizen_id}
            for row in report.rows
        ],
    )


def compute(session: Session, start: date, end: date, default_rate: Decimal) -> RefundBundle:
    """The report and evidence for start..end, by aggregate SQL (no audit: callers audit).

    Time of a mentor without a rate on its day is priced at `default_rate`.
    """
    rule = queries.rule_in_force(session, start, end)
    citizens = queries.citizen_totals(session, start, end, rule, default_rate)
    report = build_report(start, end, rule, citizens, queries.training_ore(session, start, end))
    evidence = evidence_queries.evidence(session, start, end, rule)
    return RefundBundle(report, evidence, default_rate)


def refund_report(
    *,
    session: Session,
    actor: Actor,
    start: date,
    end: date,
    default_rate: Decimal,
    what: str = "refund_report",
) -> RefundBundle:
    """The refund report for the period; audits the full-CPR read of every citizen in it."""
    bundle = compute(session, start, end, default_rate)
    audit_citizen_reads(session, actor, bundle.report, what)
    session.flush()
    return bundle


def actor_name(actor: Actor) -> str:
    return actor.user.name if actor.user else "system"


def workbook_bytes(
    session: Session,
    bundle: RefundBundle,
    meta: WorkbookMeta,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The refund workbook, its entries streamed from the database."""
    report = bundle.report
    out = io.BytesIO()
    entries = queries.entry_rows(session, report.start, report.end, bundle.default_rate)
    write_refund_workbook(out, report, entries, meta, bundle.evidence, progress)
    return out.getvalue()


def _lock_for_claim(session: Session) -> None:
    """Claims one at a time, and no time written while the period is read and stored.

    PostgreSQL: an advisory lock for claims, then SHARE on time_entry and training_expense,
    which waits for open registrations to commit and holds new ones (they take ROW
    EXCLUSIVE before their final claim check) until the claim commits. SQLite: a write that
    changes nothing takes the database's write lock first, so every read below is made
    under it and no registration can commit in between.
    """
    connection = session.connection()
    if session.get_bind().dialect.name != "postgresql":
        connection.exec_driver_sql("UPDATE refund_claim SET id = id WHERE 0")
        return
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({CLAIM_LOCK_KEY})")
    connection.exec_driver_sql("LOCK TABLE time_entry, training_expense IN SHARE MODE")


def overlapping(session: Session, start: date, end: date) -> RefundClaim | None:
    """A claim whose period shares a day with start..end."""
    return session.exec(
        select(RefundClaim)
        .where(RefundClaim.period_from <= end, RefundClaim.period_to >= start)
        .order_by(col(RefundClaim.period_from))
    ).first()


def create_claim(
    *,
    session: Session,
    actor: Actor,
    start: date,
    end: date,
    default_rate: Decimal,
    background_from: int | None = None,
) -> RefundClaim:
    """Claim the period: store the workbook as claimed and lock every entry dated in it.

    With `background_from`, a period of at least that many entries is stored without its
    workbook, as 'building', with a queued background task that builds it (the caller runs
    it after the commit: `reports.work.run`).
    """
    queries.check_period(start, end)
    _lock_for_claim(session)
    existing = overlapping(session, start, end)
    if existing is not None:
        raise Conflict(
            f"Perioden overlapper refusionskrav nr. {existing.id} "
            f"({period(existing.period_from, existing.period_to)})."
        )
    bundle = refund_report(
        session=session,
        actor=actor,
        start=start,
        end=end,
        default_rate=default_rate,
        what="refund_claim",
    )
    totals = bundle.to_json()["totals"]
    entries = queries.entry_count(session, start, end)
    big = background_from is not None and entries >= background_from
    claim = RefundClaim(
        period_from=start,
        period_to=end,
        created_by=actor.user_id,
        created_at=utcnow(),
        totals=totals,
        workbook=b"",
        sha256="",
        status=BUILDING if big else READY,
        total=entries,
    )
    session.add(claim)
    session.flush()
    if big:
        background.queue(
            session,
            kind=CLAIM_WORKBOOK,
            created_by=actor.user_id,
            subject_id=claim.id,
            total=entries,
        )
    else:
        meta = WorkbookMeta(claim.created_at, actor_name(actor), claim.id)
        claim.workbook = workbook_bytes(session, bundle, meta)
        claim.sha256 = hashlib.sha256(claim.workbook).hexdigest()
        session.add(claim)
    record(
        session,
        actor,
        "create",
        purpose=PURPOSE,
        entity="refund_claim",
        entity_id=claim.id,
        detail={
            "from": start.isoformat(),
            "to": end.isoformat(),
            "totals": totals,
            "sha256": claim.sha256,
            "citizens": len(bundle.report.rows),
            "workbook": claim.status,
        },
    )
    session.flush()
    return claim


@dataclass(frozen=True)
class ClaimView:
    """A claim without its bytes, with the creator's name and the workbook's build state."""

    id: int
    period_from: date
    period_to: date
    created_at: datetime
    created_by: int
    created_by_name: str
    totals: dict
    sha256: str
    size: int
    status: str = READY
    done: int = 0
    total: int = 0
    error: str = ""
    progress_at: datetime | None = None


_VIEW_COLUMNS: tuple[Any, ...] = (  # columns and one SQL function
    RefundClaim.id,
    RefundClaim.period_from,
    RefundClaim.period_to,
    RefundClaim.created_at,
    RefundClaim.created_by,
    col(User.name).label("created_by_name"),
    RefundClaim.totals,
    RefundClaim.sha256,
    func.length(RefundClaim.workbook).label("size"),
    RefundClaim.status,
    RefundClaim.total,
    col(BackgroundTask.status).label("build_status"),
    col(BackgroundTask.done).label("build_done"),
    col(BackgroundTask.error).label("build_error"),
    col(BackgroundTask.progress_at).label("build_progress_at"),
)


def _views(session: Session, query) -> list[ClaimView]:
    query = query.join(User, col(User.id) == col(RefundClaim.created_by)).outerjoin(
        BackgroundTask,
        sa.and_(
            col(BackgroundTask.kind) == CLAIM_WORKBOOK,
            col(BackgroundTask.subject_id) == col(RefundClaim.id),
        ),
    )
    return [_view(row) for row in session.exec(query)]


def _view(row: Any) -> ClaimView:
    """The claim's columns, with its workbook's state from the task that builds it."""
    view = ClaimView(
        id=row.id,
        period_from=row.period_from,
        period_to=row.period_to,
        created_at=row.created_at,
        created_by=row.created_by,
        created_by_name=row.created_by_name,
        totals=row.totals,
        sha256=row.sha256,
        size=int(row.size or 0),  # NULL until the workbook is built
        total=row.total,
    )
    if row.status == READY:
        return replace(view, done=row.total)
    return replace(
        view,
        status=FAILED if row.build_status == background.FAILED else BUILDING,
        done=row.build_done or 0,
        error=row.build_error or "",
        progress_at=row.build_progress_at,
    )


def list_claims(*, session: Session) -> list[ClaimView]:
    """Every claim, newest period first, without loading the workbooks."""
    return _views(
        session,
        select(*_VIEW_COLUMNS).order_by(
            col(RefundClaim.period_from).desc(), col(RefundClaim.id).desc()
        ),
    )


def get_claim(*, session: Session, claim_id: int) -> ClaimView:
    """One claim without its bytes."""
    found = _views(session, select(*_VIEW_COLUMNS).where(col(RefundClaim.id) == claim_id))
    if not found:
        raise NotFound("Refusionskravet findes ikke.")
    return found[0]


def claim_workbook(*, session: Session, actor: Actor, claim_id: int) -> tuple[RefundClaim, bytes]:
    """The workbook exactly as claimed; the download is audited."""
    claim = session.get(RefundClaim, claim_id)
    if claim is None:
        raise NotFound("Refusionskravet findes ikke.")
    if claim.status != READY and _build_failed(session, claim.id):
        raise Conflict(
            f"Arbejdsbogen til refusionskrav nr. {claim.id} kunne ikke bygges. "
            "Byg den igen fra refusionskravets side."
        )
    if claim.status != READY or not claim.workbook:
        raise Conflict(f"Arbejdsbogen til refusionskrav nr. {claim.id} bygges stadig.")
    record(
        session,
        actor,
        "export",
        purpose=PURPOSE,
        entity="refund_claim",
        entity_id=claim.id,
        detail={"sha256": claim.sha256},
    )
    session.flush()
    return claim, claim.workbook


def _build_failed(session: Session, claim_id: int) -> bool:
    status = session.exec(
        select(BackgroundTask.status).where(
            BackgroundTask.kind == CLAIM_WORKBOOK, col(BackgroundTask.subject_id) == claim_id
        )
    ).first()
    return status == background.FAILED


def claim_filename(claim: RefundClaim | ClaimView) -> str:
    start, end = claim.period_from.isoformat(), claim.period_to.isoformat()
    return f"refusionskrav-{claim.id}-{start}-til-{end}.xlsx"
