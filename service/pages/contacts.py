"""The corps' shared tools: the contact list and the crisis plan."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request

from service.audit.service import Actor
from service.auth.models import Role, User
from service.core.errors import DomainError
from service.corps import contacts, vocab
from service.web.forms import Form, Text
from service.web.guard import SessionDep, requires
from service.web.routing import Router
from service.web.templates import redirect, render

router = Router()
CORPS = requires(Role.coordinator, Role.admin, Role.mentor)
COORDINATOR = requires(Role.coordinator)


class ContactForm(Form):
    name = Text()
    organisation = Text()
    category = Text()
    phone = Text()
    email = Text()
    notes = Text()

    def check(self) -> None:
        self.add_errors(contacts.contact_errors(self.data))


class CrisisPlanForm(Form):
    body = Text()


def _list_page(request, session, actor: Actor, form: Form | None = None, editing=None):
    form = form or ContactForm()
    context = {
        "contacts": contacts.list_contacts(session),
        "categories": vocab.CONTACT_CATEGORIES,
        "may_edit": actor.role == Role.coordinator,
        "form": form,
        "errors": form.errors,
        "editing": editing,
    }
    return render(request, "contacts/contacts.html", context, status=form.status)


@router.get("/kontakter", name="contact_list")
def contact_list(request: Request, session: SessionDep, actor: Actor = Depends(CORPS)):
    return _list_page(request, session, actor)


@router.post("/kontakter", name="contact_create")
def contact_create(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(COORDINATOR),
    form: ContactForm = Depends(ContactForm.from_request),
):
    if form.valid:
        try:
            contacts.create_contact(session, actor=actor, **form.data)
        except DomainError as error:
            form.refuse(error, "name")
    if not form.valid:
        return _list_page(request, session, actor, form)
    return redirect(request, request.url_for("contact_list").path, "Kontakten er tilføjet.")


@router.post("/kontakter/{contact_id}", name="contact_update")
def contact_update(
    request: Request,
    contact_id: int,
    session: SessionDep,
    actor: Actor = Depends(COORDINATOR),
    form: ContactForm = Depends(ContactForm.from_request),
):
    contact = contacts.get_contact(session, contact_id)
    if not form.valid:
        return _list_page(request, session, actor, form, editing=contact_id)
    contacts.update_contact(session, actor=actor, contact=contact, **form.data)
    return redirect(request, request.url_for("contact_list").path, "Kontakten er gemt.")


@router.post("/kontakter/{contact_id}/slet", name="contact_delete")
def contact_delete(
    request: Request, contact_id: int, session: SessionDep, actor: Actor = Depends(COORDINATOR)
):
    contact = contacts.get_contact(session, contact_id)
    contacts.delete_contact(session, actor=actor, contact=contact)
    return redirect(request, request.url_for("contact_list").path, "Kontakten er slettet.")


@router.get("/kriseplan", name="crisis_plan")
def crisis_plan(request: Request, session: SessionDep, actor: Actor = Depends(CORPS)):
    plan = contacts.current_crisis_plan(session)
    author = session.get(User, plan.author_id) if plan else None
    context: dict[str, Any] = {
        "plan": plan,
        "author": author,
        "may_edit": actor.role == Role.coordinator,
        "form": CrisisPlanForm({"body": plan.body if plan else ""}),
        "errors": {},
    }
    return render(request, "contacts/crisis_plan.html", context)


@router.post("/kriseplan", name="crisis_plan_save")
def crisis_plan_save(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(COORDINATOR),
    form: CrisisPlanForm = Depends(CrisisPlanForm.from_request),
):
    try:
        contacts.save_crisis_plan(session, actor=actor, body=form.body)
    except DomainError as error:
        form.refuse(error, "body")
        plan = contacts.current_crisis_plan(session)
        context = {
            "plan": plan,
            "author": session.get(User, plan.author_id) if plan else None,
            "may_edit": True,
            "form": form,
            "errors": form.errors,
        }
        return render(request, "contacts/crisis_plan.html", context, status=form.status)
    return redirect(request, request.url_for("crisis_plan").path, "Kriseplanen er gemt.")
