"""The mentor's day on a phone (390 × 844) in Chromium, and legible charts (issue 13).

Mine borgere → a citizen → a note and its time in one form → back on the citizen's page;
the "shown to the citizen" box is drawn beside its label at 390 and 1280 px; the charts'
text is at least 12 px on the screen and their legends are visible.
"""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from logbook.models import LogbookEntry, TimeEntry
from service.auth.models import Role
from tests.browser.conftest import login
from tests.browser.test_logbook_browser import demo_mentor_referral, open_entry_form
from tests.browser.test_logbook_phone import assert_fits_the_phone

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 800}

# The DKFDS checkbox: the input (transparent) lies on the box its label draws (::before).
CHECKBOX_BOX = """(id) => {
  const input = document.getElementById(id);
  const label = document.querySelector(`label[for="${id}"]`);
  const box = input.getBoundingClientRect();
  const text = label.getBoundingClientRect();
  const before = getComputedStyle(label, '::before');
  return {
    box: [box.x, box.y, box.width, box.height],
    label: [text.x, text.y, text.width, text.height],
    labelPadding: parseFloat(getComputedStyle(label).paddingLeft),
    drawn: before.content !== 'none' && before.borderTopStyle === 'solid'
      && parseFloat(before.borderTopWidth) > 0,
    drawnSize: [parseFloat(before.width), parseFloat(before.height)],
    viewport: [window.innerWidth, document.documentElement.scrollHeight],
  };
}"""

# Every SVG text's font size on the screen (its CSS size times the SVG's scale).
SVG_TEXT_SIZES = """(selector) => [...document.querySelectorAll(selector + ' text')].map((t) => {
  const ctm = t.getScreenCTM();
  return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(ctm.a, ctm.b);
})"""


def assert_box_beside_label(page, checkbox_id: str) -> None:
    found = page.evaluate(CHECKBOX_BOX, checkbox_id)
    x, y, width, height = found["box"]
    lx, ly, _, lheight = found["label"]
    assert found["drawn"] and found["drawnSize"] == [24, 24], found
    assert width == 24 and height == 24, found
    assert x >= 0 and x + width <= found["viewport"][0], found
    assert 0 <= y <= found["viewport"][1], found
    # The box sits at the label's left edge, inside the label's padding, on its first line.
    assert abs(x - lx) <= 1 and x + width <= lx + found["labelPadding"], found
    assert ly - 1 <= y and y + height <= ly + lheight + 1, found


@pytest.fixture
def sized(browser):
    """sized(viewport) → a new page in its own context (one per call)."""
    contexts = []

    def new_page(viewport, mobile=False):
        context = browser.new_context(viewport=viewport, locale="da-DK", is_mobile=mobile)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


def stored_for(server, referral_id: int) -> tuple[int, list[TimeEntry]]:
    with Session(server.engine) as session:
        notes = session.exec(select(LogbookEntry).where(LogbookEntry.referral_id == referral_id))
        times = session.exec(select(TimeEntry).where(TimeEntry.referral_id == referral_id))
        return len(notes.all()), list(times)


