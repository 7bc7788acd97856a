"""Run registered jobs by hand and list them."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from service.db import session_scope
from service.jobs.registry import JOBS


class UnknownJob(KeyError):
    def __str__(self) -> str:
        names = ", ".join(sorted(JOBS)) or "ingen"
        return f"ukendt job {self.args[0]!r} (kendte job: {names})"


def run_job(name: str, today: date) -> str:
    """Run one job for `today` in its own transaction; return its outcome line."""
    job = JOBS.get(name)
    if job is None:
        raise UnknownJob(name)
    with session_scope() as session:
        return job.run(session, today)


def job_table(session: Session) -> list[tuple[str, str, str]]:
    """Rows of (name, schedule, description) for `jobs list`."""
    return [
        (j.name, " ".join(f"{k}={v}" for k, v in j.cron.items()), j.description)
        for j in JOBS.values()
    ]
