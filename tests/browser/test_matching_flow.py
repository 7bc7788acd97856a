"""Matching in Chromium: the coordinator reads ranked suggestions and assigns with one click."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from service.auth.models import Role
from tests.browser.conftest import login, open_from_menu

pytestmark = pytest.mark.browser

CITIZEN = "Kim Larsen"  # an accepted demo referral without a mentor (several fit)


def open_referral(page, server) -> None:
    """From the menu: Henvisninger, then the citizen's accepted referral."""
    open_from_menu(page, "Henvisninger")
    page.locator("#referrals").get_by_role("link", name=CITIZEN, exact=True).click()
    expect(page.locator("#status")).to_have_text("Godkendt")


def test_coordinator_assigns_the_top_suggestion_and_opens_the_agreement(page, live_server):
    login(page, live_server, Role.coordinator)
    open_referral(page, live_server)

    # Ranked suggestions, each with its points and a Danish reason per criterion.
    items = page.locator("#suggestions li.suggestion")
    assert items.count() >= 2
    scores = [int(s) for s in items.evaluate_all("els => els.map(e => e.dataset.score)")]
    assert scores == sorted(scores, reverse=True)
    top = items.first
    expect(top.get_by_text("Bedste forslag")).to_be_visible()
    points = [int(p) for p in top.locator("td.points").all_inner_texts()]
    assert sum(points) == scores[0] and points
    assert f"{scores[0]} point" in top.locator(".score").inner_text()
    reasons = [t.strip() for t in top.locator("td.explanation").all_inner_texts()]
    assert all(reasons) and "Erfaring med social angst" in reasons
    top_name = top.locator("h3").inner_text().split(f" {scores[0]} point")[0].strip()

    # A mentor that is not the top suggestion, without a reason: a Danish error by the field.
    second = items.nth(1)
    second_id = second.get_attribute("data-mentor")
    second.get_by_role("button", name="Tildel").click()
    error = page.locator(f"#error-reason-{second_id}")
    expect(error).to_contain_text(
        "Skriv hvorfor du vælger en anden mentor end det øverste forslag."
    )
    expect(page.locator(f"#reason-{second_id}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#status")).to_have_text("Godkendt")

    # One click assigns the top suggestion; the course is active.
    page.locator("#suggestions li.suggestion").first.get_by_role("button", name="Tildel").click()
    expect(page.locator("#status")).to_have_text("Aktiv")
    expect(page.get_by_text(f"{top_name} er tildelt som mentor.")).to_be_visible()
    expect(page.locator("#mentor")).to_contain_text(top_name)
    assert page.locator("#suggestions").count() == 0

    # The printable agreement names the mentor; the page's own links are not printed.
    page.locator("#agreements").get_by_role("link", name=re.compile("Mentoraftale")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentoraftale")
    expect(page.locator("#mentor-name")).to_have_text(top_name)
    expect(page.locator("#complaint")).to_contain_text("Ankestyrelsen")
    page.emulate_media(media="print")
    expect(page.get_by_text("Tilbage til henvisningen")).to_be_hidden()
    expect(page.locator("#agreement")).to_be_visible()
