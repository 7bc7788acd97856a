"""The menu, by role. Each area adds its pages here (label, route name, roles)."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.routing import NoMatchFound

from service.auth.models import Role


@dataclass(frozen=True)
class MenuItem:
    label: str
    route: str
    roles: frozenset[Role]


def item(label: str, route: str, *roles: Role) -> MenuItem:
    return MenuItem(label, route, frozenset(roles))


MENU: list[MenuItem] = [
    item("Forside", "home", *Role),
    item("Brugere", "admin_users", Role.admin),
    item("Logning", "admin_audit", Role.admin),
    item("Ny henvisning", "referral_new", Role.caseworker),
    item(
        "Henvisninger", "referral_list", Role.admin, Role.coordinator, Role.caseworker, Role.mentor
    ),
    item("Indbakke", "referral_inbox", Role.admin, Role.coordinator),
    item("Matchningsplan", "matching_plan", Role.coordinator),
    item("Afløsning", "matching_cover_list", Role.coordinator),
    item("Matchningsvægte", "matching_weights", Role.coordinator),
    item("Mentorkorpset", "mentor_list", Role.admin, Role.coordinator),
    item("Timesatser", "rate_list", Role.admin, Role.coordinator, Role.finance),
    item("Min profil", "my_profile", Role.mentor),
    item("Fravær", "absence_calendar", Role.admin, Role.coordinator, Role.mentor),
    item("Mine borgere", "my_citizens", Role.mentor),
    item("Logbøger", "logbooks", Role.admin, Role.coordinator, Role.caseworker),
    item("Tidsregistrering", "time_week", Role.coordinator, Role.mentor),
    item("Godkend måneder", "time_approvals", Role.coordinator),
    item("Refusion", "refund", Role.finance, Role.coordinator),
    item("Nøgletal", "key_figures", Role.coordinator, Role.admin, Role.finance),
    item("Refusionsregler", "refund_rules", Role.admin),
    item("Kontakter", "contact_list", Role.admin, Role.coordinator, Role.mentor),
    item("Kriseplan", "crisis_plan", Role.admin, Role.coordinator, Role.mentor),
    item("Notifikationer", "notifications", *Role),
    item("Planlagte job", "admin_jobs", Role.admin),
]


def menu_for(user, request: Request) -> list[dict]:
    """Return the menu entries the user's role may see, marking the current one."""
    if user is None:
        return []
    entries = []
    for entry in MENU:
        if user.role not in entry.roles:
            continue
        try:
            url = str(request.url_for(entry.route).path)
        except NoMatchFound:
            continue
        active = request.url.path == url or (url != "/" and request.url.path.startswith(url))
        entries.append({"label": entry.label, "url": url, "active": active})
    return entries
