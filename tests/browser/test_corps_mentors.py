"""The corps in Chromium: filters, a new mentor profile, rates, and an accessibility sweep."""

from __future__ import annotations

import re

import pytest

from service.auth.models import Role
from tests.browser.test_corps_referral import controls_without_label, open_page, sign_in

pytestmark = pytest.mark.browser


def test_coordinator_filters_the_corps_by_target_group_and_language(page, live_server):
    sign_in(page, live_server, Role.coordinator)
    page.goto(f"{live_server.url}/mentorer")
    everyone = page.locator("#mentors tbody tr").count()
    assert everyone >= 15
    page.get_by_label("Målgruppe").select_option(label="Sprogbarrierer")
    page.get_by_label(re.compile("^Sprog")).select_option(label="kurdisk")
    page.get_by_role("button", name="Filtrér").click()
    names = page.locator("#mentors tbody tr td:first-child a").all_inner_texts()
    assert sorted(names) == ["Hassan Yilmaz", "Rojda Demir"]
    assert page.get_by_label(re.compile("^Sprog")).input_value() == "ku"


def test_coordinator_creates_a_mentor_with_a_user_then_edits_and_prices_them(page, live_server):
    sign_in(page, live_server, Role.coordinator)
    page.goto(f"{live_server.url}/mentorer")
    page.get_by_role("link", name="Ny mentorprofil").click()
    assert controls_without_label(page, "#mentor-form") == []
    page.get_by_label("Navn").fill("Dilan Aziz")
    page.get_by_label("E-mail").fill("dilan.aziz@demo.mentorkorps.dk")
    page.get_by_label("Adgangskode").fill("kort")
    page.get_by_label("kurdisk").check()
    page.get_by_label("Traumer").check()
    page.get_by_label("Distrikt").fill("Tilst")
    page.get_by_label("Timer pr. uge til borgere").fill("18,5")
    page.get_by_role("button", name="Opret mentorprofil").click()
    assert "mindst 12 tegn" in page.locator("#error-password").inner_text()
    assert "Skriv det største antal borgere" in page.locator("#error-max_caseload").inner_text()
    assert page.get_by_label("Navn").input_value() == "Dilan Aziz"
    assert page.get_by_label("Timer pr. uge til borgere").input_value() == "18,5"
    assert page.get_by_label("kurdisk").is_checked()
    page.get_by_label("Adgangskode").fill("en-lang-start-adgangskode")
    page.get_by_label("Maks. antal borgere ad gangen").fill("7")
    page.get_by_role("button", name="Opret mentorprofil").click()
    page.wait_for_url(re.compile(r".*/mentorer/\d+$"))
    mentor_id = int(page.url.rsplit("/", 1)[1])
    open_page(
        page,
        f"{live_server.url}/mentorer/{mentor_id}/ret",
        lambda p: p.get_by_role("heading", level=1).inner_text().endswith("Dilan Aziz"),
    )
    page.get_by_label("Ansættelse").select_option("part_time")
    page.get_by_label("Aktiv (kan få tildelt borgere)").uncheck()
    page.get_by_role("button", name="Gem profil").click()
    page.wait_for_url(f"{live_server.url}/mentorer/{mentor_id}")
    open_page(
        page,
        f"{live_server.url}/mentorer/{mentor_id}",
        lambda p: "Inaktiv" in p.locator("main").inner_text(),
    )
    assert "Deltid" in page.locator("main").inner_text()

    page.goto(f"{live_server.url}/satser?mentor={mentor_id}")
    assert page.get_by_label("Mentor", exact=True).input_value() == str(mentor_id)
    page.get_by_label("Gyldig fra").fill("2026-01-01")
    page.get_by_label("Timesats i kroner").fill("1.012,5")
    page.get_by_role("button", name="Gem timesats").click()
    row = page.locator(f"#rates tr[data-mentor='{mentor_id}']")
    open_page(page, f"{live_server.url}/satser", lambda p: row.locator(".amount").count() == 1)
    assert row.locator(".amount").inner_text() == "1.012,50 kr."


CORPS_PAGES = {
    "coordinator": [
        "/mentorer",
        "/mentorer/ny",
        "/mentorer/1",
        "/mentorer/1/ret",
        "/satser",
        "/fravaer",
        "/henvisninger",
        "/henvisninger/indbakke",
        "/henvisninger/1",
        "/kontakter",
        "/kriseplan",
    ],
    "caseworker": ["/henvisninger/ny", "/henvisninger"],
    "finance": ["/satser"],
}


@pytest.mark.parametrize("role", sorted(CORPS_PAGES))
def test_corps_pages_have_one_h1_labelled_controls_and_captioned_tables(page, live_server, role):
    sign_in(page, live_server, role)
    for path in CORPS_PAGES[role]:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1, path
        assert controls_without_label(page, "main") == [], path
        problems = page.evaluate(
            """() => [...document.querySelectorAll('main table')].flatMap(t => [
                 ...(t.querySelector('caption') ? [] : ['no caption']),
                 ...[...t.querySelectorAll('th')].filter(th => !th.getAttribute('scope'))
                    .map(th => 'th without scope: ' + th.textContent)])"""
        )
        assert problems == [], path
