"""The scheduled jobs: name → (function of (session, today), schedule description).

Each area registers its jobs here; `mentorkorps jobs list|run` and the scheduler read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[Session, date], str]  # returns a one-line outcome
    cron: dict  # APScheduler cron trigger fields
    description: str


JOBS: dict[str, Job] = {}


def register(job: Job) -> None:
    """Add a job to the registry."""
    JOBS[job.name] = job
