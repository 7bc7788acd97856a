"""The admin's audit trail page: who read or changed what, in names and Danish record kinds.

Filters take what an admin knows: a citizen's name or CPR number and a user's name (or
e-mail), never a numeric id. A filter on a citizen is itself a search of citizen data and
is audited (purpose `administration`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, timedelta

from fastapi import Depends, Request
from sqlmodel import Session, col, select

from reports.core.danish import local_midnight
from service.audit.models import AuditEvent
from service.audit.service import Actor, AuditFilter, record, search
from service.audit.verify import latest_run, record_run, verify
from service.auth import accounts
from service.auth.models import Role, User
from service.corps.models import Citizen, Mentor
from service.web.forms import parse_date, parse_int
from service.web.guard import SessionDep, requires
from service.web.routing import Router
from service.web.templates import redirect, render
from vocabulary import label, system

router = Router(prefix="/admin")
ADMIN = requires(Role.admin)
PAGE = 100
_CPR = re.compile(r"(\d{6})-?(\d{4})", re.ASCII)


def _words(text: str) -> list[str]:
    return text.casefold().split()


def matching_citizens(session: Session, text: str) -> set[int]:
    """Citizens whose CPR number is `text` (dash optional), or whose name has a word
    starting with each word of `text`, ignoring case."""
    cpr = _CPR.fullmatch(text.strip())
    if cpr:
        query = select(Citizen.id).where(Citizen.cpr == cpr.group(1) + cpr.group(2))
        return set(session.exec(query))
    wanted = _words(text)
    found = set()
    for citizen_id, name in session.exec(select(Citizen.id, Citizen.name)):
        words = _words(name)
        if all(any(w.startswith(part) for w in words) for part in wanted):
            found.add(citizen_id)
    return found


def matching_users(users: list[User], text: str) -> set[int]:
    """Users whose name or e-mail contains `text`, ignoring case."""
    wanted = text.casefold().strip()
    return {u.id for u in users if wanted in u.name.casefold() or wanted in u.email.casefold()}


def _citizen_names(session: Session, ids: set[int]) -> dict[int, str]:
    query = select(Citizen.id, Citizen.name).where(col(Citizen.id).in_(ids))
    return {i: name for i, name in session.exec(query)} if ids else {}


def _mentor_names(session: Session, ids: set[int]) -> dict[int, str]:
    query = select(Mentor.id, User.name).join(User, col(User.id) == col(Mentor.user_id))
    return (
        {i: name for i, name in session.exec(query.where(col(Mentor.id).in_(ids)))} if ids else {}
    )


def _table(model) -> str:
    """The table a model names: an audit row's `entity` for rows about it."""
    return model.__tablename__


def post_names(session: Session, rows: list[AuditEvent], users: dict[int, User]) -> list[dict]:
    """Each row's record as a person names it ("Henvisning: Nadia Rasmussen") and citizen."""
    ids: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        if row.entity_id:
            ids[row.entity].add(row.entity_id)
    citizen_ids = {r.citizen_id for r in rows if r.citizen_id} | ids[_table(Citizen)]
    citizens = _citizen_names(session, citizen_ids)
    # Records that have a name of their own; any other record is named by its citizen.
    named = {
        _table(Citizen): citizens,
        _table(Mentor): _mentor_names(session, ids[_table(Mentor)]),
        _table(User): {user_id: user.name for user_id, user in users.items()},
    }
    shown = []
    for row in rows:
        own = named.get(row.entity)
        name = own.get(row.entity_id or 0) if own is not None else citizens.get(row.citizen_id or 0)
        kind = label(system.RECORD_KINDS, row.entity)
        number = f" nr. {row.entity_id}" if row.entity_id and not name else ""
        post = f"{kind}: {name}" if name else f"{kind}{number}"
        shown.append({"post": post, "citizen": citizens.get(row.citizen_id or 0, "")})
    return shown


def _day_start(value) -> datetime | None:
    return local_midnight(value) if value else None


def _filters(session: Session, actor: Actor, params, errors: dict, users: list[User]):
    """The filter the page's query asks for; None when a name matches nobody."""
    since = parse_date(params.get("since"), "since", errors, "Fra dato")
    until = parse_date(params.get("until"), "until", errors, "Til dato")
    action = params.get("action") or None
    if action and action not in system.AUDIT_ACTIONS:
        errors["action"] = "Ukendt handling."
        action = None
    citizen_ids = user_ids = None
    if citizen_text := (params.get("borger") or "").strip():
        citizen_ids = frozenset(matching_citizens(session, citizen_text))
        detail = {"hits": len(citizen_ids)}
        record(session, actor, "search", purpose="administration", entity="citizen", detail=detail)
    if user_text := (params.get("bruger") or "").strip():
        user_ids = frozenset(matching_users(users, user_text))
    return AuditFilter(
        citizen_ids=citizen_ids,
        user_ids=user_ids,
        action=action,
        since=_day_start(since),
        until=_day_start(until + timedelta(days=1)) if until else None,
    )


@router.get("/logning", name="admin_audit")
def audit(request: Request, session: SessionDep, actor: Actor = Depends(ADMIN)):
    params = request.query_params
    errors: dict[str, str] = {}
    user_list = accounts.list_users(session)
    flt = _filters(session, actor, params, errors, user_list)
    page = max(1, parse_int(params.get("page"), "page", errors, "Side") or 1)
    rows = search(session, flt, limit=PAGE + 1, offset=(page - 1) * PAGE)
    users = {u.id: u for u in user_list}
    context = {
        "rows": list(zip(rows[:PAGE], post_names(session, rows[:PAGE], users), strict=True)),
        "more": len(rows) > PAGE,
        "page": page,
        "users": users,
        "actions": system.AUDIT_ACTIONS,
        "purposes": system.AUDIT_PURPOSES,
        "errors": errors,
        "form": dict(params),
        "verify_run": latest_run(session),
    }
    return render(request, "admin/audit.html", context, status=422 if errors else 200)


@router.post("/logning/kontroller", name="admin_audit_verify")
def audit_verify(request: Request, session: SessionDep, actor: Actor = Depends(ADMIN)):
    outcome = verify(session.connection())
    record_run(session, outcome, "admin")
    record(session, actor, "read", purpose="administration", entity="verify_run")
    kind = "success" if outcome.ok else "error"
    message = f"Journalen er kontrolleret. {outcome.message}"
    return redirect(request, request.url_for("admin_audit").path, message, kind)
