"""A claim's workbook built in the background, after the claim's own transaction.

The claim's commit locks its period, so its entries, rates and rules can no longer change;
the build reads them again, and stores the workbook only when its report has exactly the
totals stored on the claim. The build is a background task (`service.core.background`, kind
CLAIM_WORKBOOK, subject the claim): one taken for dead (no progress for STALE_AFTER) is
taken over atomically and run again, and the old one stops at its next write.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from reports.claims import (
    BUILDING,
    CLAIM_WORKBOOK,
    FAILED,
    PURPOSE,
    READY,
    ClaimView,
    actor_name,
    compute,
    workbook_bytes,
)
from reports.core.workbook import WorkbookMeta
from reports.models import RefundClaim
from service.audit.service import Actor, record
from service.auth.models import User
from service.core import background
from service.core.background import BackgroundTask, Claimed
from service.core.clock import utcnow
from service.core.db import rowcount, table_of
from service.core.errors import Conflict, NotFound

STALE_AFTER = background.STALE_AFTER


class TotalsDiffer(Exception):
    """The report computed for the workbook does not have the claim's totals."""


TOTAL_LABELS = {
    "hours": "timer",
    "non_refundable_hours": "ikke-refusionsberettigede timer",
    "cost": "udgift",
    "refund": "refusion",
}


def _differences(claim_id: int, claimed: dict, computed: dict) -> str:
    """What differs between a claim's totals and the report computed for its workbook."""
    keys = [*TOTAL_LABELS, *sorted((set(claimed) | set(computed)) - set(TOTAL_LABELS))]
    parts = [
        f"{TOTAL_LABELS.get(key, key)} {computed.get(key)} i stedet for {claimed.get(key)}"
        for key in keys
        if claimed.get(key) != computed.get(key)
    ]
    return (
        f"Perioden giver nu andre totaler end refusionskrav nr. {claim_id} "
        f"({', '.join(parts)}), så arbejdsbogen er ikke gemt."
    )


def _store_workbook(task: Claimed, claim_id: int, actor: Actor, data: bytes) -> None:
    """Store the workbook, make the claim ready, finish the task and audit, in one transaction."""
    table = table_of(RefundClaim)
    digest = hashlib.sha256(data).hexdigest()
    with task.factory() as session:
        task.complete(session)  # Superseded (and nothing stored) when another run owns it
        stored = session.execute(
            table.update()
            .where(table.c.id == claim_id, table.c.status == BUILDING)
            .values(workbook=data, sha256=digest, status=READY)
        )
        if rowcount(stored) != 1:
            raise background.Superseded(task.id)
        detail = {"workbook": READY, "sha256": digest, "entries": task.done}
        record(
            session,
            actor,
            "update",
            purpose=PURPOSE,
            entity="refund_claim",
            entity_id=claim_id,
            detail=detail,
        )
        session.commit()


def build_claim_workbook(task: Claimed, default_rate: Decimal) -> None:
    """Build a claim's workbook from the database, with progress, and store it with its sha256.

    The workbook carries the claim's id, creation time and creator, as when it is built in
    the claim's own request. It is stored only when the report it is written from has
    exactly the totals stored on the claim; otherwise the build fails and says so.
    """
    claim_id = task.subject_id
    assert claim_id is not None  # a claim build's subject is its claim
    with task.factory() as session:
        claim = session.get(RefundClaim, claim_id)
        if claim is None or claim.status != BUILDING:  # built meanwhile: nothing to do
            task.complete(session)
            session.commit()
            return
        actor = Actor(session.get(User, claim.created_by), "claim-build")
        start, end, claimed = claim.period_from, claim.period_to, dict(claim.totals)
        meta = WorkbookMeta(claim.created_at, actor_name(actor), claim_id)
        session.commit()  # the claim is read; the build reads in its own transaction
        bundle = compute(session, start, end, default_rate)
        computed = bundle.to_json()["totals"]
        if computed != claimed:
            raise TotalsDiffer(_differences(claim_id, claimed, computed))
        task.progress(0)
        data = workbook_bytes(session, bundle, meta, task.progress)
        session.commit()  # end the read before the result is written
    _store_workbook(task, claim_id, actor, data)


def build_task(session: Session, claim_id: int) -> BackgroundTask | None:
    """The background task that builds the claim's workbook (None for one built at once)."""
    return session.exec(
        select(BackgroundTask).where(
            BackgroundTask.kind == CLAIM_WORKBOOK, col(BackgroundTask.subject_id) == claim_id
        )
    ).first()


def restart_build(*, session: Session, actor: Actor, claim_id: int) -> int:
    """Queue a failed or stalled claim's workbook again (run it after the commit): the task id."""
    claim = session.get(RefundClaim, claim_id)
    if claim is None:
        raise NotFound("Refusionskravet findes ikke.")
    if claim.status == READY:
        raise Conflict(f"Arbejdsbogen til refusionskrav nr. {claim.id} er allerede bygget.")
    task = build_task(session, claim.id)
    was = FAILED if task is not None and task.status == background.FAILED else BUILDING
    if task is None or not background.requeue(session, task.id):
        raise Conflict(f"Arbejdsbogen til refusionskrav nr. {claim.id} bygges stadig.")
    record(
        session,
        actor,
        "update",
        purpose=PURPOSE,
        entity="refund_claim",
        entity_id=claim.id,
        detail={"workbook": "rebuild", "was": was},
    )
    session.flush()
    return task.id


def stalled(claim: ClaimView, now: datetime | None = None) -> bool:
    """A claim whose workbook's build has shown no sign of life for STALE_AFTER."""
    if claim.status != BUILDING:
        return False
    return claim.progress_at is None or (now or utcnow()) - claim.progress_at > STALE_AFTER


def build_status(claim: ClaimView) -> dict:
    """The small JSON the claim's page polls (`state` as an export job's: running/done/failed)."""
    if claim.status == READY:
        percent = 100
    else:
        percent = min(claim.done * 100 // claim.total, 100) if claim.total else 0
    return {
        "id": claim.id,
        "status": claim.status,
        "state": {READY: "done", BUILDING: "running"}.get(claim.status, "failed"),
        "done": claim.done,
        "total": claim.total,
        "percent": percent,
        "error": claim.error,
        "stalled": stalled(claim),
    }
