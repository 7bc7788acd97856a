"""Corps pages: the mentor list with capacity, profiles, own presentation, absence calendar."""

from __future__ import annotations

from datetime import timedelta

from fastapi import Depends, Request

from reports import rates
from service.audit.service import Actor
from service.auth.models import Role, User
from service.core import clock
from service.core.errors import DomainError, NotFound
from service.corps import mentors, vocab
from service.corps.models import Mentor
from service.web.forms import Choices, Date, Decimal, Flag, Form, Integer, Text
from service.web.guard import SessionDep, requires
from service.web.routing import Router
from service.web.settings import app_settings
from service.web.templates import redirect, render

router = Router()
MANAGERS = requires(Role.coordinator, Role.admin)
CORPS = requires(Role.coordinator, Role.admin, Role.mentor)
RATES = requires(Role.coordinator, Role.admin, Role.finance)
PROFILE_LISTS = ("languages", "background_areas", "target_groups", "roles")


class ProfileForm(Form):
    """A mentor's profile; `profile` is its values for the service (None where one failed)."""

    gender = Text()
    birth_year = Integer("Fødselsår")
    district = Text(strip=True)
    weekly_hours = Decimal(
        "Timer pr. uge", required="Skriv de timer pr. uge, mentoren har til borgere."
    )
    max_caseload = Integer("Maks. antal", required="Skriv det største antal borgere ad gangen.")
    employment = Text()
    active = Flag()
    languages = Choices()
    background_areas = Choices()
    target_groups = Choices()
    roles = Choices()

    def check(self) -> None:
        if not self.district:
            self.error("district", "Skriv mentorens distrikt.")
        elif len(self.district) > 100:
            self.error("district", "Distriktet må højst være 100 tegn.")
        self.profile = {
            "gender": self.gender or None,
            "birth_year": getattr(self, "birth_year", None),
            "district": self.district,
            "weekly_hours": getattr(self, "weekly_hours", None),
            "max_caseload": getattr(self, "max_caseload", None),
            "employment": self.employment,
            "active": self.active,
            **{name: getattr(self, name, []) for name in PROFILE_LISTS},
        }
        self.add_errors(mentors.profile_errors(self.profile))


class NewMentorForm(ProfileForm):
    """A new profile, of an existing mentor user or of a user made with it."""

    user_id = Integer("Bruger")
    name = Text()
    email = Text()
    password = Text()


class RateForm(Form):
    mentor_id = Integer("Mentor", required="Vælg en mentor.")
    valid_from = Date("Gyldig fra", required="Skriv datoen, satsen gælder fra.")
    hourly_rate = Decimal("Timesatsen", required="Skriv timesatsen i kroner.")


class AbsenceForm(Form):
    start = Date("Fra dato", required="Skriv fra-datoen.")
    end = Date("Til dato", required="Skriv til-datoen.")
    kind = Text()
    note = Text()


class PresentationForm(Form):
    presentation = Text()
    languages = Choices()

    def check(self) -> None:
        if len(self.presentation) > 5000:
            self.error("presentation", "Præsentationen må højst være 5.000 tegn.")


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
    flt = mentors.MentorFilter(
        target_group=params.get("target_group") or None,
        language=params.get("language") or None,
        district=params.get("district") or None,
        role=params.get("role") or None,
        free_capacity=params.get("free_capacity") == "1",
    )
    context = {
        "rows": mentors.list_mentors(session, actor, flt),
        "districts": {d: d for d in mentors.districts(session)},
        "form": dict(params),
        **_vocab(),
    }
    return render(request, "mentors/mentor_list.html", context)


def _profile(request: Request, session, actor: Actor, mentor: Mentor, form: Form | None = None):
    form = form or AbsenceForm()
    user = session.get(User, mentor.user_id)
    load = mentors.caseloads(session).get(mentor.id, mentors.Load())
    context = {
        "mentor": mentor,
        "mentor_user": user,
        "load": load,
        "absences": mentors.mentor_absences(session, mentor.id),
        "may_edit": actor.role in (Role.coordinator, Role.admin),
        "is_self": mentor.user_id == actor.id,
        "errors": form.errors,
        "form": form,
        **_vocab(),
    }
    return render(request, "mentors/mentor.html", context, status=form.status)


