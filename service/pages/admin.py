"""Admin pages: accounts (create, reset password, unblock, deactivate); audit: admin_audit.py."""

from __future__ import annotations

from fastapi import Depends, Request

from service.audit.service import Actor
from service.auth import accounts
from service.auth.models import ROLE_LABELS, Role
from service.core.errors import DomainError
from service.web.forms import Flag, Form, Text
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