def test_the_mentors_day_on_a_phone(sized, live_server):
    referral_id = demo_mentor_referral(live_server)
    tag = uuid.uuid4().hex[:8]
    text = f"Fulgte borgeren til samtale i praktikken ({tag})."
    notes_before, times_before = stored_for(live_server, referral_id)

    mentor = sized(PHONE, mobile=True)
    login(mentor, live_server, Role.mentor)
    mentor.goto(f"{live_server.url}/mine-borgere")
    assert_fits_the_phone(mentor)
    card = mentor.locator(f"#caseload li[data-referral='{referral_id}']")
    card.locator("h2 a").click()
    expect(mentor).to_have_url(f"{live_server.url}/logbog/{referral_id}")
    assert_fits_the_phone(mentor)

    # One form: the note, the time it took and whether the citizen has seen it.
    open_entry_form(mentor)
    mentor.get_by_label("Notat", exact=True).fill(text)
    mentor.get_by_label("Tid brugt (minutter)").fill("30")
    mentor.locator("#field-category").select_option("professional_dialogue")
    assert_box_beside_label(mentor, "field-shown")
    mentor.locator("label[for='field-shown']").click()
    expect(mentor.locator("#field-shown")).to_be_checked()
    assert_fits_the_phone(mentor)

    # A refused time keeps the note typed and stores nothing.
    mentor.get_by_label("Tid brugt (minutter)").fill("2000")
    mentor.get_by_role("button", name="Gem notat").click()
    expect(mentor.locator("#error-minutes")).to_be_visible()
    expect(mentor.get_by_label("Notat", exact=True)).to_have_value(text)
    assert stored_for(live_server, referral_id) == (notes_before, times_before)

    mentor.get_by_label("Tid brugt (minutter)").fill("30")
    mentor.get_by_role("button", name="Gem notat").click()
    expect(
        mentor.get_by_text("Notatet er gemt i logbogen, og tiden (30 min.) er registreret.")
    ).to_be_visible()
    expect(mentor).to_have_url(f"{live_server.url}/logbog/{referral_id}")  # back on the citizen
    entry = mentor.locator("li.lb-entry", has_text=text)
    expect(entry).to_have_count(1)
    expect(entry.locator(".lb-meta").first).to_contain_text("vist for borgeren")
    notes, times = stored_for(live_server, referral_id)
    assert notes == notes_before + 1 and len(times) == len(times_before) + 1
    added = next(t for t in times if t.id not in {b.id for b in times_before})
    assert (added.minutes, added.category) == (30, "professional_dialogue")
    assert_fits_the_phone(mentor)

    # The progress chart's text, if drawn, is legible at the phone's width.
    sizes = mentor.evaluate(SVG_TEXT_SIZES, "svg.lb-chart")
    assert all(size >= 12 for size in sizes), sizes

    # … and back to the list of citizens.
    mentor.locator("#back-to-citizens").click()
    expect(mentor).to_have_url(f"{live_server.url}/mine-borgere")


def test_the_shown_box_is_beside_its_label_at_a_desk(sized, live_server):
    referral_id = demo_mentor_referral(live_server)
    mentor = sized(DESK)
    login(mentor, live_server, Role.mentor)
    mentor.goto(f"{live_server.url}/logbog/{referral_id}")
    open_entry_form(mentor)
    assert_box_beside_label(mentor, "field-shown")
    goals = mentor.locator("input[name=sub_goal_ids]")
    for n in range(goals.count()):
        assert_box_beside_label(mentor, goals.nth(n).get_attribute("id"))


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
def test_key_figure_charts_are_legible(sized, live_server, viewport):
    page = sized(viewport, mobile=viewport is PHONE)
    login(page, live_server, Role.coordinator)
    page.goto(f"{live_server.url}/noegletal")
    charts = page.locator(".kf-chart svg.chart")
    assert charts.count() >= 4
    sizes = page.evaluate(SVG_TEXT_SIZES, ".kf-chart svg.chart")
    assert sizes and min(sizes) >= 12, sizes
    # Every label and value lies inside its chart (nothing cut at the edge).
    outside = page.evaluate(
        """() => [...document.querySelectorAll('.kf-chart svg.chart')].flatMap((svg) => {
          const box = svg.getBoundingClientRect();
          return [...svg.querySelectorAll('text')].filter((t) => {
            const r = t.getBoundingClientRect();
            return r.left < box.left - 1 || r.right > box.right + 1;
          }).map((t) => t.textContent);
        })"""
    )
    assert outside == []
    legend = page.locator("#chart-caseload .chart-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("Rød streg: Kapacitet")
    expect(page.locator("#chart-progress .chart-legend")).to_contain_text("Tilbageskridt")
    if viewport is PHONE:
        assert_fits_the_phone(page)
