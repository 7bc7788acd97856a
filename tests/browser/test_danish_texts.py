"""Issue 13's text items as a person sees them in Chromium: the access document reached from
the referral page and worded for the citizen, admin pages without codes, notifications
without paths, one name per time category, and an inbox whose waiting ages differ."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, col, select

from reports.core.danish import month_bounds
from service.auth.models import Role
from service.core import clock
from service.corps.models import Referral
from tests.browser.conftest import login, open_from_menu
from vocabulary.corps import REFERRAL_STATUSES
from vocabulary.logbook import TIME_CATEGORIES

pytestmark = pytest.mark.browser

# What the access document showed before: codes and ids instead of words.
CODE_WORDS = re.compile(
    r"\b(active|submitted|accepted|citizen \d|referral \d|mentor_agreement|time_entry)\b|#\d"
)


def active_referral(server) -> int:
    with Session(server.engine) as session:
        found = session.exec(
            select(Referral.id).where(Referral.status == "active").order_by(col(Referral.id))
        ).first()
    assert found is not None
    return found


def test_the_access_document_is_linked_and_speaks_danish(page, live_server):
    login(page, live_server, Role.coordinator)
    page.goto(f"{live_server.url}/henvisninger/{active_referral(live_server)}")
    page.locator("#access-link a").click()
    expect(page).to_have_url(re.compile(r"/borgere/\d+/aktindsigt$"))
    text = page.locator("main").inner_text()
    assert CODE_WORDS.search(text) is None, CODE_WORDS.search(text)
    assert REFERRAL_STATUSES["active"] in text
    assert "Overvejelser" not in text


def test_admin_pages_show_names_not_codes(page, live_server):
    login(page, live_server, Role.admin)
    open_from_menu(page, "Logning")
    posts = page.locator("#audit tbody tr td:nth-child(5)").all_inner_texts()
    assert posts and not any(re.search(r"#\d", post) for post in posts)
    open_from_menu(page, "Planlagte job")
    titles = page.locator(".job-title").all_inner_texts()
    assert titles and not any("_" in title for title in titles)
    assert "day_of_week" not in page.locator("main").inner_text()
    expect(page.get_by_role("button", name=re.compile("Kør nu")).first).to_be_visible()


def test_notifications_carry_no_paths(page, live_server):
    login(page, live_server, Role.coordinator)
    page.goto(f"{live_server.url}/notifikationer")
    text = page.locator("main").inner_text()
    assert re.search(r"/(matchning|henvisninger|logbog|tid)/", text) is None
    assert re.search(r"\b1 ulæste\b", page.locator("body").inner_text()) is None


def last_month() -> str:
    start, end = month_bounds(clock.today().replace(day=1) - timedelta(days=1))
    return f"/refusion?from={start}&to={end}"


@pytest.mark.parametrize(("role", "path"), [(Role.mentor, "/tid"), (Role.finance, None)])
def test_one_name_per_time_category_on_time_and_refund_pages(page, live_server, role, path):
    login(page, live_server, role)
    path = path or last_month()
    page.goto(f"{live_server.url}{path}")
    text = page.locator("main").inner_text(), page.locator("main").inner_html()
    assert not any("Personlig kontakt med borgeren" in shown for shown in text)
    assert any(TIME_CATEGORIES["citizen_contact"] in shown for shown in text)


def test_the_inbox_shows_how_long_each_referral_has_waited(page, live_server):
    login(page, live_server, Role.coordinator)
    open_from_menu(page, "Indbakke")
    ages = page.locator("td.age").all_inner_texts()
    assert len(set(ages)) >= 3, ages