def _form_page(request, session, form: Form, mentor=None, mentor_user=None):
    context = {
        "form": form,
        "errors": form.errors,
        "mentor": mentor,
        "mentor_user": mentor_user,
        "candidates": {} if mentor else _candidates(session),
        "districts": mentors.districts(session),
        **_vocab(),
    }
    return render(request, "mentors/mentor_form.html", context, status=form.status)


def _candidates(session) -> dict[str, str]:
    return {str(u.id): f"{u.name} ({u.email})" for u in mentors.users_without_profile(session)}


@router.get("/mentorer/ny", name="mentor_new")
def new_mentor(request: Request, session: SessionDep, actor: Actor = Depends(MANAGERS)):
    user = request.query_params.get("user") or ""
    form = NewMentorForm({"employment": "full_time", "active": "1", "user_id": user})
    return _form_page(request, session, form)


@router.post("/mentorer/ny", name="mentor_create")
def create_mentor(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(MANAGERS),
    form: NewMentorForm = Depends(NewMentorForm.from_request),
):
    if "user_id" not in form.errors and form.user_id is None:
        account = {"name": form.name, "email": form.email, "password": form.password}
        form.add_errors(mentors.new_user_errors(session, **account))
    if form.valid:
        try:
            if form.user_id is None:
                mentor = mentors.create_mentor_user(
                    session,
                    actor=actor,
                    name=form.name,
                    email=form.email,
                    password=form.password,
                    **form.profile,
                )
            else:
                mentor = mentors.create_mentor(
                    session, actor=actor, user_id=form.user_id, **form.profile
                )
        except DomainError as error:
            form.refuse(error, "user_id")
    if not form.valid:
        return _form_page(request, session, form)
    url = request.url_for("mentor_page", mentor_id=mentor.id).path
    return redirect(request, url, "Mentorprofilen er oprettet.")


def _form_of(mentor: Mentor) -> ProfileForm:
    form = {
        "gender": mentor.gender or "",
        "birth_year": str(mentor.birth_year or ""),
        "district": mentor.district,
        "weekly_hours": str(mentor.weekly_hours).replace(".", ","),
        "max_caseload": str(mentor.max_caseload),
        "employment": mentor.employment,
        "active": "1" if mentor.active else "",
    }
    return ProfileForm(form | {name: list(getattr(mentor, name)) for name in PROFILE_LISTS})


@router.get("/mentorer/{mentor_id}/ret", name="mentor_edit")
def edit_mentor(
    request: Request, mentor_id: int, session: SessionDep, actor: Actor = Depends(MANAGERS)
):
    mentor = mentors.visible_mentor(session, mentor_id, actor)
    user = session.get(User, mentor.user_id)
    return _form_page(request, session, _form_of(mentor), mentor, user)


@router.post("/mentorer/{mentor_id}/ret", name="mentor_update")
def update_mentor(
    request: Request,
    mentor_id: int,
    session: SessionDep,
    actor: Actor = Depends(MANAGERS),
    form: ProfileForm = Depends(ProfileForm.from_request),
):
    mentor = mentors.visible_mentor(session, mentor_id, actor)
    if form.valid:
        try:
            mentors.update_mentor(session, actor=actor, mentor=mentor, **form.profile)
        except DomainError as error:
            form.refuse(error, "district")
    if not form.valid:
        user = session.get(User, mentor.user_id)
        return _form_page(request, session, form, mentor, user)
    url = request.url_for("mentor_page", mentor_id=mentor_id).path
    return redirect(request, url, "Mentorprofilen er gemt.")


def _rates_page(request, session, form: RateForm):
    today = clock.today()
    rows = rates.rates_overview(session, today)
    context = {
        "rows": rows,
        "today": today,
        "default_rate": app_settings(request).default_hourly_rate,
        "mentor_options": {str(r.mentor.id): r.user.name for r in rows},
        "form": form,
        "errors": form.errors,
    }
    return render(request, "mentors/rates.html", context, status=form.status)


@router.get("/satser", name="rate_list")
def rate_list(request: Request, session: SessionDep, actor: Actor = Depends(RATES)):
    form = RateForm({"mentor_id": request.query_params.get("mentor") or ""})
    return _rates_page(request, session, form)


