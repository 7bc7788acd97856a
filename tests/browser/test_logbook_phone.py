"""A day in the field at phone size (375 × 740) in Chromium.

The demo mentor writes a logbook entry linked to a sub-goal, amends it with a reason and
registers time in the week view; the demo coordinator then reads the amended entry and its
history, and the citizen access document lists both versions. No page visited is wider
than the phone.
"""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from service.corps.models import Referral
from tests.browser.conftest import login
from tests.browser.test_logbook_browser import demo_mentor_referral, open_entry_form

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}

# The elements whose right edge lies beyond the viewport (and are not inside a scroll box).
OVERFLOWING = """() => {
  const width = window.innerWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden') return true;
    }
    return false;
  };
  return {
    overflow: document.documentElement.scrollWidth - width,
    culprits: [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !scrolls(el))
      .slice(0, 5)
      .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                   + (el.className && typeof el.className === 'string'
                      ? '.' + el.className.trim().split(/\\s+/).join('.') : '')),
  };
}"""


def assert_fits_the_phone(page) -> None:
    found = page.evaluate(OVERFLOWING)
    assert found["overflow"] <= 0, (
        f"{page.url} is {found['overflow']}px wider than the phone: {found['culprits']}"
    )


@pytest.fixture
def phone(browser):
    """phone() → a new page in its own 375 × 740 context (one per user)."""
    contexts = []

    def new_page():
        context = browser.new_context(viewport=PHONE, locale="da-DK", is_mobile=True)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


def citizen_of(server, referral_id: int) -> int:
    with Session(server.engine) as session:
        return session.get_one(Referral, referral_id).citizen_id


def test_a_field_day_on_a_phone_from_entry_to_access_document(phone, live_server):
    referral_id = demo_mentor_referral(live_server)
    citizen_id = citizen_of(live_server, referral_id)
    tag = uuid.uuid4().hex[:8]
    first_text = f"Mødtes med borgeren på biblioteket kl. 10 ({tag})."
    amended_text = f"Mødtes med borgeren på jobcentret kl. 10 ({tag})."
    reason = f"Forkert mødested i første udgave ({tag})"
    note = f"Telefonsamtale {tag}"

    # The mentor writes an entry linked to a sub-goal.
    mentor = phone()
    login(mentor, live_server, "mentor")
    mentor.goto(f"{live_server.url}/logbog/{referral_id}")
    assert_fits_the_phone(mentor)
    open_entry_form(mentor)
    mentor.get_by_label("Notat", exact=True).fill(first_text)
    goal = mentor.locator("#field-sub_goal_ids input[type=checkbox]").first
    goal_title = mentor.locator(f"label[for='{goal.get_attribute('id')}']").inner_text().strip()
    goal.check()
    assert_fits_the_phone(mentor)
    mentor.get_by_role("button", name="Gem notat").click()
    expect(mentor.get_by_text("Notatet er gemt i logbogen.")).to_be_visible()
    entry = mentor.locator("li.lb-entry", has_text=first_text)
    expect(entry).to_have_count(1)
    entry_id = entry.get_attribute("id")
    expect(entry).to_have_attribute("data-version", "1")
    expect(entry.locator(".lb-tag", has_text=f"Delmål: {goal_title}")).to_have_count(1)
    assert_fits_the_phone(mentor)

    # … and amends it with a reason.
    entry.get_by_text("Ret notat").click()
    entry.get_by_label("Rettet tekst").fill(amended_text)
    entry.get_by_label("Begrundelse for rettelsen").fill(reason)
    assert_fits_the_phone(mentor)
    entry.get_by_role("button", name="Gem rettelse").click()
    expect(mentor.get_by_text("Notatet er rettet (version 2).")).to_be_visible()
    assert mentor.url.endswith(f"#{entry_id}")
    entry = mentor.locator(f"li#{entry_id}")
    expect(entry).to_have_attribute("data-version", "2")
    expect(entry.locator("p.lb-text").first).to_have_text(amended_text)
    assert_fits_the_phone(mentor)

    # … and registers time in the week view.
    mentor.goto(f"{live_server.url}/tid")
    assert_fits_the_phone(mentor)
    form = mentor.locator("section#ny")
    form.get_by_label("Borger").select_option(str(referral_id))
    form.get_by_label("Minutter").fill("45")
    form.get_by_label("Kategori").select_option("professional_dialogue")
    form.get_by_label("Note").fill(note)
    form.get_by_role("button", name="Registrér", exact=True).click()
    expect(mentor.get_by_text("Tiden er registreret.")).to_be_visible()
    registered = mentor.locator("#entries li.lb-card", has_text=note)
    expect(registered).to_have_count(1)
    expect(mentor.locator(f"#week tr[data-referral='{referral_id}']")).to_be_visible()
    assert_fits_the_phone(mentor)

    # The coordinator sees the amended entry and its history.
    coordinator = phone()
    login(coordinator, live_server, "coordinator")
    coordinator.goto(f"{live_server.url}/logbog/{referral_id}")
    entry = coordinator.locator(f"li#{entry_id}")
    expect(entry).to_have_attribute("data-version", "2")
    expect(entry.get_by_text("rettet (version 2)")).to_be_visible()
    expect(entry.locator("p.lb-text").first).to_have_text(amended_text)
    entry.get_by_text("Tidligere versioner (1)").click()
    history = entry.locator("details.lb-history")
    expect(history.locator("ol > li")).to_have_count(1)
    expect(history.locator("ol > li").first).to_contain_text("Version 1")
    expect(history.locator("ol > li p.lb-text")).to_have_text(first_text)
    expect(history).to_contain_text(f"Begrundelse: {reason}")
    assert_fits_the_phone(coordinator)

    # The citizen access document lists both versions (and the time).
    coordinator.goto(f"{live_server.url}/borgere/{citizen_id}/aktindsigt")
    versions = coordinator.locator(f"div#{entry_id} ol.access-versions > li")
    expect(versions).to_have_count(2)
    expect(versions.nth(0)).to_contain_text("Version 1")
    expect(versions.nth(0).locator("p.lb-text")).to_have_text(first_text)
    expect(versions.nth(1)).to_contain_text("Version 2")
    expect(versions.nth(1)).to_contain_text(f"Begrundelse for rettelse: {reason}")
    expect(versions.nth(1).locator("p.lb-text")).to_have_text(amended_text)
    expect(coordinator.locator("#h-time ~ div table", has_text=note)).to_have_count(1)
    assert_fits_the_phone(coordinator)
