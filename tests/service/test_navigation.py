"""The menu by role (service/web/navigation.py): short, grouped, complete, one current entry.

The route table is the real app's; the pages are rendered through the real layout.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from service.auth.models import Role
from service.core.db import make_engine
from service.web.app import create_app
from service.web.navigation import (
    MAX_TOP_ENTRIES,
    MENUS,
    Group,
    Link,
    build_navigation,
    header_links,
    links_of,
    route_paths,
    unread_label,
)
from tests.conftest import app_settings
from tests.route_roles import ROUTES

# GET pages without parameters that are deliberately not in any menu: reached from the page
# they belong to (a form from its list, a download from its report) or not a page a person
# chooses (the login form, the API reference).
NOT_IN_MENU = {
    "/log-ind",
    "/api/docs",
    "/mentorer/ny",
    "/refusion/krav",
    "/refusion/krav/nyt",
    "/refusion/regneark",
    "/refusion/csv",
    "/noegletal/regneark",
}


@pytest.fixture(scope="module")
def table():
    app = create_app(app_settings(), engine=make_engine("sqlite://"), check_schema=False)
    return route_paths(app)


def nav(role: Role, path: str, table, unread: int = 0):
    return build_navigation(role, unread, table, "", path)


def current_labels(navigation) -> list[str]:
    return [entry.label for entry in navigation.links() if entry.current]


def plain_get_pages(table) -> set[str]:
    return {
        p
        for p in table.paths.values()
        if "{" not in p and not p.startswith("/api/v1/") and ("GET", p) in ROUTES
    }


@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_a_short_menu_of_routed_pages_it_may_open(role, table):
    menu = MENUS[role]
    assert 2 <= len(menu) <= MAX_TOP_ENTRIES
    links = [*links_of(menu), *header_links(role)]
    routes = [entry.route for entry in links]
    assert len(routes) == len(set(routes)), "a page appears twice in one menu"
    labels = [entry.label for entry in links] + [g.label for g in menu if isinstance(g, Group)]
    assert len(labels) == len(set(labels)), "two entries share a label"
    for entry in links:
        path = table.path(entry.route)
        assert path is not None, f"{entry.route} is not a page route without parameters"
        assert role in ROUTES[("GET", path)], f"{role} may not open {path}"
        for covered in entry.covers:
            assert table.prefix(covered), covered
    for entry in menu:
        if isinstance(entry, Group):
            assert len(entry.links) >= 2, f"group {entry.label} holds a single page"


@pytest.mark.parametrize("role", list(Role))
def test_every_page_a_role_may_open_is_in_its_menu_or_header(role, table):
    reachable = {table.path(e.route) for e in [*links_of(MENUS[role]), *header_links(role)]}
    allowed = {p for p in plain_get_pages(table) if role in ROUTES[("GET", p)]}
    assert allowed - NOT_IN_MENU - reachable == set()


def test_the_mentor_menu_is_flat_so_every_page_is_two_taps_away():
    assert all(isinstance(entry, Link) for entry in MENUS[Role.mentor])


def test_coordinator_groups_by_task():
    menu = MENUS[Role.coordinator]
    top = [entry.label for entry in menu]
    assert top == ["Forside", "Forløb", "Matchning", "Korpset", "Tid og refusion", "Nøgletal"]
    groups = {g.label: [e.label for e in g.links] for g in menu if isinstance(g, Group)}
    assert groups["Forløb"][:3] == ["Indbakke", "Henvisninger", "Logbøger"]
    assert "Godkend måneder" in groups["Tid og refusion"]


@pytest.mark.parametrize("role", list(Role))
def test_every_menu_page_has_exactly_one_current_entry_itself(role, table):
    navigation = nav(role, "/", table)
    for entry in navigation.links():
        marked = nav(role, entry.url, table)
        assert current_labels(marked) == [entry.label], entry.url


@pytest.mark.parametrize(
    ("role", "path", "expected"),
    [
        (Role.coordinator, "/henvisninger/indbakke", "Indbakke"),  # not Henvisninger too
        (Role.coordinator, "/henvisninger/12", "Henvisninger"),
        (Role.coordinator, "/tid/godkendelser", "Godkend måneder"),  # not Tidsregistrering
        (Role.coordinator, "/logbog/3", "Logbøger"),
        (Role.coordinator, "/mentorer/4/ret", "Mentorkorpset"),
        (Role.coordinator, "/matchning/afloesning/2", "Afløsning ved fravær"),
        (Role.coordinator, "/refusion/krav/7", "Refusion"),
        (Role.caseworker, "/henvisninger/ny", "Ny henvisning"),  # not Mine henvisninger too
        (Role.caseworker, "/henvisninger/5/ret", "Mine henvisninger"),
        (Role.mentor, "/logbog/3", "Mine borgere"),
        (Role.mentor, "/min-profil", "Min profil"),
        (Role.mentor, "/notifikationer", "Notifikationer"),
        (Role.admin, "/refusion/regler", "Refusionsregler"),
        (Role.finance, "/refusion/krav/nyt", "Refusion"),
    ],
)
def test_the_longest_prefix_is_the_one_current_entry(role, path, expected, table):
    assert current_labels(nav(role, path, table)) == [expected]


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (Role.coordinator, "/borgere/3/aktindsigt"),  # no entry covers it: none, not Forside
        (Role.coordinator, "/henvisningerne"),  # a prefix of letters is not a prefix of paths
        (Role.finance, "/henvisninger"),
    ],
)
def test_a_page_no_entry_covers_has_no_current_entry(role, path, table):
    assert current_labels(nav(role, path, table)) == []


def test_the_group_of_the_current_entry_is_active(table):
    navigation = nav(Role.coordinator, "/tid/godkendelser", table)
    active = [e.label for e in navigation.entries if getattr(e, "active", False)]
    assert active == ["Tid og refusion"]


def test_the_route_table_is_built_once_per_app(app, pages):
    client = pages("coordinator")
    assert client.get("/").status_code == 200
    first = app.state.route_paths
    assert client.get("/henvisninger").status_code == 200
    assert app.state.route_paths is first


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (0, "Ingen ulæste notifikationer"),
        (1, "1 ulæst notifikation"),
        (2, "2 ulæste notifikationer"),
        (21, "21 ulæste notifikationer"),
    ],
)
def test_unread_count_in_danish_singular_and_plural(count, text):
    assert unread_label(count) == text


def aria_current(part) -> list[str]:
    return [a.get_text(" ", strip=True) for a in part.select('[aria-current="page"]')]


@pytest.mark.parametrize(
    ("role", "url", "label", "group"),
    [
        ("coordinator", "/henvisninger/indbakke", "Indbakke", "Forløb"),
        ("coordinator", "/tid/godkendelser", "Godkend måneder", "Tid og refusion"),
        ("admin", "/admin/planlagte-job", "Planlagte job", "Administration"),
        ("mentor", "/mine-borgere", "Mine borgere", None),
        ("caseworker", "/henvisninger/ny", "Ny henvisning", None),
        ("finance", "/", "Forside", None),
    ],
)
def test_rendered_header_marks_one_entry_and_its_group(pages, role, url, label, group):
    page = BeautifulSoup(pages(role).get(url).text, "html.parser")
    drawer = page.select_one(".mobile-drawer").extract()  # the phone's copy of the menu
    assert aria_current(page) == [label]
    assert aria_current(drawer) == [label]
    for part in (page.select_one(".navigation-menu"), drawer):
        active = [li for li in part.select(".mainmenu > li.active")]
        assert len(active) == 1
        if group:
            assert active[0].select_one("button").get_text(strip=True) == group
        assert len(part.select("li.current")) == 1
    titles = [t.get_text(strip=True) for t in page.select(".mainmenu > li > .nav-link, button")]
    assert not any("•" in t for t in titles)
    assert page.select_one("button.js-menu-open").get_text(strip=True) == "Menu"
    scripts = [s["src"] for s in page.select("script[src]")]
    assert any(s.endswith("dkfds/js/dkfds.min.js") for s in scripts)
    assert any(s.endswith("dkfds-init.js") for s in scripts)


def test_the_mentor_referral_list_is_titled_as_its_entry(pages):
    page = BeautifulSoup(pages("mentor").get("/henvisninger").text, "html.parser")
    assert page.h1.get_text(strip=True) == "Mine henvisninger"
    assert re.match(r"Mine henvisninger – ", page.title.get_text())
