"""Checkboxes, radios and tables in Chromium at a desk (1280×800) and on a phone (390×844).

Every visible checkbox and radio must draw a box inside the viewport beside its label, and a
click on the label must toggle it; the refund table must show Udgift, Refusion and I alt
without scrolling sideways at 1280 px, and stack its rows as cards on a phone.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from logbook.approval import month_start
from service.auth.models import Role
from service.core import clock
from service.corps import cover
from tests.browser.conftest import LiveServer, login

pytestmark = pytest.mark.browser

DESK = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SIZES = pytest.mark.parametrize("size", [DESK, PHONE], ids=["1280", "390"])
NEAR = 40  # px: the label's box is at most this far from its input's box

# Each visible checkbox or radio: its box, its label's box (scrolled into view first), the
# viewport, and the element on top at the box's centre (the input itself or its label).
CONTROLS_JS = """
(selector) => {
  const root = selector ? document.querySelector(selector) : document;
  const shown = el => {
    if (el.closest('details:not([open])')) return false;
    const style = getComputedStyle(el);
    return style.display !== 'none' && style.visibility !== 'hidden'
      && el.getClientRects().length > 0;
  };
  const box = r => ({x: r.x, y: r.y, width: r.width, height: r.height});
  return [...root.querySelectorAll('input[type=checkbox], input[type=radio]')]
    .filter(el => !el.hidden && el.closest('[hidden]') === null)
    .map(el => {
      el.scrollIntoView({block: 'center', inline: 'nearest'});
      const label = el.labels && el.labels[0];
      const r = el.getBoundingClientRect();
      const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return {
        id: el.id,
        shown: shown(el),
        box: box(r),
        label: label ? box(label.getBoundingClientRect()) : null,
        labelText: label ? label.textContent.trim() : '',
        onTop: top === el || (label !== null && label !== undefined && label.contains(top)),
        viewport: {width: document.documentElement.clientWidth, height: window.innerHeight},
      };
    });
}
"""


def gap(a: dict, b: dict) -> float:
    """The distance between two boxes (0 when they touch or overlap)."""
    dx = max(b["x"] - (a["x"] + a["width"]), a["x"] - (b["x"] + b["width"]), 0)
    dy = max(b["y"] - (a["y"] + a["height"]), a["y"] - (b["y"] + b["height"]), 0)
    return max(dx, dy)


def control_problems(page, selector: str | None = None) -> tuple[int, list[str]]:
    """(visible controls checked, what is wrong with them)."""
    problems, count = [], 0
    for c in page.evaluate(CONTROLS_JS, selector):
        if not c["shown"]:
            continue
        count += 1
        b, v, name = c["box"], c["viewport"], f"{c['id']} ({c['labelText'][:40]})"
        if b["width"] <= 0 or b["height"] <= 0:
            problems.append(f"{name}: no box {b}")
        if b["x"] < 0 or b["y"] < 0 or b["x"] + b["width"] > v["width"]:
            problems.append(f"{name}: outside the viewport {b}")
        elif b["y"] + b["height"] > v["height"]:
            problems.append(f"{name}: below the viewport {b}")
        if c["label"] is None:
            problems.append(f"{name}: no label")
        elif gap(b, c["label"]) > NEAR:
            problems.append(f"{name}: label {c['label']} far from the box {b}")
        if not c["onTop"]:
            problems.append(f"{name}: covered by another element")
    return count, problems


def label_toggles(page, selector: str | None = None, most: int = 12) -> list[str]:
    """Click the labels of up to `most` visible controls, spread over the page; the ones
    whose state did not change.

    A click lands where a person's would, on the label's box: for a table cell's label (its
    text only for screen readers) that is the drawn box, where the input itself lies on top.
    """
    ids = [
        c["id"]
        for c in page.evaluate(CONTROLS_JS, selector)
        if c["shown"] and c["label"] is not None
    ]
    step = max(1, -(-len(ids) // most))
    wrong = []
    for control_id in ids[::step]:
        control = page.locator(f"#{control_id}")
        label = page.locator(f"label[for='{control_id}']")
        before = control.is_checked()
        label.click(force=True)
        after = control.is_checked()
        if control.get_attribute("type") == "radio":
            if not after:
                wrong.append(control_id)
        elif after == before:
            wrong.append(control_id)
        else:
            label.click(force=True)  # back as it was
    return wrong


def absence_with_citizens(server: LiveServer) -> int:
    """An upcoming absence of a mentor with active citizens: its page has the cover table."""
    with Session(server.engine) as session:
        rows = cover.upcoming_absences(session, clock.today())
    found = [row.absence.id for row in rows if row.citizens]
    assert found, "the demo has an upcoming absence of a mentor with citizens"
    return found[0]


def previous_month() -> tuple[str, str]:
    """The last whole month before today, as the refund page's from/to."""
    end = month_start(clock.today()) - timedelta(days=1)
    return month_start(end).isoformat(), end.isoformat()


