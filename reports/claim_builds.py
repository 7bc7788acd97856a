"""A claim's workbook built in the background, after the claim's own transaction.

The claim's commit locks its period, so its entries, rates and rules can no longer change;
the build reads them again, and stores the workbook only when its report has exactly the
totals stored on the claim. Every build has an id: a build taken for dead (no progress for
STALE_AFTER) is taken over atomically, and the old one stops at its next write.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from reports.claims import (
    BUILDING,
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
from service.core.clock import utcnow
from service.core.db import rowcount, table_of
from service.core.errors import Conflict, NotFound

log = logging.getLogger(__name__)

# A build writes progress every PROGRESS_EVERY entries (a few seconds apart at the very
# most); one silent this long is taken for dead (the server stopped mid-build).
STALE_AFTER = timedelta(minutes=2)


class BuildSuperseded(Exception):
    """Another build has taken the claim over (this one was taken for dead)."""


class TotalsDiffer(Exception):
    """The report computed for the workbook does not have the claim's totals."""


def _claim_table() -> sa.Table:
    return table_of(RefundClaim)


def _update_build(
    session_factory: Callable[[], Session], claim_id: int, builder: str, **values
) -> bool:
    """Write the build's state in its own short transaction, so pages see it at once.

    Only while `builder` owns the build; every write is also its sign of life
    (`progress_at`). False when another build has taken the claim over.
    """
    table = _claim_table()
    session = session_factory()
    try:
        result = session.execute(
            sa.update(table)
            .where(table.c.id == claim_id, table.c.builder == builder, table.c.status == BUILDING)
            .values(progress_at=utcnow(), **values)
        )
        session.commit()
        return rowcount(result) == 1
    finally:
        session.close()


def _store_workbook(
    session_factory: Callable[[], Session],
    claim_id: int,
    builder: str,
    actor: Actor,
    data: bytes,
    entries: int,
) -> bool:
    """Store the built workbook, make the claim ready and audit it, in one transaction."""
    table = _claim_table()
    digest = hashlib.sha256(data).hexdigest()
    session = session_factory()
    try:
        result = session.execute(
            sa.update(table)
            .where(table.c.id == claim_id, table.c.builder == builder, table.c.status == BUILDING)
            .values(
                workbook=data,
                sha256=digest,
                status=READY,
                done=entries,
                error="",
                progress_at=utcnow(),
            )
        )
        if rowcount(result) != 1:
            session.rollback()
            return False
        record(
            session,
            actor,
            "update",
            purpose=PURPOSE,
            entity="refund_claim",
            entity_id=claim_id,
            detail={"workbook": READY, "sha256": digest, "entries": entries},
        )
        session.commit()
        return True
    finally:
        session.close()


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


def build_claim_workbook(
    session_factory: Callable[[], Session], claim_id: int, builder: str, default_rate: Decimal
) -> None:
    """Build a claim's workbook from the database, with progress, and store it with its sha256.

    The workbook carries the claim's id, creation time and creator, as when it is built in
    the claim's own request. It is stored only when the report it is written from has
    exactly the totals stored on the claim; otherwise the build fails and says so.
    """
    session = session_factory()
    try:
        claim = session.get(RefundClaim, claim_id)
        if claim is None or claim.status != BUILDING or claim.builder != builder:
            return
        actor = Actor(session.get(User, claim.created_by), "claim-build")
        start, end, claimed = claim.period_from, claim.period_to, dict(claim.totals)
        meta = WorkbookMeta(claim.created_at, actor_name(actor), claim.id)
        session.commit()  # the claim is read; the build reads in its own transaction
        bundle = compute(session, start, end, default_rate)
        computed = bundle.to_json()["totals"]
        if computed != claimed:
            raise TotalsDiffer(_differences(claim_id, claimed, computed))
        written = 0

        def progress(done: int) -> None:
            nonlocal written
            written = done
            if not _update_build(session_factory, claim_id, builder, done=done):
                raise BuildSuperseded

        if not _update_build(session_factory, claim_id, builder, done=0):
            raise BuildSuperseded
        data = workbook_bytes(session, bundle, meta, progress)
        session.commit()  # end the read before the result is written
        if not _store_workbook(session_factory, claim_id, builder, actor, data, written):
            raise BuildSuperseded
    except BuildSuperseded:
        log.info("claim %s: another build took the workbook over", claim_id)
        session.rollback()
    except Exception as error:  # the page must show the failure rather than spin for ever
        log.exception("claim %s: the workbook could not be built", claim_id)
        session.rollback()
        try:
            _update_build(
                session_factory, claim_id, builder, status=FAILED, error=str(error)[:2000] or "Fejl"
            )
        except Exception:  # e.g. the database is gone: the claim stalls, and can be rebuilt
            log.exception("claim %s: the failed build could not be recorded", claim_id)
    finally:
        session.close()


