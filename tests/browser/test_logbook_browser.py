"""The logbook in Chromium: markup in an entry is shown as text, never run; the phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, col, select

from service.auth.models import Role, User
from service.corps.models import Mentor, Referral
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

MARKUP = '<script>window.__xss = 1</script><img src="x" onerror="window.__xss = 2"><b>fed</b>'


def demo_mentor_referral(server) -> int:
    """An active referral of the demo mentor (the user behind the `mentor` login)."""
    with Session(server.engine) as session:
        user = session.exec(select(User).where(User.email == server.logins["mentor"])).one()
        mentor = session.exec(select(Mentor).where(Mentor.user_id == user.id)).one()
        referral = session.exec(
            select(Referral)
            .where(Referral.mentor_id == mentor.id, Referral.status == "active")
            .order_by(col(Referral.id))
        ).first()
        assert referral is not None, "the demo mentor needs an active referral"
        return referral.id


def open_entry_form(page) -> None:
    form = page.locator("details#ny")
    if form.get_attribute("open") is None:
        page.get_by_text("Skriv nyt notat").click()


def test_markup_in_an_entry_is_text_in_the_browser(page, live_server):
    referral_id = demo_mentor_referral(live_server)
    login(page, live_server, Role.mentor)
    page.goto(f"{live_server.url}/logbog/{referral_id}")
    open_entry_form(page)
    page.get_by_label("Notat", exact=True).fill(MARKUP)
    page.get_by_role("button", name="Gem notat").click()
    expect(page.get_by_text(MARKUP).first).to_be_visible()
    assert page.evaluate("window.__xss") is None
    assert page.locator("main b", has_text="fed").count() == 0


def test_quick_entry_fits_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="da-DK")
    page = context.new_page()
    referral_id = demo_mentor_referral(live_server)
    login(page, live_server, Role.mentor)
    page.goto(f"{live_server.url}/logbog/{referral_id}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"
    open_entry_form(page)
    box = page.get_by_label("Notat", exact=True).bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375
    context.close()
