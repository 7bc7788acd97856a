"""Admin pages: accounts (create, reset password, unblock, deactivate) and the audit trail."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import Depends, Request

from reports.core.danish import local_midnight
from service.audit.models import ACTION_LABELS, PURPOSE_LABELS
from service.audit.service import Actor, AuditFilter, record, search
from service.audit.verify import latest_run, record_run, verify
from service.auth import accounts
from service.auth.models import ROLE_LABELS, Role
from service.core.errors import DomainError
from service.web.forms import Flag, Form, Text, parse_date, parse_int
from service.web.guard import SessionDep, requires
from service.web.routing import Router
from service.web.templates import redirect, refuse, render

router = Router(prefix="/admin")
ADMIN = requires(Role.admin)


class UserForm(Form):
    email = Text()
    name = Text()
    role = Text()
    password = Text()


class PasswordForm(Form):
    password = Text()


class ActiveForm(Form):
    active = Flag()


def _users_page(request: Request, session, form: UserForm):
    context = {
        "users": accounts.list_users(session),
        "locks": accounts.locks(session),
        "roles": ROLE_LABELS,
        "errors": form.errors,
        "form": form,
    }
    return render(request, "admin/users.html", context, status=form.status)


@router.get("/brugere", name="admin_users")
def users(request: Request, session: SessionDep, actor: Actor = Depends(ADMIN)):
    return _users_page(request, session, UserForm())


@router.post("/brugere", name="admin_users_create")
def create_user(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(ADMIN),
    form: UserForm = Depends(UserForm.from_request),
):
    try:
        user = accounts.create_user(
            session,
            email=form.email,
            name=form.name,
            role=form.role,
            password=form.password,
            actor=actor,
        )
    except DomainError as error:
        form.refuse(error, "email")
        return _users_page(request, session, form)
    return redirect(
        request, request.url_for("admin_users").path, f"Brugeren {user.email} er oprettet."
    )


@router.post("/brugere/{user_id}/adgangskode", name="admin_user_password")
def reset_password(
    request: Request,
    user_id: int,
    session: SessionDep,
    actor: Actor = Depends(ADMIN),
    form: PasswordForm = Depends(PasswordForm.from_request),
):
    user = accounts.get_user(session, user_id)
    try:
        accounts.reset_password(session, user=user, password=form.password, actor=actor)
    except DomainError as error:
        return refuse(request, request.url_for("admin_users").path, error.message)
    return redirect(
        request, request.url_for("admin_users").path, f"Ny adgangskode er sat for {user.email}."
    )


@router.post("/brugere/{user_id}/laas-op", name="admin_user_unblock")
def unblock(request: Request, user_id: int, session: SessionDep, actor: Actor = Depends(ADMIN)):
    user = accounts.get_user(session, user_id)
    accounts.unblock(session, user=user, actor=actor)
    return redirect(request, request.url_for("admin_users").path, f"{user.email} er låst op.")


@router.post("/brugere/{user_id}/aktiv", name="admin_user_active")
def set_active(
    request: Request,
    user_id: int,
    session: SessionDep,
    actor: Actor = Depends(ADMIN),
    form: ActiveForm = Depends(ActiveForm.from_request),
):
    user = accounts.get_user(session, user_id)
    if user.id == actor.id:
        url = request.url_for("admin_users").path
        return refuse(request, url, "Du kan ikke deaktivere din egen konto.")
    accounts.set_active(session, user=user, active=form.active, actor=actor)
    state = "aktiveret" if form.active else "deaktiveret"
    return redirect(request, request.url_for("admin_users").path, f"{user.email} er {state}.")


def _day_start(value) -> datetime | None:
    return local_midnight(value) if value else None


@router.get("/logning", name="admin_audit")
def audit(request: Request, session: SessionDep, actor: Actor = Depends(ADMIN)):
    params = request.query_params
    errors: dict[str, str] = {}
    citizen_id = parse_int(params.get("citizen_id"), "citizen_id", errors, "Borger-id")
    user_id = parse_int(params.get("user_id"), "user_id", errors, "Bruger-id")
    since = parse_date(params.get("since"), "since", errors, "Fra dato")
    until = parse_date(params.get("until"), "until", errors, "Til dato")
    action = params.get("action") or None
    if action and action not in ACTION_LABELS:
        errors["action"] = "Ukendt handling."
        action = None
    page = max(1, parse_int(params.get("page"), "page", errors, "Side") or 1)
    flt = AuditFilter(
        citizen_id=citizen_id,
        user_id=user_id,
        action=action,
        since=_day_start(since),
        until=_day_start(until + timedelta(days=1)) if until else None,
    )
    rows = search(session, flt, limit=101, offset=(page - 1) * 100)
    users = {u.id: u for u in accounts.list_users(session)}
    context = {
        "rows": rows[:100],
        "more": len(rows) > 100,
        "page": page,
        "users": users,
        "actions": ACTION_LABELS,
        "purposes": PURPOSE_LABELS,
        "errors": errors,
        "form": dict(params),
        "verify_run": latest_run(session),
    }
    return render(request, "admin/audit.html", context, status=422 if errors else 200)


@router.post("/logning/kontroller", name="admin_audit_verify")
def audit_verify(request: Request, session: SessionDep, actor: Actor = Depends(ADMIN)):
    outcome = verify(session.connection())
    record_run(session, outcome, "admin")
    record(session, actor, "read", purpose="administration", entity="verify_run")
    kind = "success" if outcome.ok else "error"
    message = f"Journalen er kontrolleret. {outcome.message}"
    return redirect(request, request.url_for("admin_audit").path, message, kind)
