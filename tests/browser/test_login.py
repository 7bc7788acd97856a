"""Each demo role logs in through the login page in Chromium and sees its own navigation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from service.auth.models import Role
from service.web.navigation import MENUS
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("role", ["admin", "coordinator", "caseworker", "mentor", "finance"])
def test_each_role_logs_in_and_sees_its_menu(page, live_server, role):
    login(page, live_server, role)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Velkommen")
    menu = page.get_by_role("navigation", name="Hovedmenu")
    labels = {a.strip() for a in menu.get_by_role("link").all_inner_texts()}
    labels |= {b.strip() for b in menu.get_by_role("button").all_inner_texts()}  # groups
    expected = {entry.label for entry in MENUS[Role(role)]}
    assert labels == expected
    assert ("Administration" in labels) == (role == "admin")  # Brugere, Logning, ...


def test_wrong_password_shows_a_danish_message(page, live_server):
    page.goto(f"{live_server.url}/log-ind")
    page.get_by_label("E-mail").fill(live_server.logins["mentor"])
    page.get_by_label("Adgangskode").fill("forkert-adgangskode")
    page.get_by_role("button", name="Log ind").click()
    assert page.get_by_role("alert").inner_text().strip() == "Forkert e-mail eller adgangskode."
    assert page.get_by_label("E-mail").input_value() == live_server.logins["mentor"]


def test_logout_returns_to_login(page, live_server):
    login(page, live_server, Role.finance)
    page.get_by_role("button", name="Log ud").click()
    expect(page).to_have_url(f"{live_server.url}/log-ind")
    assert "Du er logget ud." in page.content()
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/log-ind")


def test_admin_creates_a_user_with_a_short_password_and_sees_the_field_error(page, live_server):
    login(page, live_server, Role.admin)
    page.goto(f"{live_server.url}/admin/brugere")
    page.get_by_label("Navn").fill("Ny Mentor")
    page.get_by_label("E-mail").fill("ny.mentor@demo.dk")
    page.get_by_label("Rolle").select_option("mentor")
    page.locator("#field-password").fill("kort")
    page.get_by_role("button", name="Opret bruger").click()
    assert "Adgangskoden skal være mindst 12 tegn." in page.locator("#error-password").inner_text()
    assert page.get_by_label("Navn").input_value() == "Ny Mentor"
