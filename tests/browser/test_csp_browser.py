"""Under the Content-Security-Policy, Chromium refuses nothing on the pages that used to
carry inline style or script, their styles still apply and their scripts still run."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, col, select

from service.auth.models import Role, User
from service.corps.models import Mentor, Referral
from tests.browser.conftest import LiveServer, login

pytestmark = pytest.mark.browser

# Collects what the CSP refused (Chromium also says so on the console).
WATCH = """
window.__refused = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__refused.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""
REFUSAL_WORDS = ("Content Security Policy", "Refused to")


@pytest.fixture
def watched(browser):
    """A page that records CSP refusals, from the events and from the console."""
    context = browser.new_context(locale="da-DK")
    page = context.new_page()
    page.add_init_script(WATCH)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))

    def refusals() -> list[str]:
        found = [m for m in console if any(w in m for w in REFUSAL_WORDS) or "pageerror" in m]
        return found + page.evaluate("window.__refused || []")

    yield page, refusals
    context.close()


def mentor_referral(server: LiveServer) -> int:
    with Session(server.engine) as session:
        user = session.exec(select(User).where(User.email == server.logins[Role.mentor])).one()
        mentor = session.exec(select(Mentor).where(Mentor.user_id == user.id)).one()
        referral = session.exec(
            select(Referral)
            .where(Referral.mentor_id == mentor.id, Referral.status == "active")
            .order_by(col(Referral.id))
        ).first()
        assert referral is not None
        return referral.id


def test_the_watch_sees_an_inline_style_refused(watched, live_server):
    page, refusals = watched
    page.goto(f"{live_server.url}/log-ind")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')")
    page.wait_for_timeout(200)
    assert refusals(), "the CSP watch must notice an inline style"


def test_mentor_pages_logbook_and_time_week(watched, live_server):
    page, refusals = watched
    login(page, live_server, Role.mentor)
    page.goto(f"{live_server.url}/logbog/{mentor_referral(live_server)}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Logbog")
    card = page.locator(".lb-card").first
    expect(card).to_have_css("border-top-style", "solid")  # static/logbook.css applies
    page.goto(f"{live_server.url}/tid")
    expect(page.locator("#week")).to_be_visible()
    expect(page.locator("p.tw-nav")).to_have_css("display", "flex")  # static/time-week.css
    page.goto(f"{live_server.url}/kriseplan")
    expect(page.get_by_role("button", name="Udskriv")).to_be_visible()
    assert refusals() == []


def test_coordinator_pages_key_figures_and_mentor_bars(watched, live_server):
    page, refusals = watched
    login(page, live_server, Role.coordinator)
    page.goto(f"{live_server.url}/noegletal")
    expect(page.locator("#key-figures")).to_have_css("display", "grid")
    expect(page.locator("#chart-hours svg")).to_be_visible()
    page.goto(f"{live_server.url}/mentorer")
    bar = page.locator("#mentors svg.bar").first
    expect(bar).to_be_visible()
    box = bar.bounding_box()
    assert box and box["width"] > 50 and 5 < box["height"] < 30  # 12rem × 1rem, as before
    page.goto(f"{live_server.url}/borgere/1/aktindsigt")
    expect(page.locator("#h-citizen")).to_be_visible()
    assert refusals() == []


def test_refund_export_progress_runs_from_a_static_script(watched, live_server, monkeypatch):
    from reports import exports

    monkeypatch.setattr(exports, "BACKGROUND_FROM", 1)  # every export builds in the background
    page, refusals = watched
    login(page, live_server, Role.finance)
    last = date.today().replace(day=1) - timedelta(days=1)
    first = last.replace(day=1)
    page.goto(f"{live_server.url}/refusion?from={first.isoformat()}&to={last.isoformat()}")
    page.locator("#build-workbook").click()
    expect(page.locator("#export-progress")).to_be_visible()
    rem = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    height = f"{rem * 1.5:g}px"  # refund.css: progress.export-progress { height: 1.5rem }
    expect(page.locator("progress.export-progress")).to_have_css("height", height)
    # The page's script polls the status until the workbook is ready (no reload).
    expect(page.locator("#export-download")).to_be_visible(timeout=20_000)
    assert refusals() == []


def test_api_docs_render_from_vendored_files(watched, live_server):
    page, refusals = watched
    login(page, live_server, Role.caseworker)
    page.goto(f"{live_server.url}/api/docs")
    # Swagger UI builds the whole schema in the browser: seconds on a busy 2-core machine.
    title = page.locator(".swagger-ui .info .title")
    expect(title).to_contain_text("Mentorkorps", timeout=30_000)
    expect(page.locator(".opblock").first).to_be_visible(timeout=30_000)
    assert refusals() == []
