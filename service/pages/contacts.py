"""The corps' shared tools: the contact list and the crisis plan."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request

from service.audit.service import Actor
from service.auth.models import User
from service.core.errors import DomainError
from service.corps import contacts as service
from service.corps import vocab
from service.web.guard import SessionDep, requires
from service.web.templates import redirect, render

router = APIRouter()
CORPS = requires("coordinator", "admin", "mentor")
COORDINATOR = requires("coordinator")


def _list_page(request, session, actor: Actor, form=None, errors=None, editing=None):
    context = {
        "contacts": service.list_contacts(session),
        "categories": vocab.CONTACT_CATEGORIES,
        "may_edit": actor.role == "coordinator",
        "form": form or {},
        "errors": errors or {},
        "editing": editing,
    }
    return render(request, "corps/contacts.html", context, status=422 if errors else 200)


@router.get("/kontakter", name="contact_list")
def contact_list(request: Request, session: SessionDep, actor: Actor = Depends(CORPS)):
    return _list_page(request, session, actor)


def _fields(name, organisation, category, phone, email, notes) -> dict:
    return {
        "name": name,
        "organisation": organisation,
        "category": category,
        "phone": phone,
        "email": email,
        "notes": notes,
    }


@router.post("/kontakter", name="contact_create")
def contact_create(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(COORDINATOR),
    name: str = Form(""),
    organisation: str = Form(""),
    category: str = Form(""),
    phone: str = Form(""),
    email: str = Form(""),
    notes: str = Form(""),
):
    form = _fields(name, organisation, category, phone, email, notes)
    errors = service.contact_errors(form)
    if not errors:
        try:
            service.create_contact(session, actor=actor, **form)
        except DomainError as error:
            session.rollback()
            errors = {error.field or "name": error.message}
    if errors:
        return _list_page(request, session, actor, form, errors)
    return redirect(request, request.url_for("contact_list").path, "Kontakten er tilføjet.")


@router.post("/kontakter/{contact_id}", name="contact_update")
def contact_update(
    request: Request,
    contact_id: int,
    session: SessionDep,
    actor: Actor = Depends(COORDINATOR),
    name: str = Form(""),
    organisation: str = Form(""),
    category: str = Form(""),
    phone: str = Form(""),
    email: str = Form(""),
    notes: str = Form(""),
):
    contact = service.get_contact(session, contact_id)
    form = _fields(name, organisation, category, phone, email, notes)
    errors = service.contact_errors(form)
    if not errors:
        service.update_contact(session, actor=actor, contact=contact, **form)
        return redirect(request, request.url_for("contact_list").path, "Kontakten er gemt.")
    return _list_page(request, session, actor, form, errors, editing=contact_id)


@router.post("/kontakter/{contact_id}/slet", name="contact_delete")
def contact_delete(
    request: Request, contact_id: int, session: SessionDep, actor: Actor = Depends(COORDINATOR)
):
    contact = service.get_contact(session, contact_id)
    service.delete_contact(session, actor=actor, contact=contact)
    return redirect(request, request.url_for("contact_list").path, "Kontakten er slettet.")


@router.get("/kriseplan", name="crisis_plan")
def crisis_plan(request: Request, session: SessionDep, actor: Actor = Depends(CORPS)):
    plan = service.current_crisis_plan(session)
    author = session.get(User, plan.author_id) if plan else None
    context = {
        "plan": plan,
        "author": author,
        "may_edit": actor.role == "coordinator",
        "form": {"body": plan.body if plan else ""},
        "errors": {},
    }
    return render(request, "corps/crisis_plan.html", context)


@router.post("/kriseplan", name="crisis_plan_save")
def crisis_plan_save(
    request: Request, session: SessionDep, actor: Actor = Depends(COORDINATOR), body: str = Form("")
):
    try:
        service.save_crisis_plan(session, actor=actor, body=body)
    except DomainError as error:
        session.rollback()
        plan = service.current_crisis_plan(session)
        context = {
            "plan": plan,
            "author": session.get(User, plan.author_id) if plan else None,
            "may_edit": True,
            "form": {"body": body},
            "errors": {error.field or "body": error.message},
        }
        return render(request, "corps/crisis_plan.html", context, status=422)
    return redirect(request, request.url_for("crisis_plan").path, "Kriseplanen er gemt.")
