"""The inbox (every role) and the e-mail setting (the scheduled jobs: admin_jobs.py)."""

from __future__ import annotations

from fastapi import Depends, Request

from service.audit.service import Actor
from service.auth.models import User
from service.notifications import inbox
from service.web.forms import Flag, Form
from service.web.guard import SessionDep, requires
from service.web.routing import Router
from service.web.templates import redirect, render

router = Router()
EVERYONE = requires()


class DigestForm(Form):
    email_digest = Flag()


class ReadForm(Form):
    open_link = Flag(alias="open")


@router.get("/notifikationer", name="notifications")
def inbox_page(request: Request, session: SessionDep, actor: Actor = Depends(EVERYONE)):
    unread = request.query_params.get("unread") == "1"
    assert isinstance(actor.user, User)  # EVERYONE means every signed-in user
    rows = inbox.list_for(session, user_id=actor.user_id, unread=unread)
    context = {
        "rows": rows,
        "open_labels": {n.id: inbox.link_label(n.link) for n in rows},
        "texts": {n.id: inbox.display_text(n.text) for n in rows},
        "unread": unread,
        "email_digest": actor.user.email_digest,
    }
    return render(request, "notifications/inbox.html", context)


@router.post("/notifikationer/alle-laest", name="notifications_read_all")
def read_all(request: Request, session: SessionDep, actor: Actor = Depends(EVERYONE)):
    count = inbox.mark_all_read(session, user_id=actor.user_id)
    return redirect(request, request.url_for("notifications").path, f"{count} markeret som læst.")


@router.post("/notifikationer/indstillinger", name="notification_settings")
def settings(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(EVERYONE),
    form: DigestForm = Depends(DigestForm.from_request),
):
    digest = form.email_digest
    inbox.set_email_digest(session, user_id=actor.user_id, digest=digest)
    message = (
        "Du får nu én daglig e-mail med dine notifikationer."
        if digest
        else "Du får nu en e-mail, når der kommer nye notifikationer."
    )
    return redirect(request, request.url_for("notifications").path, message)


@router.post("/notifikationer/{notification_id}/laest", name="notification_read")
def read(
    request: Request,
    notification_id: int,
    session: SessionDep,
    actor: Actor = Depends(EVERYONE),
    form: ReadForm = Depends(ReadForm.from_request),
):
    row = inbox.mark_read(session, user_id=actor.user_id, notification_id=notification_id)
    link = inbox.page_link(row.link)
    if form.open_link and link.startswith("/") and not link.startswith("//"):
        return redirect(request, link)
    return redirect(request, request.url_for("notifications").path)
