"""The admin's view of the scheduled jobs: Danish names, schedules and next runs, "Kør nu"."""

from __future__ import annotations

from fastapi import BackgroundTasks, Depends, Request

from service.audit.service import Actor, record
from service.auth.models import Role
from service.core import clock
from service.core.errors import NotFound
from service.jobs import describe, runner
from service.jobs.registry import JOBS
from service.jobs.runs import latest_runs
from service.web.guard import SessionDep, requires
from service.web.routing import Router
from service.web.templates import redirect, render
from vocabulary import label, system

router = Router(prefix="/admin")
ADMIN = requires(Role.admin)


@router.get("/planlagte-job", name="admin_jobs")
def jobs(request: Request, session: SessionDep, actor: Actor = Depends(ADMIN)):
    latest = latest_runs(session)
    now = clock.local_now()
    rows = [
        {
            "name": job.name,
            "title": label(system.JOBS, job.name),
            "description": job.description,
            "schedule": describe.schedule_text(job.cron),
            "next_run": describe.next_run(job.cron, now),
            "run": latest.get(job.name),
        }
        for job in JOBS.values()
    ]
    context = {
        "rows": rows,
        "statuses": system.JOB_RUN_STATUSES,
        "triggers": system.JOB_RUN_TRIGGERS,
    }
    return render(request, "notifications/jobs.html", context)


@router.post("/planlagte-job/{name}/koer-nu", name="admin_job_run")
def run_now(
    request: Request,
    name: str,
    later: BackgroundTasks,
    session: SessionDep,
    actor: Actor = Depends(ADMIN),
):
    if name not in JOBS:
        raise NotFound("Jobbet findes ikke.")
    today = clock.today()
    record(
        session,
        actor,
        "run",
        purpose="administration",
        entity="job",
        detail={"job": name, "run_date": today.isoformat()},
    )
    # Runs after the response, in sessions of its own, as the scheduler runs it.
    later.add_task(runner.run_by_hand, name, today, request.app.state.session_factory)
    title = label(system.JOBS, name)
    message = (
        f"»{title}« er sat i gang. Resultatet står under Seneste kørsel, når jobbet er færdigt."
    )
    return redirect(request, request.url_for("admin_jobs").path, message)
