"""The menu, by role: a few top entries grouped by task, and the header's own links.

Each role has at most seven top entries; an entry is a page (`Link`) or a group of pages
(`Group`, a DKFDS submenu). A link's label is the title of the page it opens. On any page
exactly one entry is current: the one whose path is the longest prefix of the page's path,
over the menu and the header's links (notifications, the mentor's profile) together; a page
that no entry covers has none.

Paths come from a route-name → path table built once per app (`route_paths`), not from
`request.url_for` on every request.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from service.auth.models import Role

MAX_TOP_ENTRIES = 7


@dataclass(frozen=True)
class Link:
    label: str  # the title of the page it opens
    route: str  # the route's name
    covers: tuple[str, ...] = ()  # routes with parameters whose pages belong to this entry


@dataclass(frozen=True)
class Group:
    label: str
    links: tuple[Link, ...]


Entry = Link | Group


def link(label: str, route: str, *covers: str) -> Link:
    return Link(label, route, covers)


def group(label: str, *links: Link) -> Group:
    return Group(label, links)


HOME = link("Forside", "home")
REFERRALS = link("Henvisninger", "referral_list")
INBOX = link("Indbakke", "referral_inbox")
LOGBOOKS = link("Logbøger", "logbooks", "logbook_page")
CORPS = group(
    "Korpset",
    link("Mentorkorpset", "mentor_list"),
    link("Fraværskalender", "absence_calendar"),
    link("Timesatser", "rate_list"),
    link("Kontaktliste", "contact_list"),
    link("Kriseplan", "crisis_plan"),
)
KEY_FIGURES = link("Nøgletal", "key_figures")

MENUS: dict[Role, tuple[Entry, ...]] = {
    Role.coordinator: (
        HOME,
        group(
            "Forløb",
            INBOX,
            REFERRALS,
            LOGBOOKS,
            link("Afløsning ved fravær", "matching_cover_list"),
        ),
        group(
            "Matchning",
            link("Matchningsplan", "matching_plan"),
            link("Vægte for matchning", "matching_weights"),
        ),
        CORPS,
        group(
            "Tid og refusion",
            link("Tidsregistrering", "time_week"),
            link("Godkend måneder", "time_approvals"),
            link("Refusion", "refund"),
        ),
        KEY_FIGURES,
    ),
    Role.admin: (
        HOME,
        group("Forløb", INBOX, REFERRALS, LOGBOOKS),
        CORPS,
        KEY_FIGURES,
        group(
            "Administration",
            link("Brugere", "admin_users"),
            link("Logning", "admin_audit"),
            link("Planlagte job", "admin_jobs"),
            link("Refusionsregler", "refund_rules"),
        ),
    ),
    Role.caseworker: (
        HOME,
        link("Ny henvisning", "referral_new"),
        link("Mine henvisninger", "referral_list"),
        LOGBOOKS,
    ),
    # The mentor's menu is flat: on a phone every page is two taps away (Menu, entry).
    Role.mentor: (
        HOME,
        link("Mine borgere", "my_citizens", "logbook_page"),
        link("Mine henvisninger", "referral_list"),
        link("Tidsregistrering", "time_week"),
        link("Fraværskalender", "absence_calendar"),
        link("Kontaktliste", "contact_list"),
        link("Kriseplan", "crisis_plan"),
    ),
    Role.finance: (
        HOME,
        link("Refusion", "refund"),
        KEY_FIGURES,
        link("Timesatser", "rate_list"),
    ),
}

NOTIFICATIONS = link("Notifikationer", "notifications")
PROFILE = link("Min profil", "my_profile")  # in the header, beside the mentor's name


def links_of(entries: tuple[Entry, ...]) -> list[Link]:
    """Every page link of a menu, group members included, in order."""
    found: list[Link] = []
    for entry in entries:
        found.extend(entry.links if isinstance(entry, Group) else (entry,))
    return found


def header_links(role: Role) -> tuple[Link, ...]:
    return (NOTIFICATIONS, PROFILE) if role == Role.mentor else (NOTIFICATIONS,)


def unread_label(unread: int) -> str:
    """The header's notification count, in Danish singular or plural."""
    if unread <= 0:
        return "Ingen ulæste notifikationer"
    if unread == 1:
        return "1 ulæst notifikation"
    return f"{unread} ulæste notifikationer"


