"""Logbook pages: the mentor's caseload, a citizen's logbook, and the citizen access document."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Depends, Form, Request
from sqlmodel import Session, col, select

from logbook import access, amendments, entries, overview
from logbook.access_rules import (
    is_assigned_mentor,
    is_cover_substitute,
    referral_for_mentor_or_reader,
)
from logbook.chart import chart, progress_series
from logbook.usage import referral_usage
from logbook.vocab import CATEGORIES, KINDS, NEEDS_CASEWORKER, OBSERVATIONS, PROGRESS
from service.audit.models import ACTION_LABELS, PURPOSE_LABELS
from service.audit.service import Actor
from service.auth.models import User
from service.core import clock, formatting
from service.core.errors import DomainError, NotFound
from service.corps.citizens import citizen_seen_by
from service.corps.models import Citizen, SubGoal
from service.web.forms import cap_list, parse_date, parse_int
from service.web.guard import SessionDep, requires
from service.web.templates import redirect, render

router = APIRouter()
MENTOR = requires("mentor")
READERS = requires("mentor", "coordinator", "caseworker", "admin")
AMENDERS = requires("mentor", "coordinator")
ACCESS = requires("coordinator", "admin")

VOCAB = {
    "kinds": KINDS,
    "observation_labels": OBSERVATIONS,
    "needs_caseworker": NEEDS_CASEWORKER,
    "progress_labels": PROGRESS,
    "categories": CATEGORIES,
}


@router.get("/mine-borgere", name="my_citizens")
def my_citizens(request: Request, session: SessionDep, actor: Actor = Depends(MENTOR)):
    rows = overview.caseload(session, actor)
    return render(request, "logbook/caseload.html", {"rows": rows, "mine": True, **VOCAB})


@router.get("/logboeger", name="logbooks")
def logbooks(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(requires("coordinator", "caseworker", "admin")),
):
    rows = overview.caseload(session, actor)
    rows.sort(key=lambda r: (not r["flags"], r["citizen"].name if r["citizen"] else ""))
    return render(request, "logbook/caseload.html", {"rows": rows, "mine": False, **VOCAB})


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {u.id: u.name for u in session.exec(select(User).where(col(User.id).in_(ids)))}


def _logbook_context(session: Session, actor: Actor, referral_id: int) -> dict:
    referral = referral_for_mentor_or_reader(session, referral_id, actor)
    views = entries.list_entries(session=session, actor=actor, referral_id=referral.id)
    goals = list(
        session.exec(
            select(SubGoal)
            .where(SubGoal.referral_id == referral.id)
            .order_by(col(SubGoal.position), col(SubGoal.id))
        )
    )
    authors = {v.author_id for view in views for v in view.versions}
    return {
        "referral": referral,
        "citizen": citizen_seen_by(actor, referral, session.get_one(Citizen, referral.citizen_id)),
        "views": views,
        "unshown": [v for v in views if v.shown is None],
        "goals": {g.id: g.title for g in goals},
        "chart": chart(progress_series([v.entry for v in views], goals)),
        "usage": referral_usage(session, [referral])[referral.id],
        "names": _names(session, authors),
        "can_write": referral.status != "closed"
        and (
            is_assigned_mentor(session, referral, actor)
            or is_cover_substitute(session, referral, actor)
        ),
        "can_amend": actor.role == "coordinator" or is_assigned_mentor(session, referral, actor),
        "today": clock.today(),
        "errors": {},
        "form": {},
        "amend_errors": {},
        "amend_form": {},
        **VOCAB,
    }


@router.get("/logbog/{referral_id}", name="logbook_page")
def logbook_page(
    request: Request, referral_id: int, session: SessionDep, actor: Actor = Depends(READERS)
):
    return render(request, "logbook/referral.html", _logbook_context(session, actor, referral_id))


@router.post("/logbog/{referral_id}", name="logbook_create")
def logbook_create(
    request: Request,
    referral_id: int,
    session: SessionDep,
    actor: Actor = Depends(MENTOR),
    occurred_on: str = Form(""),
    kind: str = Form(""),
    text: str = Form(""),
    sub_goal_ids: list[str] = Form([]),
    observations: list[str] = Form([]),
    progress: str = Form(""),
    shown_to_citizen: str = Form(""),
):
    referral_for_mentor_or_reader(session, referral_id, actor, write=True)
    errors: dict[str, str] = {}
    day = parse_date(occurred_on, "occurred_on", errors, "Dato")
    if day is None and "occurred_on" not in errors:
        errors["occurred_on"] = "Angiv en dato."
    sub_goal_ids = cap_list(sub_goal_ids, "sub_goal_ids", errors)
    observations = cap_list(observations, "observations", errors)
    goals = [g for g in (parse_int(v, "sub_goal_ids", errors, "Delmål") for v in sub_goal_ids) if g]
    mark = parse_int(progress, "progress", errors, "Udvikling")
    form = {
        "occurred_on": occurred_on,
        "kind": kind,
        "text": text,
        "sub_goal_ids": sub_goal_ids,
        "observations": observations,
        "progress": progress,
        "shown_to_citizen": shown_to_citizen,
    }
    if not errors:
        assert day is not None  # else errors
        try:
            entries.create_entry(
                session=session,
                actor=actor,
                referral_id=referral_id,
                occurred_on=day,
                kind=kind,
                text=text,
                sub_goal_ids=goals,
                observations=observations,
                progress=mark,
                shown_to_citizen=shown_to_citizen == "1",
            )
        except NotFound:
            raise
        except DomainError as error:
            session.rollback()
            errors[error.field or "text"] = error.message
    if errors:
        context = _logbook_context(session, actor, referral_id)
        context.update(errors=errors, form=form)
        return render(request, "logbook/referral.html", context, status=422)
    url = request.url_for("logbook_page", referral_id=referral_id).path
    return redirect(request, url, "Notatet er gemt i logbogen.")


@router.post("/logbog/notat/{entry_id}/ret", name="logbook_amend")
def logbook_amend(
    request: Request,
    entry_id: int,
    session: SessionDep,
    actor: Actor = Depends(AMENDERS),
    text: str = Form(""),
    reason: str = Form(""),
):
    try:
        view = amendments.amend_entry(
            session=session, actor=actor, entry_id=entry_id, text=text, reason=reason
        )
    except NotFound:
        raise
    except DomainError as error:
        session.rollback()
        entry, _ = entries.load_entry(session, entry_id, actor)
        context = _logbook_context(session, actor, entry.referral_id)
        context.update(
            amend_errors={"entry": entry_id, error.field or "text": error.message},
            amend_form={"text": text, "reason": reason},
        )
        return render(request, "logbook/referral.html", context, status=422)
    url = request.url_for("logbook_page", referral_id=view.entry.referral_id).path
    return redirect(
        request, f"{url}#entry-{entry_id}", f"Notatet er rettet (version {view.version})."
    )


@router.post("/logbog/notat/{entry_id}/vist", name="logbook_shown")
def logbook_shown(
    request: Request, entry_id: int, session: SessionDep, actor: Actor = Depends(AMENDERS)
):
    view = amendments.mark_shown(session=session, actor=actor, entry_id=entry_id)
    url = request.url_for("logbook_page", referral_id=view.entry.referral_id).path
    return redirect(request, url, "Notatet er markeret som vist for borgeren.")


def _iso_date(value: str | None) -> str:
    return formatting.dato(date.fromisoformat(value)) if value else ""


def _iso_time(value: str | None) -> str:
    return formatting.tidspunkt(datetime.fromisoformat(value)) if value else ""


@router.get("/borgere/{citizen_id}/aktindsigt", name="citizen_access")
def citizen_access(
    request: Request, citizen_id: int, session: SessionDep, actor: Actor = Depends(ACCESS)
):
    export = access.citizen_export(session=session, actor=actor, citizen_id=citizen_id)
    context = {
        "export": export,
        "dato": _iso_date,
        "tid": _iso_time,
        "actions": ACTION_LABELS,
        "purposes": PURPOSE_LABELS,
        **VOCAB,
    }
    return render(request, "logbook/access.html", context)
