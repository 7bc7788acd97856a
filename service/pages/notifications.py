"""The inbox (every role), the e-mail setting, and the admin's view of the scheduled jobs."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request

from service.audit.service import Actor
from service.auth.models import User
from service.jobs.registry import JOBS
from service.jobs.runs import latest_runs
from service.notifications import service as notifications
from service.web.guard import SessionDep, requires
from service.web.templates import redirect, render, templates

router = APIRouter()
EVERYONE = requires()


async def keep_session(request: Request, session: SessionDep):
    """Page-router dependency: lets the header's unread count use the request's session."""
    request.state.db_session = session
    try:
        yield
    finally:
        request.state.db_session = None


def unread_count(request: Request) -> int:
    """The header's unread count: one indexed count on the request's own session."""
    session = getattr(request.state, "db_session", None)
    user = getattr(request.state, "user", None)
    if session is None or user is None:
        return 0
    try:
        return notifications.unread_count(session, user_id=user.id)
    except Exception:  # the header never breaks a page
        return 0


templates.env.globals["unread_count"] = unread_count


@router.get("/notifications", name="notifications")
def inbox(request: Request, session: SessionDep, actor: Actor = Depends(EVERYONE)):
    unread = request.query_params.get("unread") == "1"
    assert isinstance(actor.user, User)  # EVERYONE means every signed-in user
    context = {
        "rows": notifications.list_for(session, user_id=actor.user_id, unread=unread),
        "unread": unread,
        "email_digest": actor.user.email_digest,
    }
    return render(request, "notifications/inbox.html", context)


@router.post("/notifications/read-all", name="notifications_read_all")
def read_all(request: Request, session: SessionDep, actor: Actor = Depends(EVERYONE)):
    count = notifications.mark_all_read(session, user_id=actor.user_id)
    return redirect(request, request.url_for("notifications").path, f"{count} markeret som læst.")


@router.post("/notifications/settings", name="notification_settings")
def settings(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(EVERYONE),
    email_digest: str = Form(""),
):
    digest = email_digest == "1"
    notifications.set_email_digest(session, user_id=actor.user_id, digest=digest)
    message = (
        "Du får nu én daglig e-mail med dine notifikationer."
        if digest
        else "Du får nu en e-mail, når der kommer nye notifikationer."
    )
    return redirect(request, request.url_for("notifications").path, message)


@router.post("/notifications/{notification_id}/read", name="notification_read")
def read(
    request: Request,
    notification_id: int,
    session: SessionDep,
    actor: Actor = Depends(EVERYONE),
    open_link: str = Form("", alias="open"),
):
    row = notifications.mark_read(session, user_id=actor.user_id, notification_id=notification_id)
    link = notifications.page_link(row.link)
    if open_link == "1" and link.startswith("/") and not link.startswith("//"):
        return redirect(request, link)
    return redirect(request, request.url_for("notifications").path)


@router.get("/admin/jobs", name="admin_jobs")
def jobs(request: Request, session: SessionDep, actor: Actor = Depends(requires("admin"))):
    latest = latest_runs(session)
    rows = [
        {
            "job": job,
            "schedule": ", ".join(f"{k}={v}" for k, v in job.cron.items()),
            "run": latest.get(job.name),
        }
        for job in JOBS.values()
    ]
    return render(request, "notifications/jobs.html", {"rows": rows})
