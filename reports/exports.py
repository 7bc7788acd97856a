"""Refund exports: the workbook and CSV downloads, and big workbooks built in the background."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from reports import queries
from reports.claims import (
    PURPOSE,
    RefundBundle,
    actor_name,
    audit_citizen_reads,
    compute,
    refund_report,
    workbook_bytes,
)
from reports.core.csvexport import write_entries_csv, write_refund_csv
from reports.core.workbook import WorkbookMeta
from service.audit.service import Actor, record
from service.auth.models import User
from service.core import background
from service.core.background import BackgroundTask, Claimed
from service.core.clock import utcnow
from service.core.errors import NotFound

KIND = "refund_workbook"
# From this many entries the workbook is built in the background with a progress bar.
BACKGROUND_FROM = 20_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_filename(start: date, end: date) -> str:
    return f"refusionsopgørelse-{start.isoformat()}-til-{end.isoformat()}.xlsx"


def csv_filename(start: date, end: date, table: str) -> str:
    return f"refusion-{table}-{start.isoformat()}-til-{end.isoformat()}.csv"


def _audit_export(session: Session, actor: Actor, start: date, end: date, fmt: str) -> None:
    record(
        session,
        actor,
        "export",
        purpose=PURPOSE,
        entity="refund_report",
        detail={"from": start.isoformat(), "to": end.isoformat(), "format": fmt},
    )


def needs_background(session: Session, start: date, end: date) -> bool:
    """Whether the period has so many entries that its workbook is built in the background."""
    return queries.entry_count(session, start, end) >= BACKGROUND_FROM


def export_workbook(
    *, session: Session, actor: Actor, start: date, end: date, default_rate: Decimal
) -> bytes:
    """The (unclaimed) refund workbook for the period; audited."""
    bundle = compute(session, start, end, default_rate)
    data = workbook_bytes(session, bundle, WorkbookMeta(utcnow(), actor_name(actor)))
    # Audited last, in the same transaction: the first audit row takes the journal's chain
    # lock (service/audit/chain.py) until the commit, so it is not held while building.
    audit_citizen_reads(session, actor, bundle.report, "xlsx")
    _audit_export(session, actor, start, end, "xlsx")
    session.flush()
    return data


@dataclass(frozen=True)
class CsvTables:
    BORGERE = "borgere"
    REGISTRERINGER = "registreringer"


CSV_TABLES = (CsvTables.BORGERE, CsvTables.REGISTRERINGER)


def export_csv(
    *, session: Session, actor: Actor, start: date, end: date, table: str, default_rate: Decimal
) -> str:
    """The citizen rows or every entry as CSV text; audited."""
    bundle: RefundBundle = compute(session, start, end, default_rate)
    out = io.StringIO(newline="")
    if table == CsvTables.REGISTRERINGER:
        entries = queries.entry_rows(session, start, end, default_rate)
        write_entries_csv(out, bundle.report, entries)
    else:
        write_refund_csv(out, bundle.report, bundle.evidence)
    # Audited last (see export_workbook): the chain lock is not held while writing.
    audit_citizen_reads(session, actor, bundle.report, f"csv_{table}")
    _audit_export(session, actor, start, end, f"csv_{table}")
    session.flush()
    return out.getvalue()


# --- big workbooks in the background ------------------------------------------------------


def start_job(*, session: Session, actor: Actor, start: date, end: date) -> BackgroundTask:
    """Queue a workbook for the period (validated now, built by `build` after the commit)."""
    queries.rule_in_force(session, start, end)  # 422 now rather than a failed job later
    task = background.queue(
        session,
        kind=KIND,
        created_by=actor.user_id,
        params={"from": start.isoformat(), "to": end.isoformat()},
        total=queries.entry_count(session, start, end),
    )
    _audit_export(session, actor, start, end, "xlsx")
    session.flush()
    return task


def build(task: Claimed, default_rate: Decimal) -> None:
    """Build a queued workbook, writing progress every PROGRESS_EVERY entries.

    Run again from the start when its run went silent (`service.core.background`), so the
    citizens' reads are audited by each run that reads them.
    """
    with task.factory() as session:
        actor = Actor(session.get(User, task.created_by), "export-job")
        start, end = (date.fromisoformat(task.params[k]) for k in ("from", "to"))
        bundle = refund_report(
            session=session,
            actor=actor,
            start=start,
            end=end,
            default_rate=default_rate,
            what="xlsx_job",
        )
        session.commit()  # the audit rows; SQLite lets one writer in, and progress must write
        meta = WorkbookMeta(utcnow(), actor_name(actor))
        data = workbook_bytes(session, bundle, meta, task.progress)
        session.commit()  # end the read before the result is written
    with task.factory() as session:
        task.complete(session, result=data, done=task.total)
        session.commit()


def get_job(*, session: Session, actor: Actor, job_id: int) -> BackgroundTask:
    """The user's own export job (another user's is NotFound)."""
    task = session.get(BackgroundTask, job_id)
    if task is None or task.kind != KIND or task.created_by != actor.id:
        raise NotFound("Udtrækket findes ikke.")
    return task


def job_status(task: BackgroundTask) -> dict:
    """The small JSON the page polls."""
    done = task.status == background.DONE
    percent = 100 if done else (task.done * 100 // task.total if task.total else 0)
    return {
        "id": task.id,
        "status": task.status,
        "state": {"done": "done", "failed": "failed"}.get(task.status, "running"),
        "done": task.done,
        "total": task.total,
        "percent": min(percent, 100),
        "error": task.error,
    }
