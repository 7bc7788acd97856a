"""Corps pages: the mentor list with capacity, profiles, own presentation, absence calendar."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from starlette.datastructures import FormData

from reports import rates
from service.audit.service import Actor
from service.auth.models import User
from service.core import clock
from service.core.errors import DomainError, NotFound
from service.corps import mentors as service
from service.corps import vocab
from service.corps.models import Mentor
from service.pages.referrals import form_data
from service.web.forms import cap_list, parse_date, parse_decimal, parse_int
from service.web.guard import SessionDep, requires
from service.web.settings import app_settings
from service.web.templates import redirect, render

router = APIRouter()
MANAGERS = requires("coordinator", "admin")
CORPS = requires("coordinator", "admin", "mentor")
RATES = requires("coordinator", "admin", "finance")
PROFILE_TEXT = ("gender", "birth_year", "district", "weekly_hours", "max_caseload", "employment")
PROFILE_LISTS = ("languages", "background_areas", "target_groups", "roles")


def _vocab() -> dict:
    return {
        "genders": vocab.GENDERS,
        "employment": vocab.EMPLOYMENT,
        "background_areas": vocab.BACKGROUND_AREAS,
        "target_groups": vocab.TARGET_GROUPS,
        "roles": vocab.ROLES,
        "languages": vocab.LANGUAGES,
        "absence_kinds": vocab.ABSENCE_KINDS,
    }


@router.get("/mentorer", name="mentor_list")
def mentor_list(request: Request, session: SessionDep, actor: Actor = Depends(MANAGERS)):
    params = request.query_params
    flt = service.MentorFilter(
        target_group=params.get("target_group") or None,
        language=params.get("language") or None,
        district=params.get("district") or None,
        role=params.get("role") or None,
        free_capacity=params.get("free_capacity") == "1",
    )
    context = {
        "rows": service.list_mentors(session, actor, flt),
        "districts": {d: d for d in service.districts(session)},
        "form": dict(params),
        **_vocab(),
    }
    return render(request, "corps/mentor_list.html", context)


def _profile(request: Request, session, actor: Actor, mentor: Mentor, errors=None, form=None):
    user = session.get(User, mentor.user_id)
    load = service.caseloads(session).get(mentor.id, service.Load())
    context = {
        "mentor": mentor,
        "mentor_user": user,
        "load": load,
        "absences": service.mentor_absences(session, mentor.id),
        "may_edit": actor.role in ("coordinator", "admin"),
        "is_self": mentor.user_id == actor.id,
        "errors": errors or {},
        "form": form or {},
        **_vocab(),
    }
    return render(request, "corps/mentor.html", context, status=422 if errors else 200)


def _profile_typed(data: FormData) -> dict:
    form: dict = {name: str(data.get(name) or "") for name in PROFILE_TEXT}
    for name in PROFILE_LISTS:
        form[name] = [str(v) for v in data.getlist(name)]
    form["active"] = "1" if data.get("active") == "1" else ""
    return form


def _profile_fields(form: dict, errors: dict) -> dict:
    """The profile values of the form; parse errors go to `errors` by field."""
    for name in PROFILE_LISTS:
        form[name] = cap_list(form[name], name, errors)
    fields = {
        "gender": form["gender"] or None,
        "birth_year": parse_int(form["birth_year"], "birth_year", errors, "Fødselsår"),
        "district": form["district"].strip(),
        "weekly_hours": parse_decimal(
            form["weekly_hours"], "weekly_hours", errors, "Timer pr. uge"
        ),
        "max_caseload": parse_int(form["max_caseload"], "max_caseload", errors, "Maks. antal"),
        "employment": form["employment"],
        "active": form["active"] == "1",
        **{name: form[name] for name in PROFILE_LISTS},
    }
    if fields["weekly_hours"] is None:
        errors.setdefault("weekly_hours", "Skriv de timer pr. uge, mentoren har til borgere.")
    if fields["max_caseload"] is None:
        errors.setdefault("max_caseload", "Skriv det største antal borgere ad gangen.")
    if not fields["district"]:
        errors["district"] = "Skriv mentorens distrikt."
    elif len(fields["district"]) > 100:
        errors["district"] = "Distriktet må højst være 100 tegn."
    for name, message in service.profile_errors(fields).items():
        errors.setdefault(name, message)
    return fields


def _form_page(request, session, form: dict, errors: dict, mentor=None, mentor_user=None):
    context = {
        "form": form,
        "errors": errors,
        "mentor": mentor,
        "mentor_user": mentor_user,
        "candidates": {} if mentor else _candidates(session),
        "districts": service.districts(session),
        **_vocab(),
    }
    status = 422 if errors else 200
    return render(request, "corps/mentor_form.html", context, status=status)


def _candidates(session) -> dict[str, str]:
    return {str(u.id): f"{u.name} ({u.email})" for u in service.users_without_profile(session)}


@router.get("/mentorer/ny", name="mentor_new")
def new_mentor(request: Request, session: SessionDep, actor: Actor = Depends(MANAGERS)):
    form = {"employment": "full_time", "active": "1", "user_id": request.query_params.get("user")}
    return _form_page(request, session, form, {})


@router.post("/mentorer/ny", name="mentor_create")
def create_mentor(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(MANAGERS),
    data: FormData = Depends(form_data),
):
    form = _profile_typed(data)
    account = {k: str(data.get(k) or "") for k in ("user_id", "name", "email", "password")}
    form.update({k: v for k, v in account.items() if k != "password"})
    errors: dict[str, str] = {}
    fields = _profile_fields(form, errors)
    user_id = parse_int(account["user_id"], "user_id", errors, "Bruger")
    if user_id is None and "user_id" not in errors:
        errors.update(
            service.new_user_errors(
                session, name=account["name"], email=account["email"], password=account["password"]
            )
        )
    if not errors:
        try:
            if user_id is None:
                mentor = service.create_mentor_user(
                    session,
                    actor=actor,
                    name=account["name"],
                    email=account["email"],
                    password=account["password"],
                    **fields,
                )
            else:
                mentor = service.create_mentor(session, actor=actor, user_id=user_id, **fields)
        except DomainError as error:
            session.rollback()
            errors[error.field or "user_id"] = error.message
    if errors:
        return _form_page(request, session, form, errors)
    url = request.url_for("mentor_page", mentor_id=mentor.id).path
    return redirect(request, url, "Mentorprofilen er oprettet.")


def _form_of(mentor: Mentor) -> dict:
    form = {
        "gender": mentor.gender or "",
        "birth_year": str(mentor.birth_year or ""),
        "district": mentor.district,
        "weekly_hours": str(mentor.weekly_hours).replace(".", ","),
        "max_caseload": str(mentor.max_caseload),
        "employment": mentor.employment,
        "active": "1" if mentor.active else "",
    }
    return form | {name: list(getattr(mentor, name)) for name in PROFILE_LISTS}


@router.get("/mentorer/{mentor_id}/ret", name="mentor_edit")
def edit_mentor(
    request: Request, mentor_id: int, session: SessionDep, actor: Actor = Depends(MANAGERS)
):
    mentor = service.visible_mentor(session, mentor_id, actor)
    user = session.get(User, mentor.user_id)
    return _form_page(request, session, _form_of(mentor), {}, mentor, user)


@router.post("/mentorer/{mentor_id}/ret", name="mentor_update")
def update_mentor(
    request: Request,
    mentor_id: int,
    session: SessionDep,
    actor: Actor = Depends(MANAGERS),
    data: FormData = Depends(form_data),
):
    mentor = service.visible_mentor(session, mentor_id, actor)
    form = _profile_typed(data)
    errors: dict[str, str] = {}
    fields = _profile_fields(form, errors)
    if not errors:
        try:
            service.update_mentor(session, actor=actor, mentor=mentor, **fields)
        except DomainError as error:
            session.rollback()
            errors[error.field or "district"] = error.message
    if errors:
        mentor = service.visible_mentor(session, mentor_id, actor)
        user = session.get(User, mentor.user_id)
        return _form_page(request, session, form, errors, mentor, user)
    url = request.url_for("mentor_page", mentor_id=mentor_id).path
    return redirect(request, url, "Mentorprofilen er gemt.")


def _rates_page(request, session, form: dict, errors: dict):
    today = clock.today()
    rows = rates.rates_overview(session, today)
    context = {
        "rows": rows,
        "today": today,
        "default_rate": app_settings(request).default_hourly_rate,
        "mentor_options": {str(r.mentor.id): r.user.name for r in rows},
        "form": form,
        "errors": errors,
    }
    return render(request, "corps/rates.html", context, status=422 if errors else 200)


@router.get("/satser", name="rate_list")
def rate_list(request: Request, session: SessionDep, actor: Actor = Depends(RATES)):
    form = {"mentor_id": request.query_params.get("mentor") or ""}
    return _rates_page(request, session, form, {})


@router.post("/satser", name="rate_create")
def add_rate(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(RATES),
    data: FormData = Depends(form_data),
):
    form = {k: str(data.get(k) or "") for k in ("mentor_id", "valid_from", "hourly_rate")}
    errors: dict[str, str] = {}
    mentor_id = parse_int(form["mentor_id"], "mentor_id", errors, "Mentor")
    valid_from = parse_date(form["valid_from"], "valid_from", errors, "Gyldig fra")
    rate = parse_decimal(form["hourly_rate"], "hourly_rate", errors, "Timesatsen")
    if mentor_id is None:
        errors.setdefault("mentor_id", "Vælg en mentor.")
    if valid_from is None:
        errors.setdefault("valid_from", "Skriv datoen, satsen gælder fra.")
    if rate is None:
        errors.setdefault("hourly_rate", "Skriv timesatsen i kroner.")
    if not errors:
        assert mentor_id is not None and valid_from is not None and rate is not None  # else errors
        try:
            mentor = service.visible_mentor(session, mentor_id, actor)
            rates.add_rate(
                session, actor=actor, mentor=mentor, valid_from=valid_from, hourly_rate=rate
            )
        except NotFound:
            session.rollback()
            errors["mentor_id"] = "Vælg en mentor fra listen."
        except DomainError as error:
            session.rollback()
            errors[error.field or "hourly_rate"] = error.message
    if errors:
        return _rates_page(request, session, form, errors)
    return redirect(request, request.url_for("rate_list").path, "Timesatsen er gemt.")


@router.get("/mentorer/{mentor_id}", name="mentor_page")
def mentor_page(
    request: Request, mentor_id: int, session: SessionDep, actor: Actor = Depends(CORPS)
):
    return _profile(request, session, actor, service.visible_mentor(session, mentor_id, actor))


@router.post("/mentorer/{mentor_id}/fravaer", name="mentor_absence_create")
def add_absence(
    request: Request,
    mentor_id: int,
    session: SessionDep,
    actor: Actor = Depends(MANAGERS),
    start: str = Form(""),
    end: str = Form(""),
    kind: str = Form(""),
    note: str = Form(""),
):
    mentor = service.visible_mentor(session, mentor_id, actor)
    form = {"start": start, "end": end, "kind": kind, "note": note}
    errors: dict[str, str] = {}
    first = parse_date(start, "start", errors, "Fra dato")
    last = parse_date(end, "end", errors, "Til dato")
    if first is None:
        errors.setdefault("start", "Skriv fra-datoen.")
    if last is None:
        errors.setdefault("end", "Skriv til-datoen.")
    if not errors:
        assert first is not None and last is not None  # else errors
        try:
            service.add_absence(
                session, actor=actor, mentor=mentor, start=first, end=last, kind=kind, note=note
            )
        except DomainError as error:
            session.rollback()
            errors[error.field or "start"] = error.message
    if errors:
        mentor = service.visible_mentor(session, mentor_id, actor)
        return _profile(request, session, actor, mentor, errors, form)
    url = request.url_for("mentor_page", mentor_id=mentor_id).path
    return redirect(request, url, "Fraværet er registreret.")


@router.get("/min-profil", name="my_profile")
def my_profile(request: Request, session: SessionDep, actor: Actor = Depends(requires("mentor"))):
    mentor = service.mentor_of_user(session, actor.id)
    if mentor is None:
        raise NotFound("Du har endnu ingen mentorprofil. Kontakt koordinatoren.")
    form = {"presentation": mentor.presentation, "languages": mentor.languages}
    context = {"mentor": mentor, "form": form, "errors": {}, **_vocab()}
    return render(request, "corps/my_profile.html", context)


@router.post("/min-profil", name="my_profile_save")
def save_my_profile(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(requires("mentor")),
    data: FormData = Depends(form_data),
):
    mentor = service.mentor_of_user(session, actor.id)
    if mentor is None:
        raise NotFound("Du har endnu ingen mentorprofil. Kontakt koordinatoren.")
    form: dict[str, Any] = {
        "presentation": str(data.get("presentation") or ""),
        "languages": [str(v) for v in data.getlist("languages")],
    }
    errors: dict[str, str] = {}
    form["languages"] = cap_list(form["languages"], "languages", errors)
    if len(form["presentation"]) > 5000:
        errors["presentation"] = "Præsentationen må højst være 5.000 tegn."
    if not errors:
        try:
            service.update_mentor(session, actor=actor, mentor=mentor, **form)
        except DomainError as error:
            session.rollback()
            errors[error.field or "presentation"] = error.message
    if errors:
        context = {"mentor": mentor, "form": form, "errors": errors, **_vocab()}
        return render(request, "corps/my_profile.html", context, status=422)
    return redirect(request, request.url_for("my_profile").path, "Din profil er gemt.")


@router.get("/fravaer", name="absence_calendar")
def absence_calendar(request: Request, session: SessionDep, actor: Actor = Depends(CORPS)):
    today = clock.today()
    monday = today - timedelta(days=today.weekday())
    weeks = [monday + timedelta(weeks=i) for i in range(5)]
    last = weeks[-1] + timedelta(days=6)
    absences = service.absences_between(session, monday, last)
    mentor_ids = {a.mentor_id for a in absences}
    names = {m: session.get_one(User, session.get_one(Mentor, m).user_id).name for m in mentor_ids}
    by_week = {
        week: [a for a in absences if a.start <= week + timedelta(days=6) and a.end >= week]
        for week in weeks
    }
    context = {"weeks": weeks, "by_week": by_week, "names": names, "kinds": vocab.ABSENCE_KINDS}
    return render(request, "corps/absences.html", context)
