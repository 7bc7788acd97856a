"""The citizen access document (aktindsigt): the export, worded for the citizen.

The export (`logbook.access.citizen_export`, also the API's answer) holds codes and ids;
this page turns every code into its Danish label (`vocabulary`), every id into a name or
the record it stands for, and every number and date into Danish, so the citizen reads no
code word.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from fastapi import Depends, Request

from logbook import access
from service.audit.service import Actor
from service.auth.models import Role, User
from service.core import formatting
from service.web.guard import SessionDep, requires
from service.web.routing import Router
from service.web.templates import render, templates
from vocabulary import corps, label, logbook, system

router = Router()
ACCESS_ROLES = frozenset({Role.coordinator, Role.admin})
ACCESS = requires(*ACCESS_ROLES)


def may_open_access(user: User | None) -> bool:
    """Whether a page shows this user the link to a citizen's access document."""
    return user is not None and user.role in ACCESS_ROLES


templates.env.globals["may_open_access"] = may_open_access


def _date(value: str | None) -> str:
    return formatting.dato(date.fromisoformat(value[:10])) if value else ""


def _time(value: str | None) -> str:
    return formatting.tidspunkt(datetime.fromisoformat(value)) if value else ""


def _labels(codes: list[str], labels: dict[str, str]) -> list[str]:
    return [label(labels, code) for code in codes]


def _areas(codes: list[str]) -> list[str]:
    areas = {code: text for group in corps.ROLE_AREAS.values() for code, text in group.items()}
    return _labels(codes, areas)


def _hours(value: str | None) -> str:
    return f"{formatting.tal(Decimal(value))} timer" if value else ""


def _event(event: dict) -> str:
    """A status change or a change of a running course, in words."""
    to = label(corps.REFERRAL_STATUSES, event["to_status"])
    before = event.get("from_status")
    if before is None:
        text = f"Henvisningen er modtaget med status »{to}«"
    elif before == event["to_status"]:
        text = "Henvisningen er ændret"
    else:
        text = f"Status ændret fra »{label(corps.REFERRAL_STATUSES, before)}« til »{to}«"
    return f"{text}: {event['reason']}" if event.get("reason") else text


def _referral(r: dict) -> dict:
    return {
        "anchor": f"referral-{r['id']}",
        "title": f"Henvisning modtaget {_date(r['submitted_at'])}",
        "job_goal": r["job_goal"],
        "status": label(corps.REFERRAL_STATUSES, r["status"]),
        "period": f"{_date(r['start_date'])} – {_date(r['end_date'])}",
        "review_date": _date(r.get("review_date")),
        "hours": _hours(r["granted_hours_per_week"]),
        "legal_basis": label(corps.LEGAL_BASES, r.get("legal_basis")),
        "focus_roles": _labels(r.get("focus_roles") or [], corps.FOCUS_ROLES),
        "focus_areas": _areas(r.get("focus_areas") or []),
        "tasks_can": _labels(r.get("tasks_can") or [], corps.TASKS_CAN),
        "tasks_cannot": _labels(r.get("tasks_cannot") or [], corps.TASKS_CANNOT),
        "lab_tasks": r.get("lab_tasks") or "",
        "sel85_tasks": r.get("sel85_tasks") or "",
        "considerations": r.get("considerations") or "",
        "health_information": r.get("health_information") or "",
        "outcome": label(corps.OUTCOMES, r.get("outcome")),
        "sub_goals": [g["title"] for g in r["sub_goals"]],
        "history": [(_time(e["at"]), _event(e)) for e in r["events"]],
    }


def _entry(e: dict, goals: dict[int, str]) -> dict:
    shown = f"vist for borgeren {_time(e['shown_at'])}" if e["shown_to_citizen"] else ""
    return {
        "anchor": f"entry-{e['id']}",
        "meta": " · ".join(
            part
            for part in (
                _date(e["occurred_on"]),
                label(logbook.ENTRY_KINDS, e["kind"]),
                f"skrevet af {e['author']['name']}",
                shown or "ikke vist for borgeren",
            )
            if part
        ),
        "observations": _labels(e["observations"], logbook.OBSERVATIONS),
        "sub_goals": [goals[g] for g in e["sub_goal_ids"] if g in goals],
        "progress": label(logbook.PROGRESS, e["progress"]) if e["progress"] is not None else "",
        "versions": [
            {
                "number": v["version"],
                "meta": f"{v['author']['name']} · {_time(v['created_at'])}",
                "reason": v["reason"],
                "text": v["text"],
            }
            for v in e["versions"]
        ],
    }


def _time_entry(t: dict) -> dict:
    return {
        "date": _date(t["date"]),
        "hours": formatting.minutter_som_timer(t["minutes"]),
        "category": label(logbook.TIME_CATEGORIES, t["category"]),
        "note": t.get("note") or "",
    }


def _records(export: dict) -> dict[tuple[str, int], str]:
    """What each record the trail names is, as the citizen knows it (never an id)."""
    names = {("citizen", export["citizen"]["id"]): export["citizen"]["name"]}
    for r in export["referrals"]:
        names[("referral", r["id"])] = f"modtaget {_date(r['submitted_at'])}"
    for e in export["logbook"]:
        names[("logbook_entry", e["id"])] = f"fra {_date(e['occurred_on'])}"
    for t in export["time_entries"]:
        names[("time_entry", t["id"])] = f"{_date(t['date'])}"
    return names


def _trail_row(event: dict, records: dict[tuple[str, int], str]) -> dict:
    user = event["user"]
    who = user["name"] or event["actor"]
    if user["role"]:
        who = f"{who} ({label(system.USER_ROLES, user['role'])})"
    kind = label(system.RECORD_KINDS, event["entity"])
    which = records.get((event["entity"], event["entity_id"]), "")
    return {
        "at": _time(event["at"]),
        "who": who,
        "action": label(system.AUDIT_ACTIONS, event["action"]),
        "purpose": label(system.AUDIT_PURPOSES, event["purpose"]),
        "what": f"{kind}: {which}" if which else kind,
    }


def _address(citizen: dict) -> str:
    """The address, with the district only when the address does not already name it."""
    address, district = citizen.get("address") or "", citizen.get("district") or ""
    if district and district.casefold() not in address.casefold():
        return f"{address}, {district}" if address else district
    return address


def document(export: dict) -> dict:
    """The access document's content: the export in the citizen's words."""
    goals = {g["id"]: g["title"] for r in export["referrals"] for g in r["sub_goals"]}
    records = _records(export)
    citizen = export["citizen"]
    return {
        "generated_at": _time(export["generated_at"]),
        "generated_by": export["generated_by"]["name"],
        "citizen": {**citizen, "address": _address(citizen)},
        "referrals": [_referral(r) for r in export["referrals"]],
        "logbook": [_entry(e, goals) for e in export["logbook"]],
        "time_entries": [_time_entry(t) for t in export["time_entries"]],
        "trail": [_trail_row(e, records) for e in export["audit_trail"]],
    }


@router.get("/borgere/{citizen_id}/aktindsigt", name="citizen_access")
def citizen_access(
    request: Request, citizen_id: int, session: SessionDep, actor: Actor = Depends(ACCESS)
):
    export = access.citizen_export(session=session, actor=actor, citizen_id=citizen_id)
    return render(request, "logbook/access.html", {"doc": document(export)})