PAGES = {
    Role.coordinator: [
        "/mentorer",
        "/mentorer/ny",
        "/matchning/plan",
        "/matchning/afloesning/{absence}",
        "/notifikationer",
    ],
    Role.caseworker: ["/henvisninger/ny"],
    Role.mentor: ["/min-profil", "/notifikationer"],
    Role.admin: ["/refusion/regler"],
}


@SIZES
@pytest.mark.parametrize("role", list(PAGES), ids=[r.value for r in PAGES])
def test_every_checkbox_and_radio_is_drawn_beside_its_label(page, live_server, role, size):
    page.set_viewport_size(size)
    login(page, live_server, role)
    absence = absence_with_citizens(live_server)
    for path in PAGES[role]:
        page.goto(live_server.url + path.format(absence=absence))
        assert page.title(), path
        count, problems = control_problems(page)
        assert problems == [], f"{path} at {size['width']} px"
        assert label_toggles(page) == [], f"{path} at {size['width']} px"
        if path != "/mentorer":
            assert count > 0, f"{path}: no visible checkbox or radio"


@SIZES
def test_plan_table_checkboxes_sit_in_their_rows(page, live_server, size):
    page.set_viewport_size(size)
    login(page, live_server, Role.coordinator)
    page.goto(f"{live_server.url}/matchning/plan")
    rows = page.locator("#plan tbody tr")
    assert rows.count() > 0, "the demo has accepted referrals to plan"
    for index in range(rows.count()):
        row = rows.nth(index)
        box = row.locator("input[type=checkbox]")
        box.scroll_into_view_if_needed()
        inner, outer = box.bounding_box(), row.bounding_box()
        assert inner and outer
        assert (
            outer["y"] <= inner["y"]
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"]
        ), (inner, outer)
    first = rows.first.locator("input[type=checkbox]")
    assert first.is_checked()
    page.locator(f"label[for='{first.get_attribute('id')}']").click(force=True)
    assert not first.is_checked()
    # The subset checkboxes, once their <details> is open.
    page.locator("#subset-form").locator("xpath=..").locator("summary").click()
    count, problems = control_problems(page, "#subset-form")
    assert count > 0 and problems == []


def open_refund_month(page, server: LiveServer) -> None:
    login(page, server, Role.finance)
    start, end = previous_month()
    page.goto(f"{server.url}/refusion?from={start}&to={end}")
    assert page.locator("#refund-rows tbody tr[data-citizen]").count() > 0


def test_refund_table_fits_at_1280_with_the_totals_in_view(page, live_server):
    page.set_viewport_size(DESK)
    open_refund_month(page, live_server)
    for table in ("#refund-rows", "#refund-categories"):
        widths = page.evaluate(
            """(t) => { const box = document.querySelector(t).parentElement;
                return [box.scrollWidth, box.clientWidth]; }""",
            table,
        )
        assert widths[0] <= widths[1], f"{table} scrolls sideways: {widths}"
    total = page.locator('#refund-rows tr[data-row="total"]')
    total.scroll_into_view_if_needed()
    for field in ("cost", "refund"):
        cell = total.locator(f'[data-field="{field}"]')
        box = cell.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= DESK["width"], field
        assert cell.inner_text().endswith("kr.")
    for header in ("Udgift", "Refusion"):
        th = page.locator("#refund-rows thead th", has_text=header).first
        box = th.bounding_box()
        assert box and box["x"] + box["width"] <= DESK["width"], header
    assert page.locator("#rounding-note").is_visible()


def test_refund_scroll_regions_are_focusable_and_named(page, live_server):
    page.set_viewport_size(DESK)
    open_refund_month(page, live_server)
    regions = page.evaluate(
        """() => [...document.querySelectorAll('table')].map(t => t.parentElement)
             .filter(el => getComputedStyle(el).overflowX === 'auto')
             .map(el => [el.tabIndex, el.getAttribute('role'),
                         el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')])"""
    )
    assert regions, "the refund tables sit in scroll regions"
    for tab_index, role, name in regions:
        assert tab_index == 0 and role == "region" and name


def test_refund_table_stacks_as_cards_on_a_phone(page, live_server):
    page.set_viewport_size(PHONE)
    open_refund_month(page, live_server)
    widths = page.evaluate(
        """() => { const box = document.querySelector('#refund-rows').parentElement;
            return [box.scrollWidth, box.clientWidth, document.documentElement.scrollWidth]; }"""
    )
    assert widths[0] <= widths[1] and widths[2] <= PHONE["width"], widths
    assert not page.locator("#refund-rows thead").is_visible()
    cost = page.locator('#refund-rows tbody tr[data-citizen] [data-field="cost"]').first
    title = cost.evaluate("el => getComputedStyle(el, '::before').content")
    assert "Udgift" in title
    total = page.locator('#refund-rows tr[data-row="total"] [data-field="refund"]')
    total.scroll_into_view_if_needed()
    box = total.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
