"""Refund exports: the workbook and CSV downloads, and big workbooks built in the background."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
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
from reports.models import ExportJob
from service.audit.service import Actor, record
from service.auth.models import User
from service.core.clock import utcnow
from service.core.errors import NotFound

log = logging.getLogger(__name__)

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


# --- background jobs --------------------------------------------------------------------


def start_job(*, session: Session, actor: Actor, start: date, end: date) -> ExportJob:
    """Queue a workbook for the period (validated now, built by `run_job` after commit)."""
    queries.rule_in_force(session, start, end)  # 422 now rather than a failed job later
    job = ExportJob(
        kind=KIND,
        params={"from": start.isoformat(), "to": end.isoformat()},
        total=queries.entry_count(session, start, end),
        created_by=actor.user_id,
    )
    session.add(job)
    session.flush()
    _audit_export(session, actor, start, end, "xlsx")
    session.flush()
    return job


def _set_progress(session_factory: Callable[[], Session], job_id: int, **values) -> None:
    """Write the job's progress in its own short transaction, so pages see it at once."""
    session = session_factory()
    try:
        job = session.get(ExportJob, job_id)
        for name, value in values.items():
            setattr(job, name, value)
        session.add(job)
        session.commit()
    finally:
        session.close()


def run_job(session_factory: Callable[[], Session], job_id: int, default_rate: Decimal) -> None:
    """Build a queued workbook, writing progress every PROGRESS_EVERY entries."""
    session = session_factory()
    try:
        job = session.get(ExportJob, job_id)
        if job is None or job.status != "queued":
            return
        user = session.get(User, job.created_by)
        actor = Actor(user, "export-job")
        start, end = (date.fromisoformat(job.params[k]) for k in ("from", "to"))
        total = job.total
        session.commit()  # the job row is read; the build runs in its own transaction
        _set_progress(session_factory, job_id, status="running")
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

        def progress(done: int) -> None:
            _set_progress(session_factory, job_id, done=done)

        data = workbook_bytes(session, bundle, meta, progress)
        session.commit()  # end the read before the result is written from a fresh snapshot
        _set_progress(
            session_factory, job_id, result=data, status="done", finished_at=utcnow(), done=total
        )
    except Exception as error:  # the page must show the failure rather than spin forever
        log.exception("export job %s failed", job_id)
        session.rollback()
        _set_progress(
            session_factory, job_id, status="failed", error=str(error)[:2000], finished_at=utcnow()
        )
    finally:
        session.close()


def get_job(*, session: Session, actor: Actor, job_id: int) -> ExportJob:
    """The user's own export job (another user's is NotFound)."""
    job = session.get(ExportJob, job_id)
    if job is None or job.kind != KIND or job.created_by != actor.id:
        raise NotFound("Udtrækket findes ikke.")
    return job


def job_status(job: ExportJob) -> dict:
    """The small JSON the page polls."""
    percent = 100 if job.status == "done" else (job.done * 100 // job.total if job.total else 0)
    return {
        "id": job.id,
        "status": job.status,
        "state": {"done": "done", "failed": "failed"}.get(job.status, "running"),
        "done": job.done,
        "total": job.total,
        "percent": min(percent, 100),
        "error": job.error,
    }