@router.post("/satser", name="rate_create")
def add_rate(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(RATES),
    form: RateForm = Depends(RateForm.from_request),
):
    if form.valid:
        try:
            mentor = mentors.visible_mentor(session, form.mentor_id, actor)
            rates.add_rate(
                session,
                actor=actor,
                mentor=mentor,
                valid_from=form.valid_from,
                hourly_rate=form.hourly_rate,
            )
        except NotFound:
            form.error("mentor_id", "Vælg en mentor fra listen.")
        except DomainError as error:
            form.refuse(error, "hourly_rate")
    if not form.valid:
        return _rates_page(request, session, form)
    return redirect(request, request.url_for("rate_list").path, "Timesatsen er gemt.")


@router.get("/mentorer/{mentor_id}", name="mentor_page")
def mentor_page(
    request: Request, mentor_id: int, session: SessionDep, actor: Actor = Depends(CORPS)
):
    return _profile(request, session, actor, mentors.visible_mentor(session, mentor_id, actor))


@router.post("/mentorer/{mentor_id}/fravaer", name="mentor_absence_create")
def add_absence(
    request: Request,
    mentor_id: int,
    session: SessionDep,
    actor: Actor = Depends(MANAGERS),
    form: AbsenceForm = Depends(AbsenceForm.from_request),
):
    mentor = mentors.visible_mentor(session, mentor_id, actor)
    if form.valid:
        try:
            mentors.add_absence(
                session,
                actor=actor,
                mentor=mentor,
                start=form.start,
                end=form.end,
                kind=form.kind,
                note=form.note,
            )
        except DomainError as error:
            form.refuse(error, "start")
    if not form.valid:
        return _profile(request, session, actor, mentor, form)
    url = request.url_for("mentor_page", mentor_id=mentor_id).path
    return redirect(request, url, "Fraværet er registreret.")


@router.get("/min-profil", name="my_profile")
def my_profile(
    request: Request, session: SessionDep, actor: Actor = Depends(requires(Role.mentor))
):
    mentor = mentors.mentor_of_user(session, actor.id)
    if mentor is None:
        raise NotFound("Du har endnu ingen mentorprofil. Kontakt koordinatoren.")
    form = PresentationForm({"presentation": mentor.presentation, "languages": mentor.languages})
    context = {"mentor": mentor, "form": form, "errors": {}, **_vocab()}
    return render(request, "mentors/my_profile.html", context)


@router.post("/min-profil", name="my_profile_save")
def save_my_profile(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(requires(Role.mentor)),
    form: PresentationForm = Depends(PresentationForm.from_request),
):
    mentor = mentors.mentor_of_user(session, actor.id)
    if mentor is None:
        raise NotFound("Du har endnu ingen mentorprofil. Kontakt koordinatoren.")
    if form.valid:
        try:
            mentors.update_mentor(
                session,
                actor=actor,
                mentor=mentor,
                presentation=form.presentation,
                languages=form.languages,
            )
        except DomainError as error:
            form.refuse(error, "presentation")
    if not form.valid:
        context = {"mentor": mentor, "form": form, "errors": form.errors, **_vocab()}
        return render(request, "mentors/my_profile.html", context, status=form.status)
    return redirect(request, request.url_for("my_profile").path, "Din profil er gemt.")


@router.get("/fravaer", name="absence_calendar")
def absence_calendar(request: Request, session: SessionDep, actor: Actor = Depends(CORPS)):
    today = clock.today()
    monday = today - timedelta(days=today.weekday())
    weeks = [monday + timedelta(weeks=i) for i in range(5)]
    last = weeks[-1] + timedelta(days=6)
    absences = mentors.absences_between(session, monday, last)
    mentor_ids = {a.mentor_id for a in absences}
    names = {m: session.get_one(User, session.get_one(Mentor, m).user_id).name for m in mentor_ids}
    by_week = {
        week: [a for a in absences if a.start <= week + timedelta(days=6) and a.end >= week]
        for week in weeks
    }
    context = {"weeks": weeks, "by_week": by_week, "names": names, "kinds": vocab.ABSENCE_KINDS}
    return render(request, "mentors/absences.html", context)
