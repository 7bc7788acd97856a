"""The header and main menu in Chromium, for every demo role, at 1280 × 800 and 390 × 844.

Every entry opens its page by keyboard (Tab to it, Enter; on a phone through the menu
button) and, on a phone, by tapping; the page it opens carries the entry's label as its
title; exactly one entry is marked current; the menu is one row at 1280 px; the title is
not covered by anything on a phone; the mentor reaches every page in two taps.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from service.auth.models import Role
from service.web.navigation import MENUS, header_links, links_of
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

DESK = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SIZES = {"desk": DESK, "phone": PHONE}

# The labels of the elements marked aria-current="page" that a person can reach: not inside
# a hidden part of the page, though a closed submenu of the menu in use counts.
CURRENT = """() => [...document.querySelectorAll('[aria-current="page"]')].filter((el) => {
  for (let p = el; p; p = p.parentElement) {
    if (p.classList.contains('overflow-menu-inner')) continue;
    if (getComputedStyle(p).display === 'none') return false;
  }
  return true;
}).map((el) => el.textContent.trim())"""

# What the ::before of list items in menus and on caseload cards shows ("•" is a bullet).
BULLETS = """() => [...document.querySelectorAll(
    '.navigation-menu li, .navigation-menu-mobile li, #caseload > li')]
  .map((li) => getComputedStyle(li, '::before').content)
  .filter((c) => c.includes('•'))"""


@dataclass(frozen=True)
class Entry:
    label: str
    href: str
    group: str | None  # the submenu's label, if the entry sits in one


@pytest.fixture(scope="module")
def signed_in(browser, live_server):
    """signed_in(role, size) → a page of a logged-in context, one per role and size."""
    made: dict = {}
    errors: list[str] = []

    def get(role: Role, size: str):
        if (role, size) not in made:
            phone = size == "phone"
            context = browser.new_context(
                viewport=SIZES[size], locale="da-DK", is_mobile=phone, has_touch=phone
            )
            page = context.new_page()
            page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
            login(page, live_server, role)
            made[role, size] = page
        return made[role, size]

    yield get
    for page in made.values():
        page.context.close()
    assert errors == [], "JavaScript errors on the pages"


def menu_entries(page, phone: bool) -> list[Entry]:
    """The entries of the menu in use, read from the page."""
    root = ".navigation-menu-mobile" if phone else ".navigation-menu .nav"
    found = page.evaluate(
        """(root) => [...document.querySelectorAll(root + ' ul.mainmenu > li:not(.more-option)')]
          .flatMap((li) => {
            const button = li.querySelector(':scope > .submenu > button');
            const group = button ? button.textContent.trim() : null;
            return [...li.querySelectorAll('a.nav-link')].map((a) => (
              {label: a.textContent.trim(), href: a.getAttribute('href'), group}));
          })""",
        root,
    )
    return [Entry(**item) for item in found]


def expected_labels(role: Role) -> list[str]:
    return [entry.label for entry in links_of(MENUS[role])]


def title_of(page) -> str:
    return page.title().removesuffix(" – Mentorkorps")


def assert_page_of(page, server, entry: Entry) -> None:
    assert page.url == server.url + entry.href, entry
    title = title_of(page)
    assert title == entry.label or title.startswith(entry.label + " "), (entry, title)


def current_entries(page, phone: bool) -> list[str]:
    """The reachable entries marked current; on a phone with the drawer open, then closed."""
    if not phone:
        return page.evaluate(CURRENT)
    open_drawer_by_keyboard(page)
    found = page.evaluate(CURRENT)
    page.keyboard.press("Escape")
    assert not page.locator(".mobile-drawer").is_visible()
    assert focused(page, page.locator("button.js-menu-open"))
    return found


def focused(page, locator) -> bool:
    return locator.evaluate("(el) => document.activeElement === el")


def tab_to(page, locator, limit: int = 80) -> None:
    """Press Tab until `locator` has the focus (no key if it has it already)."""
    element = locator.element_handle()
    for _ in range(limit):
        if element.evaluate("(el) => document.activeElement === el"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


def open_drawer_by_keyboard(page) -> None:
    tab_to(page, page.locator("button.js-menu-open"))
    page.keyboard.press("Enter")
    drawer = page.locator(".mobile-drawer")
    assert drawer.is_visible()
    assert focused(page, drawer.locator(".js-menu-close"))


def open_by_keyboard(page, entry: Entry, phone: bool) -> list[str]:
    """From the top of the page: (Menu,) (group,) entry; each by Tab and Enter. Returns the
    entries marked current on the page it started from, as the menu in use shows them."""
    root = page.locator(".navigation-menu-mobile" if phone else ".navigation-menu .nav")
    if phone:
        open_drawer_by_keyboard(page)
    current = page.evaluate(CURRENT)
    if entry.group:
        button = root.locator(".submenu > button", has_text=entry.group)
        tab_to(page, button)
        if button.get_attribute("aria-expanded") != "true":
            page.keyboard.press("Enter")
        assert button.get_attribute("aria-expanded") == "true"
    link = root.locator(f'a.nav-link[href="{entry.href}"]')
    tab_to(page, link)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return current


def assert_menu_is_one_row(page) -> None:
    rows = page.evaluate(
        """() => {
          const items = [...document.querySelectorAll('.navigation-menu ul.mainmenu > li')]
            .filter((li) => getComputedStyle(li).display !== 'none');
          return {
            tops: [...new Set(items.map((li) => Math.round(li.getBoundingClientRect().top)))],
            more: items.some((li) => li.classList.contains('more-option')),
            right: Math.max(...items.map((li) => li.getBoundingClientRect().right)),
          };
        }"""
    )
    assert len(rows["tops"]) == 1, rows
    assert not rows["more"], "entries moved into a 'Mere' menu: the row is too narrow"
    assert rows["right"] <= DESK["width"], rows


ROLES = list(Role)


@pytest.mark.parametrize("size", ["desk", "phone"])
@pytest.mark.parametrize("role", ROLES)
def test_every_entry_opens_its_page_by_keyboard(signed_in, live_server, role, size):
    """On a phone through the menu button: Tab to it, Enter, Tab to the entry, Enter."""
    page = signed_in(role, size)
    phone = size == "phone"
    page.goto(live_server.url + "/")
    entries = menu_entries(page, phone)
    assert [e.label for e in entries] == expected_labels(role)
    previous = "Forside"
    for entry in entries:  # each from the page the previous entry opened
        assert open_by_keyboard(page, entry, phone) == [previous]
        assert_page_of(page, live_server, entry)
        if not phone:
            assert_menu_is_one_row(page)
        assert page.evaluate(BULLETS) == []
        previous = entry.label
    assert current_entries(page, phone) == [previous]


@pytest.mark.parametrize("role", ROLES)
def test_every_entry_is_in_the_drawer_the_menu_button_opens(signed_in, live_server, role):
    """Tapping: Menu shows every entry or its group; a group's tap shows its entries."""
    page = signed_in(role, "phone")
    page.goto(live_server.url + "/")
    entries = menu_entries(page, phone=True)
    drawer = page.locator(".mobile-drawer")
    assert not drawer.is_visible()
    page.locator("button.js-menu-open").tap()
    assert drawer.is_visible()
    for entry in entries:
        link = drawer.locator(f'a.nav-link[href="{entry.href}"]')
        if not link.is_visible():
            assert entry.group, entry
            drawer.locator(".submenu > button", has_text=entry.group).tap()
        assert link.is_visible(), entry
    last = entries[-1]
    with page.expect_navigation():
        drawer.locator(f'a.nav-link[href="{last.href}"]').tap()
    assert_page_of(page, live_server, last)