class RoutePaths:
    """Route name → path (a template for routes with parameters), read once from the app."""

    def __init__(self, routes) -> None:
        self.paths: dict[str, str] = {}
        for top in routes:
            # An included router stands for its routes (FastAPI's effective route contexts).
            for route in getattr(top, "effective_route_contexts", lambda t=top: [t])():
                name, path = getattr(route, "name", None), getattr(route, "path", None)
                if name and path is not None:
                    self.paths.setdefault(name, path)

    def path(self, name: str) -> str | None:
        """The path of a route without parameters; None for an unknown route."""
        path = self.paths.get(name)
        return None if path is None or "{" in path else path

    def prefix(self, name: str) -> str | None:
        """The fixed start of a route's path, up to its first parameter."""
        path = self.paths.get(name)
        return None if path is None else path.split("{", 1)[0]


def route_paths(app) -> RoutePaths:
    """The app's route table, built on first use and kept on app.state."""
    table = getattr(app.state, "route_paths", None)
    if table is None:
        table = app.state.route_paths = RoutePaths(app.routes)
    return table


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class NavGroup:
    label: str
    key: str  # distinguishes the group's element ids
    links: tuple[NavLink, ...]

    @property
    def active(self) -> bool:
        return any(entry.current for entry in self.links)


@dataclass(frozen=True)
class Navigation:
    """What the header shows a signed-in user: menu, header links and fixed paths."""

    entries: tuple[NavLink | NavGroup, ...]
    notifications: NavLink
    profile: NavLink | None
    unread: str  # "2 ulæste notifikationer"
    home: str
    logout: str

    def links(self) -> list[NavLink]:
        """Every link: menu entries, group members and the header's links."""
        found: list[NavLink] = []
        for entry in self.entries:
            found.extend(entry.links if isinstance(entry, NavGroup) else (entry,))
        found.append(self.notifications)
        if self.profile is not None:
            found.append(self.profile)
        return found

    def current(self) -> NavLink | None:
        return next((entry for entry in self.links() if entry.current), None)


def _match(path: str, current: str) -> int:
    """How well a page path covers the current path: its length, or -1 if it does not."""
    if current == path:
        return len(path) + 1  # an exact match beats a prefix of the same length
    if path != "/" and current.startswith(path.rstrip("/") + "/"):
        return len(path)
    return -1


def current_route(entries: list[Link], table: RoutePaths, current: str) -> str | None:
    """The route of the one entry that covers `current` best (first one on a tie)."""
    best, best_score = None, -1
    for entry in entries:
        path = table.path(entry.route)
        if path is None:
            continue
        score = _match(path, current)
        for covered in entry.covers:
            prefix = table.prefix(covered)
            if prefix and prefix != path and current.startswith(prefix):
                score = max(score, len(prefix))
        if score > best_score:
            best, best_score = entry.route, score
    return best


def build_navigation(role: Role, unread: int, table: RoutePaths, root: str, current: str):
    """The navigation of a role on the page at `current` (a path without the root path)."""
    menu = MENUS.get(role, (HOME,))
    own = [*links_of(menu), *header_links(role)]
    chosen = current_route(own, table, current)

    def nav_link(entry: Link) -> NavLink | None:
        path = table.path(entry.route)
        if path is None:  # an area that is not mounted
            return None
        return NavLink(entry.label, root + path, entry.route == chosen)

    entries: list[NavLink | NavGroup] = []
    for index, entry in enumerate(menu):
        if isinstance(entry, Group):
            members = tuple(m for m in map(nav_link, entry.links) if m is not None)
            if members:
                entries.append(NavGroup(entry.label, str(index), members))
        elif (made := nav_link(entry)) is not None:
            entries.append(made)
    notifications = nav_link(NOTIFICATIONS) or NavLink(NOTIFICATIONS.label, root + "/")
    profile = nav_link(PROFILE) if role == Role.mentor else None
    return Navigation(
        tuple(entries),
        notifications,
        profile,
        unread_label(unread),
        root + (table.path("home") or "/"),
        root + (table.path("logout") or "/log-ud"),
    )


def menu_for(user, request: Request) -> Navigation | None:
    """The header's navigation for the signed-in user on this request's page."""
    if user is None:
        return None
    root = request.scope.get("root_path", "")
    current = request.scope.get("path", "/")
    if root and current.startswith(root):
        current = current[len(root) :] or "/"
    table = route_paths(request.app)
    return build_navigation(user.role, getattr(user, "unread", 0), table, root, current)
