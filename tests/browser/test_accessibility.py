"""Every page of every demo role in Chromium, at 1280 × 800 and at a 390 × 844 phone: axe-core
finds no violation, no table scrolls sideways at 1280 px, and every visible checkbox and
radio has a box of its own in the viewport beside its label.

Each role logs in once; its pages are visited in one browser context, first all at the desk
size, then all at the phone size. The scan of a role runs once and its three kinds of
findings are asserted by three tests, so a failure names each page, size, rule and element.
The first tests show that each check finds what it looks for.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

import pytest
from playwright.sync_api import Error as PlaywrightError

from service.auth.models import Role
from tests.browser.a11y import (
    ANONYMOUS_URLS,
    DESK,
    PHONE,
    Finding,
    bad_checkboxes,
    report,
    role_urls,
    run_axe,
    wide_tables,
)
from tests.browser.conftest import LiveServer, login

pytestmark = pytest.mark.browser

ROLES = ["anonymous", *(role.value for role in Role)]
Kind = Literal["axe", "tables", "checkboxes"]
_scans: dict[str, dict[Kind, list[Finding]] | Exception] = {}
_urls: list[list[str]] = []


@pytest.fixture
def desk_page(browser) -> Iterator:
    context = browser.new_context(viewport=DESK, locale="da-DK")
    yield context.new_page()
    context.close()


def _open(page, base: str, url: str, seen: set[str], errors: set[int]) -> bool:
    """Open the page; False when there is nothing new to check: not an HTML page (a
    download, JSON), a redirect to a page seen before, or an error status seen before."""
    try:
        response = page.goto(base + url, wait_until="load")
    except PlaywrightError as error:
        if "Download is starting" in error.message:
            return False
        raise
    if response is None or "text/html" not in response.headers.get("content-type", ""):
        return False
    landed = page.url.removeprefix(base)
    if landed in seen or (response.status >= 400 and response.status in errors):
        return False
    seen.add(landed)
    if response.status >= 400:
        errors.add(response.status)
    return True


def _check(page, base: str, size: str, found: dict[Kind, list[Finding]]) -> None:
    url = page.url.removeprefix(base)
    found["axe"] += run_axe(page, url, size)
    found["checkboxes"] += bad_checkboxes(page, url, size)
    if size == "1280":
        found["tables"] += wide_tables(page, url, size)


def _scan(browser, server: LiveServer, role: str, urls: list[str]) -> dict[Kind, list[Finding]]:
    found: dict[Kind, list[Finding]] = {"axe": [], "tables": [], "checkboxes": []}
    context = browser.new_context(viewport=DESK, locale="da-DK")
    try:
        page = context.new_page()
        if role != "anonymous":
            login(page, server, Role(role))
        seen: set[str] = set()
        errors: set[int] = set()
        for url in urls:
            if not _open(page, server.url, url, seen, errors):
                continue
            # The same page, laid out again at each size (the CSS and DKFDS's scripts
            # follow the viewport): one load and one axe-core per page.
            _check(page, server.url, "1280", found)
            page.set_viewport_size(PHONE)
            _check(page, server.url, "390", found)
            page.set_viewport_size(DESK)
    finally:
        context.close()
    return found


def scan(browser, server: LiveServer, role: str) -> dict[Kind, list[Finding]]:
    """Visit every page of the role at both sizes (once for the three tests of a role);
    the findings by kind."""
    if role not in _scans:
        if not _urls:
            _urls.append(role_urls(server))
        urls = ANONYMOUS_URLS if role == "anonymous" else _urls[0]
        try:
            _scans[role] = _scan(browser, server, role, urls)
        except Exception as error:
            _scans[role] = error
    result = _scans[role]
    if isinstance(result, Exception):
        raise result
    return result


# The checks find what they look for.


def test_axe_finds_an_image_without_text(desk_page, live_server):
    desk_page.goto(f"{live_server.url}/log-ind")
    assert not [f for f in run_axe(desk_page, "/log-ind", "1280") if f.rule == "image-alt"]
    desk_page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        " '<img src=\"/static/dkfds/img/svg-icons/check-white.svg\">')"
    )
    found = run_axe(desk_page, "/log-ind", "1280")
    assert [f for f in found if f.rule == "image-alt" and f.target == "img"], found


def test_the_table_check_finds_a_table_wider_than_its_box(desk_page, live_server):
    desk_page.goto(f"{live_server.url}/log-ind")
    assert wide_tables(desk_page, "/log-ind", "1280") == []
    desk_page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        ' \'<div class="table--responsive-scroll"><table id="wide"><tr>\''
        " + '<td>Udgift og refusion i alt</td>'.repeat(60) + '</tr></table></div>')"
    )
    found = wide_tables(desk_page, "/log-ind", "1280")
    assert [f.target for f in found] and all(f.target == "table#wide" for f in found), found


def test_the_checkbox_check_finds_a_box_away_from_its_label_or_not_drawn(desk_page, live_server):
    desk_page.goto(f"{live_server.url}/log-ind")
    assert bad_checkboxes(desk_page, "/log-ind", "1280") == []
    desk_page.evaluate(
        """document.querySelector('main').insertAdjacentHTML('beforeend',
        '<div class="form-group-checkbox"><input type="checkbox" id="near"'
        + ' class="form-checkbox"><label for="near">Ved siden af</label></div>'
        + '<div class="form-group"><input type="checkbox" id="far" class="form-checkbox">'
        + '<p>Tekst imellem</p><label for="far">Langt væk</label></div>'
        + '<div class="form-group-checkbox"><input type="checkbox" id="faded"'
        + ' class="form-checkbox"><span>Ingen label</span></div>'
        + '<div><input type="checkbox" id="bare"><label for="bare">Uden klasse</label></div>'
        + '<div><input type="checkbox" id="away" class="form-checkbox">'
        + '<label for="away">Uden sin gruppe</label></div>')"""
    )
    found = {f.target: f.help for f in bad_checkboxes(desk_page, "/log-ind", "1280")}
    assert "input#near" not in found, found
    assert "draws no box" in found["input#far.form-checkbox"], found
    assert "draws no box" in found["input#faded.form-checkbox"], found
    assert "has no size" in found["input#bare"], found  # DKFDS draws no bare checkbox
    assert "away from its label" in found["input#away.form-checkbox"], found


# Every page of every role.


@pytest.mark.parametrize("role", ROLES)
def test_axe_finds_no_violation(browser, live_server, role):
    found = scan(browser, live_server, role)["axe"]
    assert not found, report(found)


@pytest.mark.parametrize("role", ROLES)
def test_no_table_scrolls_sideways_at_1280(browser, live_server, role):
    found = scan(browser, live_server, role)["tables"]
    assert not found, report(found)


@pytest.mark.parametrize("role", ROLES)
def test_every_checkbox_and_radio_shows_its_box_beside_its_label(browser, live_server, role):
    found = scan(browser, live_server, role)["checkboxes"]
    assert not found, report(found)
