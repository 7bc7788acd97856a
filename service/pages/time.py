"""Time pages: the mentor's week (rows = citizens, columns = days) and month approval."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from fastapi import Depends, Request
from sqlmodel import Session, col, select

from logbook import approval
from logbook import time as timereg
from logbook.access_rules import mentor_of
from logbook.models import TimeEntry
from logbook.overview import OPEN_STATUSES
from logbook.usage import referral_usage, week_bounds
from logbook.vocab import CATEGORIES, CATEGORY_SHORT
from service.audit.service import Actor
from service.auth.models import Role, User
from service.core import clock
from service.core.errors import DomainError, NotFound
from service.corps.models import Citizen, Mentor, Referral
from service.web.forms import Date, Form, Integer, Text, parse_date, parse_int
from service.web.guard import SessionDep, requires
from service.web.routing import Router
from service.web.templates import redirect, refuse, render

router = Router(prefix="/tid")
REGISTER = requires(Role.mentor, Role.coordinator)
COORDINATOR = requires(Role.coordinator)
DAY_NAMES = ("man", "tir", "ons", "tor", "fre", "lør", "søn")


class NewEntryForm(Form):
    referral_id = Integer("Borger", required="Vælg en borger.")
    date = Date("Dato", required="Angiv en dato.")
    minutes = Integer("Minutter", required="Angiv minutter.")
    category = Text()
    note = Text()
    mentor_id = Integer("Mentor")  # the coordinator registers for a mentor


class EntryForm(Form):
    date = Date("Dato")
    minutes = Integer("Minutter")
    category = Text()
    note = Text()


class ApprovalForm(Form):
    mentor_id = Integer("Mentor")
    month = Text()


class ReopenForm(Form):
    reason = Text()


def _mentors(session: Session) -> dict[int, str]:
    rows = session.exec(
        select(Mentor.id, User.name)
        .join(User, col(User.id) == col(Mentor.user_id))
        .order_by(col(User.name))
    )
    return {mid: name for mid, name in rows}


def _week_context(
    session: Session, actor: Actor, start: dt.date | None, mentor_id: int | None
) -> dict:
    today = clock.today()
    monday, sunday = week_bounds(start or today)
    mentors = _mentors(session) if actor.role == Role.coordinator else {}
    if actor.role == Role.mentor:
        own = mentor_of(session, actor)
        mentor_id = own.id if own else None
    elif mentor_id not in mentors:
        mentor_id = None
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    context = {
        "monday": monday,
        "days": days,
        "day_names": DAY_NAMES,
        "today": today,
        "mentors": mentors,
        "mentor_id": mentor_id,
        "categories": CATEGORIES,
        "category_short": CATEGORY_SHORT,
        "prev_week": monday - dt.timedelta(days=7),
        "next_week": monday + dt.timedelta(days=7),
        "rows": [],
        "entries": [],
        "referral_options": {},
        "errors": {},
        "form": {},
        "edit_errors": {},
        "approved": False,
    }
    if mentor_id is None:
        return context
    entries = timereg.list_time_entries(
        session=session, actor=actor, mentor_id=mentor_id, date_from=monday, date_to=sunday
    )
    ref_ids = {e.referral_id for e in entries}
    open_refs = session.exec(
        select(Referral).where(
            Referral.mentor_id == mentor_id, col(Referral.status).in_(OPEN_STATUSES)
        )
    ).all()
    referrals = {r.id: r for r in open_refs}
    for rid in ref_ids - set(referrals):
        if (r := session.get(Referral, rid)) is not None:
            referrals[rid] = r
    citizens = {
        c.id: c
        for c in session.exec(
            select(Citizen).where(
                col(Citizen.id).in_([r.citizen_id for r in referrals.values()] or [0])
            )
        )
    }
    cells: dict[tuple[int, dt.date], list] = defaultdict(list)
    for e in entries:
        cells[(e.referral_id, e.date)].append(e)
    usage = referral_usage(session, list(referrals.values()), today=monday)
    ordered = sorted(
        referrals.values(),
        key=lambda r: citizens[r.citizen_id].name if r.citizen_id in citizens else "",
    )
    rows = [
        {
            "referral": r,
            "citizen": citizens.get(r.citizen_id),
            "cells": [cells.get((r.id, d), []) for d in days],
            "total": sum(e.minutes for d in days for e in cells.get((r.id, d), [])),
            "week": usage[r.id]["week"],
        }
        for r in ordered
    ]
    context.update(
        rows=rows,
        entries=entries,
        day_totals=[sum(e.minutes for e in entries if e.date == d) for d in days],
        referral_options={
            r.id: citizens[r.citizen_id].name if r.citizen_id in citizens else str(r.id)
            for r in ordered
            if r.status in OPEN_STATUSES
        },
        citizen_of={r.id: citizens.get(r.citizen_id) for r in ordered},
        approved=approval.is_month_approved(session, mentor_id, monday)
        or approval.is_month_approved(session, mentor_id, days[-1]),
    )
    return context


def _week_url(request: Request, monday: dt.date, mentor_id: int | None, actor: Actor) -> str:
    url = request.url_for("time_week").path + f"?start={monday.isoformat()}"
    if actor.role == Role.coordinator and mentor_id:
        url += f"&mentor_id={mentor_id}"
    return url


@router.get("", name="time_week")
def week(request: Request, session: SessionDep, actor: Actor = Depends(REGISTER)):
    errors: dict[str, str] = {}
    start = parse_date(request.query_params.get("start"), "start", errors, "Uge")
    mentor_id = parse_int(request.query_params.get("mentor_id"), "mentor_id", errors, "Mentor")
    context = _week_context(session, actor, start, mentor_id)
    prefill = {key: request.query_params.get(key, "") for key in ("referral_id", "date")}
    context["form"] = NewEntryForm(prefill)
    return render(request, "time/week.html", context)


@router.post("", name="time_create")
def create(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(REGISTER),
    form: NewEntryForm = Depends(NewEntryForm.from_request),
):
    mid = getattr(form, "mentor_id", None)
    if form.valid:
        try:
            timereg.create_time_entry(
                session=session,
                actor=actor,
                referral_id=form.referral_id,
                date=form.date,
                minutes=form.minutes,
                category=form.category,
                note=form.note,
                mentor_id=mid if actor.role == Role.coordinator else None,
            )
        except DomainError as error:
            form.refuse(error, "date")
    if not form.valid:
        # A refused date may lie where no week can be drawn (year 1): show this week.
        day = None if "date" in form.errors else getattr(form, "date", None)
        context = _week_context(session, actor, day, mid)
        context.update(errors=form.errors, form=form)
        return render(request, "time/week.html", context, status=form.status)
    monday = week_bounds(form.date)[0]
    return redirect(request, _week_url(request, monday, mid, actor), "Tiden er registreret.")


def _entry_week(session: Session, entry_id: int) -> tuple[dt.date, int]:
    entry = session.get(TimeEntry, entry_id)
    if entry is None:
        raise NotFound("Registreringen findes ikke.")
    return week_bounds(entry.date)[0], entry.mentor_id


@router.post("/registrering/{entry_id}", name="time_update")
def update(
    request: Request,
    entry_id: int,
    session: SessionDep,
    actor: Actor = Depends(REGISTER),
    form: EntryForm = Depends(EntryForm.from_request),
):
    monday, mentor_id = _entry_week(session, entry_id)
    if form.valid:
        try:
            entry = timereg.update_time_entry(
                session=session,
                actor=actor,
                entry_id=entry_id,
                date=form.date,
                minutes=form.minutes,
                category=form.category or None,
                note=form.note,
            )
            monday = week_bounds(entry.date)[0]
        except NotFound:
            raise
        except DomainError as error:
            form.refuse(error, "date")
    if not form.valid:
        context = _week_context(session, actor, monday, mentor_id)
        context["edit_errors"] = {"entry": entry_id, **form.errors}
        return render(request, "time/week.html", context, status=form.status)
    return redirect(
        request, _week_url(request, monday, mentor_id, actor), "Registreringen er rettet."
    )


@router.post("/registrering/{entry_id}/slet", name="time_delete")
def delete(request: Request, entry_id: int, session: SessionDep, actor: Actor = Depends(REGISTER)):
    monday, mentor_id = _entry_week(session, entry_id)
    try:
        timereg.delete_time_entry(session=session, actor=actor, entry_id=entry_id)
    except NotFound:
        raise
    except DomainError as error:
        return refuse(request, _week_url(request, monday, mentor_id, actor), error.message)
    return redirect(
        request, _week_url(request, monday, mentor_id, actor), "Registreringen er slettet."
    )


def _month_param(raw: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{raw}-01") if raw else clock.today().replace(day=1)
    except ValueError:
        return clock.today().replace(day=1)


@router.get("/godkendelser", name="time_approvals")
def approvals(request: Request, session: SessionDep, actor: Actor = Depends(COORDINATOR)):
    month = _month_param(request.query_params.get("month"))
    mentors = _mentors(session)
    context = {
        "month": month,
        "prev_month": (month - dt.timedelta(days=1)).replace(day=1),
        "next_month": approval.next_month(month),
        "rows": approval.month_overview(session, month),
        "mentors": mentors,
        "today": clock.today(),
    }
    return render(request, "time/approvals.html", context)


@router.post("/godkendelser", name="time_approve")
def approve(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(COORDINATOR),
    form: ApprovalForm = Depends(ApprovalForm.from_request),
):
    target = _month_param(form.month)
    url = request.url_for("time_approvals").path + f"?month={target.strftime('%Y-%m')}"
    mid = getattr(form, "mentor_id", None)
    if mid is None:
        return refuse(request, url, "Vælg en mentor.")
    try:
        approval.approve_month(session=session, actor=actor, mentor_id=mid, month=target)
    except NotFound:
        raise
    except DomainError as error:
        return refuse(request, url, error.message)
    return redirect(request, url, "Måneden er godkendt.")


@router.post("/godkendelser/{approval_id}/genaabn", name="time_reopen")
def reopen(
    request: Request,
    approval_id: int,
    session: SessionDep,
    actor: Actor = Depends(COORDINATOR),
    form: ReopenForm = Depends(ReopenForm.from_request),
):
    try:
        row = approval.reopen_month(
            session=session, actor=actor, approval_id=approval_id, reason=form.reason
        )
    except NotFound:
        raise
    except DomainError as error:
        return refuse(request, request.url_for("time_approvals").path, error.message)
    url = request.url_for("time_approvals").path + f"?month={row.month.strftime('%Y-%m')}"
    return redirect(request, url, "Måneden er genåbnet.")
