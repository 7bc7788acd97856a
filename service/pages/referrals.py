"""Referral pages: the form (henvisningsskema), my referrals, the inbox, the referral page."""

from __future__ import annotations

from fastapi import Depends, Request
from starlette.convertors import Convertor, register_url_convertor

from logbook.usage import hours_used_total
from service.audit.service import Actor
from service.auth.models import Role, User
from service.core import clock
from service.core.errors import DomainError, Forbidden, IllegalTransition, NotFound
from service.corps import referral_drafts, referral_queries, referral_workflow, referrals, vocab
from service.corps.citizens import citizen_seen_by, differences, show_full_cpr
from service.corps.models import Citizen, Mentor
from service.pages.matching_block import referral_block
from service.web.forms import Choices, Date, Decimal, Flag, Form, Text
from service.web.guard import SessionDep, requires
from service.web.routing import Router
from service.web.templates import redirect, render

router = Router(prefix="/henvisninger")
CASEWORKER = requires(Role.caseworker)
READERS = requires(Role.coordinator, Role.admin, Role.caseworker, Role.mentor)
MANAGERS = requires(Role.coordinator, Role.admin)
ACTORS = requires(Role.coordinator, Role.caseworker)

# The workflow's actions in page paths, in Danish (the API keeps the action codes).
ACTION_PATHS = {
    "accept": "godkend",
    "return": "send-retur",
    "resubmit": "send-igen",
    "pause": "saet-paa-pause",
    "resume": "genoptag",
    "close": "afslut",
}


class ActionPath(Convertor[str]):
    """`.../godkend` reaches the handler as the action "accept"; url_for writes it back."""

    regex = "|".join(ACTION_PATHS.values())
    codes = {path: action for action, path in ACTION_PATHS.items()}

    def convert(self, value: str) -> str:
        return self.codes[value]

    def to_string(self, value: str) -> str:
        return ACTION_PATHS[value]


register_url_convertor("referral_action", ActionPath())
SUB_GOAL_ROWS = 5
CITIZEN_FIELDS = ("cpr", "name", "phone", "email", "address", "district")
LIST_FIELDS = (
    "sub_goals",
    "focus_roles",
    "focus_areas",
    "target_groups",
    "required_languages",
    "tasks_can",
    "tasks_cannot",
)


class ReferralForm(Form):
    """The referral form (henvisningsskema); `draft` is what it says, checked as a whole."""

    cpr = Text()
    name = Text()
    phone = Text()
    email = Text()
    address = Text()
    district = Text()
    job_goal = Text()
    sub_goals = Choices()
    focus_roles = Choices()
    focus_areas = Choices()
    target_groups = Choices()
    required_languages = Choices()
    preferred_mentor_gender = Text()
    granted_hours_per_week = Decimal("Timer pr. uge")
    start_date = Date("Startdato")
    end_date = Date("Slutdato")
    review_date = Date("Opfølgningsdato")
    legal_basis = Text()
    lab_tasks = Text()
    sel85_tasks = Text()
    tasks_can = Choices()
    tasks_cannot = Choices()
    consent = Flag()
    health_information = Text()
    considerations = Text()

    def check(self) -> None:
        # Built from what parsed, so the service's rules report every other field at once.
        parsed = {key: getattr(self, key, None) for key in self.data}
        consent = self.data["consent"] == "1"
        self.draft = referral_drafts.ReferralDraft(
            citizen={k: self.data[k] for k in CITIZEN_FIELDS},
            job_goal=self.data["job_goal"],
            sub_goals=[g for g in parsed["sub_goals"] or [] if g.strip()],
            focus_roles=parsed["focus_roles"] or [],
            focus_areas=parsed["focus_areas"] or [],
            target_groups=parsed["target_groups"] or [],
            required_languages=parsed["required_languages"] or [],
            preferred_mentor_gender=self.data["preferred_mentor_gender"] or None,
            granted_hours_per_week=parsed["granted_hours_per_week"],
            start_date=parsed["start_date"],
            end_date=parsed["end_date"],
            review_date=parsed["review_date"],
            legal_basis=self.data["legal_basis"],
            lab_tasks=self.data["lab_tasks"],
            sel85_tasks=self.data["sel85_tasks"],
            tasks_can=parsed["tasks_can"] or [],
            tasks_cannot=parsed["tasks_cannot"] or [],
            consent_information_exchange=consent,
            health_information=self.data["health_information"] if consent else "",
            considerations=self.data["considerations"],
        )
        self.add_errors(referral_drafts.draft_errors(self.draft, form=True))


class ActionForm(Form):
    reason = Text()
    outcome = Text()