def stalled(claim: RefundClaim | ClaimView, now: datetime | None = None) -> bool:
    """A 'building' claim whose build has shown no sign of life for STALE_AFTER."""
    if claim.status != BUILDING:
        return False
    return claim.progress_at is None or (now or utcnow()) - claim.progress_at > STALE_AFTER


def _take_over(session: Session, claim_id: int, *, failed_too: bool) -> str | None:
    """Give a stalled (or failed) build to a new builder, atomically: its id, or None.

    Of two requests (or processes) trying at once, one wins: the other finds the claim
    with fresh progress. A stalled build that was alive after all loses at its next write.
    """
    table = _claim_table()
    stale = sa.and_(
        table.c.status == BUILDING,
        sa.or_(table.c.progress_at.is_(None), table.c.progress_at < utcnow() - STALE_AFTER),
    )
    builder = uuid.uuid4().hex
    result = session.execute(
        sa.update(table)
        .where(
            table.c.id == claim_id, sa.or_(stale, table.c.status == FAILED) if failed_too else stale
        )
        .values(status=BUILDING, builder=builder, done=0, error="", progress_at=utcnow())
    )
    return builder if rowcount(result) == 1 else None


def restart_build(*, session: Session, actor: Actor, claim_id: int) -> str:
    """Build a failed or stalled claim's workbook again (after commit): the new builder's id."""
    claim = session.get(RefundClaim, claim_id)
    if claim is None:
        raise NotFound("Refusionskravet findes ikke.")
    if claim.status == READY:
        raise Conflict(f"Arbejdsbogen til refusionskrav nr. {claim.id} er allerede bygget.")
    builder = _take_over(session, claim.id, failed_too=True)
    if builder is None:
        raise Conflict(f"Arbejdsbogen til refusionskrav nr. {claim.id} bygges stadig.")
    record(
        session,
        actor,
        "update",
        purpose=PURPOSE,
        entity="refund_claim",
        entity_id=claim.id,
        detail={"workbook": "rebuild", "was": claim.status},
    )
    session.flush()
    session.expire(claim)
    return builder


def resume_builds(
    session_factory: Callable[[], Session],
    default_rate: Decimal,
    *,
    wait: bool = True,
    sleep: Callable[[float], None] = time.sleep,
) -> list[int]:
    """Build the workbooks of claims left 'building' by a build that no longer runs.

    Run at startup. A build that showed life within STALE_AFTER may still run in another
    process, so it is taken over only once it has been silent that long (with `wait`, this
    waits for that). Failed builds are left to the "build again" button. Returns the ids built.
    """
    built: list[int] = []
    while True:
        session = session_factory()
        try:
            pending = session.exec(
                select(RefundClaim.id, RefundClaim.progress_at)
                .where(RefundClaim.status == BUILDING)
                .order_by(col(RefundClaim.id))
            ).all()
            mine = [(i, b) for i, _ in pending if (b := _take_over(session, i, failed_too=False))]
            session.commit()
        finally:
            session.close()
        for claim_id, builder in mine:
            build_claim_workbook(session_factory, claim_id, builder, default_rate)
            built.append(claim_id)
        taken = {claim_id for claim_id, _ in mine}
        alive = [at for claim_id, at in pending if claim_id not in taken and at is not None]
        if not wait or not alive:
            return built
        until = min(alive) + STALE_AFTER - utcnow()
        sleep(max(until.total_seconds(), 0) + 1)


def resume_builds_in_background(
    session_factory: Callable[[], Session], default_rate: Decimal
) -> threading.Thread | None:
    """Start `resume_builds` in a thread when some claim is left 'building' (at startup)."""
    session = session_factory()
    try:
        building = session.exec(
            select(RefundClaim.id).where(RefundClaim.status == BUILDING).limit(1)
        ).first()
    finally:
        session.close()
    if building is None:
        return None
    thread = threading.Thread(
        target=resume_builds,
        args=(session_factory, default_rate),
        name="claim-workbooks",
        daemon=True,
    )
    thread.start()
    return thread


def build_status(claim: RefundClaim | ClaimView) -> dict:
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
