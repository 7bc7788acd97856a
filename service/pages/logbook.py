"""Logbook pages: the mentor's caseload and a citizen's logbook (access document: access.py)."""

from __future__ import annotations

from fastapi import Depends, Request
from sqlmodel import Session, col, select

from logbook import amendments, entries, overview
from logbook.access_rules import (
    is_assigned_mentor,
    is_cover_substitute,
    referral_for_mentor_or_reader,
)
from logbook.chart import chart, progress_series
from logbook.note_with_time import create_entry_with_time
from logbook.usage import referral_usage
from logbook.vocab import CATEGORIES, KINDS, NEEDS_CASEWORKER, OBSERVATIONS, PROGRESS
from service.audit.service import Actor
from service.auth.models import Role, User
from service.core import clock
from service.core.errors import DomainError, NotFound
from service.corps.citizens import citizen_seen_by
from service.corps.models import Citizen, SubGoal
from service.web.forms import Choices, Date, Flag, Form, Integer, Text, parse_int
from service.web.guard import SessionDep, requires
from service.web.routing import Router
from service.web.templates import redirect, render

router = Router()
MENTOR = requires(Role.mentor)
READERS = requires(Role.mentor, Role.coordinator, Role.caseworker, Role.admin)
AMENDERS = requires(Role.mentor, Role.coordinator)

VOCAB = {
    "kinds": KINDS,
    "observation_labels": OBSERVATIONS,
    "needs_caseworker": NEEDS_CASEWORKER,
    "progress_labels": PROGRESS,
    "categories": CATEGORIES,
}


class EntryForm(Form):
    occurred_on = Date("Dato", required="Angiv en dato.")
    kind = Text()
    text = Text()
    sub_goal_ids = Choices()
    observations = Choices()
    progress = Integer("Udvikling")
    shown_to_citizen = Flag()
    # The time the note's work took (optional): registered with the note in one submit.
    minutes = Integer("Tid brugt (minutter)")
    category = Text()

    def check(self) -> None:
        ids = getattr(self, "sub_goal_ids", [])
        parsed = (parse_int(v, "sub_goal_ids", self.errors, "Delmål") for v in ids)
        self.goals = [g for g in parsed if g]


class AmendForm(Form):
    text = Text()
    reason = Text()


@router.get("/mine-borgere", name="my_citizens")
def my_citizens(request: Request, session: SessionDep, actor: Actor = Depends(MENTOR)):
    rows = overview.caseload(session, actor)
    return render(request, "logbook/caseload.html", {"rows": rows, "mine": True, **VOCAB})


@router.get("/logboeger", name="logbooks")
def logbooks(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(requires(Role.coordinator, Role.caseworker, Role.admin)),
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
        "can_amend": actor.role == Role.coordinator or is_assigned_mentor(session, referral, actor),
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
    form: EntryForm = Depends(EntryForm.from_request),
):
    referral_for_mentor_or_reader(session, referral_id, actor, write=True)
    time = None
    if form.valid:
        try:
            _, time = create_entry_with_time(
                session=session,
                actor=actor,
                referral_id=referral_id,
                occurred_on=form.occurred_on,
                kind=form.kind,
                text=form.text,
                sub_goal_ids=form.goals,
                observations=form.observations,
                progress=form.progress,
                shown_to_citizen=form.shown_to_citizen,
                minutes=form.minutes,
                category=form.category,
            )
        except NotFound:
            raise
        except DomainError as error:
            form.refuse(error, "text")
    if not form.valid:
        context = _logbook_context(session, actor, referral_id)
        context.update(errors=form.errors, form=form)
        return render(request, "logbook/referral.html", context, status=form.status)
    url = request.url_for("logbook_page", referral_id=referral_id).path
    message = "Notatet er gemt i logbogen."
    if time is not None:
        message = f"Notatet er gemt i logbogen, og tiden ({time.minutes} min.) er registreret."
    return redirect(request, url, message)


@router.post("/logbog/notat/{entry_id}/ret", name="logbook_amend")
def logbook_amend(
    request: Request,
    entry_id: int,
    session: SessionDep,
    actor: Actor = Depends(AMENDERS),
    form: AmendForm = Depends(AmendForm.from_request),
):
    try:
        view = amendments.amend_entry(
            session=session, actor=actor, entry_id=entry_id, text=form.text, reason=form.reason
        )
    except NotFound:
        raise
    except DomainError as error:
        form.refuse(error, "text")
        entry, _ = entries.load_entry(session, entry_id, actor)
        context = _logbook_context(session, actor, entry.referral_id)
        context.update(amend_errors={"entry": entry_id, **form.errors}, amend_form=form)
        return render(request, "logbook/referral.html", context, status=form.status)
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