def _vocabularies() -> dict:
    return {
        "roles": vocab.ROLES,
        "role_areas": vocab.ROLE_AREAS,
        "target_groups": vocab.TARGET_GROUPS,
        "languages": vocab.LANGUAGES,
        "genders": vocab.GENDERS,
        "legal_bases": vocab.LEGAL_BASES,
        "tasks_can": vocab.TASKS_CAN,
        "tasks_cannot": vocab.TASKS_CANNOT,
        "statuses": vocab.STATUSES,
        "outcomes": vocab.OUTCOMES,
    }


def _form_page(request: Request, form: ReferralForm, referral_id: int | None = None):
    """The referral form: new (POST to /ny) or a returned referral being corrected."""
    goals = [g for g in form.get("sub_goals") or [] if g.strip()]  # blank rows close up
    rows = goals + [""] * max(SUB_GOAL_ROWS - len(goals), 1 if len(goals) >= SUB_GOAL_ROWS else 0)
    if referral_id is None:
        target = request.url_for("referral_create").path
    else:
        target = request.url_for("referral_update", referral_id=referral_id).path
    context = {
        "form": form,
        "errors": form.errors,
        "goal_rows": rows,
        "form_action": target,
        "revising": referral_id is not None,
        "referral_id": referral_id,
        **_vocabularies(),
    }
    return render(request, "referrals/referral_form.html", context, status=form.status)


@router.get("/ny", name="referral_new")
def new_referral(request: Request, actor: Actor = Depends(CASEWORKER)):
    return _form_page(request, ReferralForm({"legal_basis": "lab"}))


def _form_of(draft: referral_drafts.ReferralDraft, full_cpr: str) -> ReferralForm:
    """The form as the caseworker filled it in back then."""
    form: dict = {k: draft.citizen.get(k) or "" for k in CITIZEN_FIELDS}
    form["cpr"] = full_cpr
    for name in ("job_goal", "legal_basis", "lab_tasks", "sel85_tasks", "considerations"):
        form[name] = getattr(draft, name) or ""
    form["preferred_mentor_gender"] = draft.preferred_mentor_gender or ""
    hours = draft.granted_hours_per_week
    form["granted_hours_per_week"] = str(hours).replace(".", ",") if hours is not None else ""
    for name in ("start_date", "end_date", "review_date"):
        value = getattr(draft, name)
        form[name] = value.isoformat() if value else ""
    form["consent"] = "1" if draft.consent_information_exchange else ""
    form["health_information"] = draft.health_information
    for name in LIST_FIELDS:
        form[name] = list(getattr(draft, name))
    return ReferralForm(form)


@router.post("/ny", name="referral_create")
def create_referral(
    request: Request,
    session: SessionDep,
    actor: Actor = Depends(CASEWORKER),
    form: ReferralForm = Depends(ReferralForm.from_request),
):
    if form.valid:
        try:
            referral = referrals.create_referral(session, actor=actor, draft=form.draft)
        except DomainError as error:
            form.refuse(error, "job_goal", error.status)
    if not form.valid:
        return _form_page(request, form)
    url = request.url_for("referral_page", referral_id=referral.id).path
    return redirect(request, url, "Henvisningen er sendt til mentorkorpsets koordinator.")


@router.get("", name="referral_list")
def referral_list(request: Request, session: SessionDep, actor: Actor = Depends(READERS)):
    status = request.query_params.get("status") or None
    if status not in vocab.STATUSES:
        status = None
    rows = referral_queries.list_referrals(session, actor=actor, status=status)
    citizens = referral_queries.citizens_seen(session, actor, rows)
    reasons = {
        r.id: referral_queries.last_return_reason(session, r.id)
        for r in rows
        if r.status == "returned"
    }
    # The page title is the menu entry's label (service/web/navigation.py).
    own = actor.role in (Role.caseworker, Role.mentor)
    heading = "Mine henvisninger" if own else "Henvisninger"
    context = {
        "rows": rows,
        "citizens": citizens,
        "reasons": reasons,
        "heading": heading,
        "status": status,
        "statuses": vocab.STATUSES,
    }
    return render(request, "referrals/referral_list.html", context)


@router.get("/indbakke", name="referral_inbox")
def inbox(request: Request, session: SessionDep, actor: Actor = Depends(MANAGERS)):
    today = clock.today()
    rows = referral_queries.inbox(session, actor=actor, today=today)
    context = {"rows": rows, "statuses": vocab.STATUSES, "today": today}
    return render(request, "referrals/inbox.html", context)


