"""Matching pages: assignment from the referral page's suggestions, agreements, exclusions.

The suggestions themselves show on the referral page (pages/referrals.py); the plan, the
weights and cover during absence are in pages/matching_plan.py.
"""

from __future__ import annotations

from fastapi import Depends, Request
from sqlmodel import select

from matching.labels import hours as hours_text
from reports.core.danish import period
from service.audit.service import Actor
from service.auth.models import Role
from service.core.errors import DomainError, Forbidden, NotFound
from service.corps import agreements, exclusions, matching
from service.corps.citizens import citizen_seen_by
from service.corps.models import Citizen, Mentor, Referral
from service.pages.referrals import show_referral
from service.web.forms import Form, Id, Text, parse_id
from service.web.guard import SessionDep, requires
from service.web.routing import Router
from service.web.templates import redirect, render

router = Router(prefix="/matchning")
COORDINATOR = requires(Role.coordinator)
READERS = requires(Role.coordinator, Role.admin, Role.caseworker, Role.mentor)


class AssignForm(Form):
    mentor_id = Id("Mentor", required="Vælg en mentor.", invalid="Vælg en mentor.")
    reason = Text()


class ExclusionForm(Form):
    mentor_id = Id("Mentor", invalid="Vælg en mentor på listen.")
    reason = Text()
    henvisning = Text()  # the referral page to go back to


@router.post("/henvisninger/{referral_id}/tildel", name="matching_assign")
def assign(
    request: Request,
    referral_id: int,
    session: SessionDep,
    actor: Actor = Depends(COORDINATOR),
    form: AssignForm = Depends(AssignForm.from_request),
):
    if form.valid:
        try:
            done = matching.assign(
                session,
                actor=actor,
                referral_id=referral_id,
                mentor_id=form.mentor_id,
                reason=form.reason,
            )
        except (NotFound, Forbidden):
            raise
        except DomainError as error:
            form.refuse(error, "reason", error.status)
    if not form.valid:
        return show_referral(request, session, actor, referral_id, assign=form)
    mentor_id = done.assignment.mentor_id
    name = matching.mentor_names(session, [mentor_id]).get(mentor_id, "")
    url = request.url_for("referral_page", referral_id=referral_id).path
    return redirect(request, url, f"{name} er tildelt som mentor. Forløbet er nu aktivt.")


@router.post("/henvisninger/{referral_id}/forny", name="matching_renew")
def renew(
    request: Request, referral_id: int, session: SessionDep, actor: Actor = Depends(COORDINATOR)
):
    agreement = agreements.renew(session, actor=actor, referral_id=referral_id)
    url = request.url_for("matching_agreement", agreement_id=agreement.id).path
    message = f"Ny mentoraftale for {period(agreement.valid_from, agreement.valid_to)}."
    return redirect(request, url, message)


@router.get("/aftaler/{agreement_id}", name="matching_agreement")
def agreement_page(
    request: Request, agreement_id: int, session: SessionDep, actor: Actor = Depends(READERS)
):
    agreement, referral = agreements.read_agreement(session, actor=actor, agreement_id=agreement_id)
    citizen = citizen_seen_by(actor, referral, session.get_one(Citizen, referral.citizen_id))
    newer = [a for a in agreements.agreements_of(session, referral.id) if a.id != agreement.id]
    context = {
        "agreement": agreement,
        "referral": referral,
        "citizen": citizen,
        "others": newer,
        "hours": hours_text(agreement.hours_per_week),
        "superseded_by": next((a for a in newer if a.supersedes_id == agreement.id), None),
    }
    return render(request, "matching/agreement.html", context)


# --- exclusions ----------------------------------------------------------------------------


def _back_to(session, citizen_id: int, referral_id: int | None) -> Referral | None:
    referral = session.get(Referral, referral_id) if referral_id else None
    return referral if referral is not None and referral.citizen_id == citizen_id else None


def _exclusions_page(request, session, actor, citizen_id, referral_id, form: Form):
    rows = exclusions.list_exclusions(session, actor=actor, citizen_id=citizen_id)
    citizen = session.get(Citizen, citizen_id)
    names = matching.mentor_names(session, session.exec(select(Mentor.id)).all())
    excluded = {row.mentor_id for row in rows}
    options = {
        str(mentor_id): name
        for mentor_id, name in sorted(names.items(), key=lambda item: (item[1], item[0]))
        if mentor_id not in excluded
    }
    context = {
        "citizen": citizen,
        "rows": rows,
        "names": names,
        "authors": matching.user_names(session, [r.created_by for r in rows if r.created_by]),
        "options": options,
        "typed": form,
        "errors": form.errors,
        "referral": _back_to(session, citizen_id, referral_id),
        "max_reason": exclusions.MAX_REASON,
    }
    return render(request, "matching/exclusions.html", context, status=form.status)


@router.get("/borgere/{citizen_id}/udelukkelser", name="matching_exclusions")
def exclusions_page(
    request: Request, citizen_id: int, session: SessionDep, actor: Actor = Depends(COORDINATOR)
):
    referral_id = parse_id(request.query_params.get("henvisning"))
    return _exclusions_page(request, session, actor, citizen_id, referral_id, ExclusionForm())


@router.post("/borgere/{citizen_id}/udelukkelser", name="matching_exclusions_add")
def add_exclusion(
    request: Request,
    citizen_id: int,
    session: SessionDep,
    actor: Actor = Depends(COORDINATOR),
    form: ExclusionForm = Depends(ExclusionForm.from_request),
):
    referral_id = parse_id(form.henvisning)
    if form.valid:
        try:
            row = exclusions.add_exclusion(
                session,
                actor=actor,
                citizen_id=citizen_id,
                mentor_id=form.mentor_id,
                reason=form.reason,
            )
        except (NotFound, Forbidden):
            raise
        except DomainError as error:
            form.refuse(error, "reason", error.status)
    if not form.valid:
        return _exclusions_page(request, session, actor, citizen_id, referral_id, form)
    name = matching.mentor_names(session, [row.mentor_id]).get(row.mentor_id, "Mentoren")
    url = request.url_for("matching_exclusions", citizen_id=citizen_id).path
    if _back_to(session, citizen_id, referral_id):
        url += f"?henvisning={referral_id}"
    return redirect(request, url, f"{name} bliver ikke foreslået til borgeren.")
