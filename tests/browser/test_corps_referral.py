"""The referral in Chromium: the caseworker's form, the coordinator's inbox and the return."""

from __future__ import annotations

import re

import pytest

from service.auth.models import Role
from tests.browser.conftest import login, open_from_menu

pytestmark = pytest.mark.browser


def sign_in(page, server, role: Role) -> None:
    """Log in as the demo user of `role` through the login form."""
    login(page, server, role)


def open_page(page, url: str, ready) -> None:
    """Open `url`; what a POST saved is there at once (the commit precedes the answer)."""
    page.goto(url)
    assert ready(page), url


def controls_without_label(page, form: str) -> list[str]:
    """The visible form controls inside `form` that no <label> names."""
    return page.evaluate(
        """(form) => [...document.querySelectorAll(form + ' input, ' + form + ' select, '
                    + form + ' textarea')]
            .filter(el => el.type !== 'hidden' && !el.hidden)
            .filter(el => !el.labels || el.labels.length === 0)
            .map(el => el.name + '#' + el.id)""",
        form,
    )


def test_caseworker_fills_corrects_and_submits_then_coordinator_accepts(page, live_server, browser):
    sign_in(page, live_server, Role.caseworker)
    open_from_menu(page, "Ny henvisning")
    assert page.get_by_role("heading", level=1).count() == 1
    assert controls_without_label(page, "#referral-form") == []

    # Keyboard: type the CPR, Tab to the name, the focus ring is visible.
    page.get_by_label("CPR-nummer").focus()
    page.keyboard.type("150385-1234")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "field-name"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    page.keyboard.type("Lise Lærke")
    page.get_by_label("Telefon").fill("20 30 40 50")
    page.get_by_label("Bydel eller distrikt").fill("Brabrand")

    # Sub-goals: add a row, fill three, remove one.
    rows = page.locator("#sub-goal-rows .sub-goal-row")
    assert rows.count() == 5
    page.get_by_role("button", name="Tilføj delmål").click()
    assert rows.count() == 6
    assert page.evaluate("document.activeElement.id") == "sub-goal-6"
    page.get_by_label("Delmål 1", exact=True).fill("Møde stabilt to dage om ugen")
    page.get_by_label("Delmål 2", exact=True).fill("Slettes igen")
    page.get_by_label("Delmål 6", exact=True).fill("Tage bussen alene til praktikken")
    page.get_by_role("button", name="Fjern delmål 2").click()
    assert rows.count() == 5
    goals = [v for v in rows.locator("input").evaluate_all("els => els.map(e => e.value)") if v]
    assert goals == ["Møde stabilt to dage om ugen", "Tage bussen alene til praktikken"]

    page.get_by_label("Personlig vejleder og støtte").check()
    page.get_by_label("Struktur i hverdagen").check()
    page.get_by_label("Social angst").check()
    page.get_by_label("Bevilgede timer pr. uge").fill("2,5")
    page.get_by_label("Startdato").fill("2026-02-02")
    page.get_by_label("Slutdato").fill("2026-12-18")

    # Without consent the health field is closed; with it, open.
    health = page.get_by_label("Helbredsoplysninger af betydning for mentorens arbejde")
    assert health.is_disabled()
    page.get_by_label("Borgeren har givet samtykke til udveksling af oplysninger").check()
    assert health.is_enabled()
    health.fill("Social angst, i behandling hos egen læge.")

    # Submit without the goal: the Danish error sits by the field, nothing is lost.
    page.get_by_role("button", name="Send henvisning").click()
    error = page.locator("#error-job_goal")
    assert "Skriv borgerens job- eller uddannelsesmål." in error.inner_text()
    goal = page.get_by_label("Job- eller uddannelsesmål")
    assert goal.get_attribute("aria-invalid") == "true"
    assert page.get_by_label("CPR-nummer").input_value() == "150385-1234"
    assert page.get_by_label("Navn", exact=True).input_value() == "Lise Lærke"
    assert page.get_by_label("Bevilgede timer pr. uge").input_value() == "2,5"
    assert page.get_by_label("Delmål 1", exact=True).input_value() == goals[0]
    assert page.get_by_label("Delmål 2", exact=True).input_value() == goals[1]
    assert page.get_by_label("Personlig vejleder og støtte").is_checked()
    assert page.get_by_label("Social angst").is_checked()
    assert health.is_enabled() and health.input_value().startswith("Social angst")

    # Correct and submit.
    goal.fill("Praktik i en genbrugsbutik med henblik på fleksjob")
    page.get_by_role("button", name="Send henvisning").click()
    page.wait_for_url(re.compile(r".*/henvisninger/\d+$"))
    referral_id = int(page.url.rsplit("/", 1)[1])

    def listed(p) -> bool:
        return p.locator(f"#referrals tr[data-referral='{referral_id}']").count() == 1

    open_page(page, f"{live_server.url}/henvisninger", listed)
    assert page.get_by_role("heading", level=1).inner_text() == "Mine henvisninger"
    row = page.locator(f"#referrals tr[data-referral='{referral_id}']")
    assert "Lise Lærke" in row.inner_text() and row.locator(".status").inner_text() == "Modtaget"
    assert "150385-xxxx" in row.inner_text()

    # The coordinator finds it in the inbox and accepts it.
    context = browser.new_context(locale="da-DK")
    coordinator = context.new_page()
    try:
        sign_in(coordinator, live_server, "coordinator")
        open_from_menu(coordinator, "Indbakke")
        inbox_row = coordinator.locator(f"#inbox tr[data-referral='{referral_id}']")
        assert "arbejdsdag" in inbox_row.inner_text()
        inbox_row.get_by_role("link", name="Lise Lærke").click()
        assert coordinator.locator("#consent").inner_text() == "Borgeren har givet samtykke"
        coordinator.get_by_role("button", name="Godkend").click()
        open_page(
            coordinator,
            f"{live_server.url}/henvisninger/{referral_id}",
            lambda p: (
                p.locator("#status").count() == 1
                and p.locator("#status").inner_text() == "Godkendt"
            ),
        )
    finally:
        context.close()


