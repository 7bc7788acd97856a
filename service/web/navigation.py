"""The menu, by role. Each area adds its pages here (label, route name, roles)."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.routing import NoMatchFound


@dataclass(frozen=True)
class MenuItem:
    label: str
    route: str
    roles: frozenset[str]


def item(label: str, route: str, *roles: str) -> MenuItem:
    return MenuItem(label, route, frozenset(roles))


MENU: list[MenuItem] = [
    item("Forside", "home", "admin", "coordinator", "caseworker", "mentor", "finance"),
    item("Brugere", "admin_users", "admin"),
    item("Logning", "admin_audit", "admin"),
    item("Ny henvisning", "referral_new", "caseworker"),
    item("Henvisninger", "referral_list", "admin", "coordinator", "caseworker", "mentor"),
    item("Indbakke", "referral_inbox", "admin", "coordinator"),
    item("Matchningsplan", "matching_plan", "coordinator"),
    item("Afløsning", "matching_cover_list", "coordinator"),
    item("Matchningsvægte", "matching_weights", "coordinator"),
    item("Mentorkorpset", "mentor_list", "admin", "coordinator"),
    item("Timesatser", "rate_list", "admin", "coordinator", "finance"),
    item("Min profil", "my_profile", "mentor"),
    item("Fravær", "absence_calendar", "admin", "coordinator", "mentor"),
    item("Mine borgere", "my_citizens", "mentor"),
    item("Logbøger", "logbooks", "admin", "coordinator", "caseworker"),
    item("Tidsregistrering", "time_week", "coordinator", "mentor"),
    item("Godkend måneder", "time_approvals", "coordinator"),
    item("Refusion", "refund", "finance", "coordinator"),
    item("Nøgletal", "key_figures", "coordinator", "admin", "finance"),
    item("Refusionsregler", "refund_rules", "admin"),
    item("Kontakter", "contact_list", "admin", "coordinator", "mentor"),
    item("Kriseplan", "crisis_plan", "admin", "coordinator", "mentor"),
    item(
        "Notifikationer", "notifications", "admin", "coordinator", "caseworker", "mentor", "finance"
    ),
    item("Planlagte job", "admin_jobs", "admin"),
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