@pytest.mark.parametrize("size", ["desk", "phone"])
@pytest.mark.parametrize("role", ROLES)
def test_header_links_open_by_keyboard_and_are_the_one_current_entry(
    signed_in, live_server, role, size
):
    page = signed_in(role, size)
    phone = size == "phone"
    page.goto(live_server.url + "/")
    for link in header_links(role):
        href = live_server.app.url_path_for(link.route)
        if phone and link.label != "Notifikationer":  # the profile sits in the drawer
            open_drawer_by_keyboard(page)
        target = page.locator(f'header a[href="{href}"]').locator("visible=true")
        tab_to(page, target)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == live_server.url + href
        assert title_of(page) == link.label
        shown = link.label if link.label == "Min profil" else page.locator("#unread-count")
        label = shown if isinstance(shown, str) else shown.inner_text().strip()
        assert current_entries(page, phone) == [label]


@pytest.mark.parametrize("role", ROLES)
def test_the_title_is_not_covered_on_a_phone(signed_in, live_server, role):
    page = signed_in(role, "phone")
    page.goto(live_server.url + "/")
    overlaps = page.evaluate(
        """() => {
          const title = document.querySelector('.solution-heading a');
          const box = title.getBoundingClientRect();
          const inside = box.left >= 0 && box.right <= window.innerWidth && box.width > 0;
          const hits = [...document.querySelectorAll('header *')]
            .filter((el) => !el.contains(title) && !title.contains(el))
            .filter((el) => {
              const style = getComputedStyle(el);
              const r = el.getBoundingClientRect();
              return style.display !== 'none' && style.visibility !== 'hidden'
                && r.width > 0 && r.height > 0
                && r.left < box.right - 0.5 && r.right > box.left + 0.5
                && r.top < box.bottom - 0.5 && r.bottom > box.top + 0.5;
            })
            .map((el) => el.tagName.toLowerCase() + '.' + [...el.classList].join('.'));
          return {inside, hits};
        }"""
    )
    assert overlaps == {"inside": True, "hits": []}
    assert page.locator("button.js-menu-open").is_visible()
    assert page.locator("#unread-count").is_visible()  # the count, one tap away


def test_the_mentor_reaches_every_page_in_two_taps_from_any_page(signed_in, live_server):
    page = signed_in(Role.mentor, "phone")
    page.goto(live_server.url + "/")
    entries = menu_entries(page, phone=True)
    assert all(entry.group is None for entry in entries)
    profile = page.locator(".mobile-drawer .portal-info-mobile a", has_text="Min profil")
    for start in entries:
        page.goto(live_server.url + start.href)
        page.locator("button.js-menu-open").tap()  # tap 1; every entry is then in view
        for entry in entries:
            link = page.locator(f'.navigation-menu-mobile a.nav-link[href="{entry.href}"]')
            assert link.is_visible(), (start.label, entry.label)
        assert profile.is_visible()
        page.locator(".js-menu-close").tap()
        assert page.locator("#unread-count").is_visible()
    page.locator("button.js-menu-open").tap()
    with page.expect_navigation():
        profile.tap()  # tap 2
    assert title_of(page) == "Min profil"