def test_coordinator_returns_with_reason_and_caseworker_corrects_and_resubmits(
    page, live_server, browser
):
    context = browser.new_context(locale="da-DK")
    coordinator = context.new_page()
    try:
        sign_in(coordinator, live_server, "coordinator")
        coordinator.goto(f"{live_server.url}/henvisninger/indbakke")
        coordinator.locator("#inbox").get_by_role("link", name="Bo Christensen").click()
        referral_id = int(coordinator.url.rsplit("/", 1)[1])
        form = coordinator.locator("#action-return")
        form.get_by_role("button", name="Send retur").click()
        assert (
            "Skriv en begrundelse."
            in coordinator.locator("#action-return #error-reason").inner_text()
        )
        coordinator.locator("#action-return").get_by_label(re.compile("^Begrundelse")).fill(
            "Beskriv hvor mange timer det frivillige arbejde er på."
        )
        coordinator.locator("#action-return").get_by_role("button", name="Send retur").click()
        coordinator.wait_for_url(f"{live_server.url}/henvisninger/{referral_id}")
    finally:
        context.close()

    sign_in(page, live_server, Role.caseworker)
    row = page.locator(f"#referrals tr[data-referral='{referral_id}']")
    open_page(
        page,
        f"{live_server.url}/henvisninger",
        lambda p: row.count() == 1 and row.locator(".status").inner_text() == "Sendt retur",
    )
    assert row.locator(".reason").inner_text() == (
        "Beskriv hvor mange timer det frivillige arbejde er på."
    )
    row.get_by_role("link", name=re.compile("Ret og send igen")).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ret og send henvisningen igen"
    assert controls_without_label(page, "#referral-form") == []
    assert page.get_by_label("CPR-nummer").input_value() == "220987-1235"
    assert page.get_by_label("Delmål 1", exact=True).input_value() == (
        "Frivilligt arbejde et par timer om ugen"
    )
    page.get_by_label("Delmål 1", exact=True).fill("Frivilligt arbejde 2 timer hver tirsdag")
    page.get_by_role("button", name="Gem og send igen").click()
    page.wait_for_url(f"{live_server.url}/henvisninger/{referral_id}")
    open_page(
        page,
        f"{live_server.url}/henvisninger/{referral_id}",
        lambda p: (
            p.locator("#status").count() == 1 and p.locator("#status").inner_text() == "Modtaget"
        ),
    )
    assert "Frivilligt arbejde 2 timer hver tirsdag" in page.locator("#sub-goals").inner_text()
    assert "Rettet: delmål." in page.locator("#history").inner_text()