def show_referral(
    request: Request,
    session,
    actor: Actor,
    referral_id: int,
    *,
    action: str = "",
    action_form: Form | None = None,
    assign: Form | None = None,
):
    """The referral page; a refused `action` or `assign` form shows again with its errors."""
    referral = referral_queries.read_referral(session, referral_id, actor)
    stored = session.get(Citizen, referral.citizen_id)
    citizen = citizen_seen_by(actor, referral, stored)
    full_cpr = None
    if actor.role == Role.caseworker and referral.caseworker_id == actor.id:
        full_cpr = show_full_cpr(session, actor=actor, citizen=stored, purpose="casework")
    differing = {}
    if actor.role == Role.coordinator and referral.status != "closed":
        differing = differences(referral, stored)
    mentor = session.get(Mentor, referral.mentor_id) if referral.mentor_id else None
    mentor_user = session.get(User, mentor.user_id) if mentor else None
    history = referral_queries.events(session, referral.id)
    people = {e.user_id for e in history if e.user_id} | {referral.caseworker_id}
    names = {uid: session.get(User, uid).name for uid in people}
    sent = action_form or assign
    context = {
        "referral": referral,
        "citizen": citizen,
        "full_cpr": full_cpr,
        "differences": differing,
        "field_labels": referral_drafts.REVISABLE,
        "mentor": mentor,
        "mentor_user": mentor_user,
        "sub_goals": referral_queries.sub_goals(session, referral.id),
        "history": history,
        "names": names,
        "hours_used": hours_used_total(session, referral.id),
        "actions": referral_workflow.actions_for(referral, actor),
        "may_revise": referral.status == "returned"
        and actor.role == Role.caseworker
        and referral.caseworker_id == actor.id,
        "action_labels": referral_workflow.ACTION_LABELS,
        "needs_reason": {"return", "pause", "close"},
        "action_errors": {action: action_form.errors} if action_form else {},
        "typed": {action: action_form} if action_form else {},
        **referral_block(session, actor, referral, assign),
        **_vocabularies(),
    }
    return render(request, "referrals/referral.html", context, status=sent.status if sent else 200)


def _returned_own(session, referral_id: int, actor: Actor):
    referral = referral_queries.visible_referral(session, referral_id, actor)
    if referral.status != "returned":
        raise IllegalTransition("Kun en henvisning, der er sendt retur, kan rettes og sendes igen.")
    return referral


@router.get("/{referral_id}/ret", name="referral_edit")
def edit_referral(
    request: Request, referral_id: int, session: SessionDep, actor: Actor = Depends(CASEWORKER)
):
    referral = _returned_own(session, referral_id, actor)
    citizen = session.get_one(Citizen, referral.citizen_id)
    full_cpr = show_full_cpr(session, actor=actor, citizen=citizen, purpose="casework")
    return _form_page(
        request, _form_of(referral_drafts.draft_of(session, referral), full_cpr), referral.id
    )


@router.post("/{referral_id}/ret", name="referral_update")
def update_referral(
    request: Request,
    referral_id: int,
    session: SessionDep,
    actor: Actor = Depends(CASEWORKER),
    form: ReferralForm = Depends(ReferralForm.from_request),
):
    _returned_own(session, referral_id, actor)
    if form.valid:
        try:
            referrals.revise_returned(
                session, actor=actor, referral_id=referral_id, draft=form.draft
            )
        except (NotFound, Forbidden, IllegalTransition):
            raise
        except DomainError as error:
            form.refuse(error, "job_goal", error.status)
    if not form.valid:
        return _form_page(request, form, referral_id)
    url = request.url_for("referral_page", referral_id=referral_id).path
    return redirect(request, url, "Henvisningen er rettet og sendt igen til koordinatoren.")


@router.get("/{referral_id}", name="referral_page")
def referral_page(
    request: Request, referral_id: int, session: SessionDep, actor: Actor = Depends(READERS)
):
    return show_referral(request, session, actor, referral_id)


# Before the action route below, which would take "stamdata" for an action.
@router.post("/{referral_id}/stamdata", name="referral_confirm_citizen")
def confirm_citizen(
    request: Request,
    referral_id: int,
    session: SessionDep,
    actor: Actor = Depends(requires(Role.coordinator)),
):
    referrals.confirm_citizen(session, actor=actor, referral_id=referral_id)
    url = request.url_for("referral_page", referral_id=referral_id).path
    return redirect(request, url, "Borgerens stamdata er opdateret fra henvisningen.")


@router.post("/{referral_id}/{action:referral_action}", name="referral_action")
def referral_action(
    request: Request,
    referral_id: int,
    action: str,
    session: SessionDep,
    actor: Actor = Depends(ACTORS),
    form: ActionForm = Depends(ActionForm.from_request),
):
    try:
        referral_workflow.act(
            session,
            referral_id=referral_id,
            action=action,
            actor=actor,
            reason=form.reason,
            outcome=form.outcome or None,
        )
    except (NotFound, Forbidden):
        raise
    except DomainError as error:
        form.refuse(error, "reason", error.status)
        return show_referral(request, session, actor, referral_id, action=action, action_form=form)
    message = (
        f"Henvisningen har nu status »{vocab.STATUSES[referral_workflow.ACTIONS[action][0]]}«."
    )
    url = request.url_for("referral_page", referral_id=referral_id).path
    return redirect(request, url, message)
