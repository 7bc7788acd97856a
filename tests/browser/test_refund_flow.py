"""The refund flow in Chromium: preview a quarter, download the workbook, claim the period,
and a mentor's later registration in it is refused with the Danish message; a big claim's
page follows its workbook's build in the background and then offers the download.

The claim locks three months of time, so this module runs its own live server on its own
freshly seeded database: the session's shared server (and the tests using it) keep their
open periods.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from playwright.sync_api import expect
from sqlmodel import Session, col, select

from logbook.approval import month_start, next_month
from reports.models import RefundClaim
from service.auth.models import Role, User
from service.core import clock
from service.corps.models import Mentor, Referral
from tests.browser.conftest import LiveServer, login, serve_demo

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def refund_server(tmp_path_factory) -> Iterator[LiveServer]:
    """A server of its own: the claim it makes would lock time for the other browser tests."""
    with serve_demo(tmp_path_factory.mktemp("refund-live")) as server:
        yield server


def open_quarter(server: LiveServer) -> tuple[date, date]:
    """Three whole months after the demo's claimed month: demo time, no claim yet."""
    with Session(server.engine) as session:
        claimed_to = session.exec(
            select(col(RefundClaim.period_to)).order_by(col(RefundClaim.period_to).desc())
        ).first()
    first = (
        claimed_to + timedelta(days=1)
        if claimed_to
        else month_start(clock.today() - timedelta(days=80))
    )
    end = next_month(next_month(next_month(month_start(first)))) - timedelta(days=1)
    return first, end


def demo_mentor_referral(server: LiveServer, day: date) -> int:
    """An active referral of the demo mentor that covers the day."""
    with Session(server.engine) as session:
        user = session.exec(select(User).where(User.email == server.logins[Role.mentor])).one()
        mentor = session.exec(select(Mentor).where(Mentor.user_id == user.id)).one()
        referral = session.exec(
            select(Referral)
            .where(
                Referral.mentor_id == mentor.id,
                Referral.status == "active",
                Referral.start_date <= day,
                Referral.end_date >= day,
            )
            .order_by(col(Referral.id))
        ).first()
        assert referral is not None, "the demo mentor needs an active referral"
        return referral.id


def danish_amount(text: str) -> Decimal:
    """ "1.234,56 kr." → Decimal("1234.56")."""
    digits = text.replace("kr.", "").replace("\xa0", "").replace(" ", "").replace(".", "")
    return Decimal(digits.replace(",", "."))


def overview(workbook) -> dict:
    return {row[0]: row[1] for row in workbook["Oversigt"].iter_rows(values_only=True) if row[0]}


def test_finance_claims_a_quarter_and_the_mentor_is_refused(browser, refund_server, tmp_path):
    server = refund_server
    start, end = open_quarter(server)
    finance = browser.new_context(locale="da-DK", accept_downloads=True)
    page = finance.new_page()
    login(page, server, Role.finance)

    # Preview the quarter through the period form.
    page.goto(f"{server.url}/refusion")
    page.get_by_label("Fra og med").fill(start.isoformat())
    page.get_by_label("Til og med").fill(end.isoformat())
    page.get_by_role("button", name="Vis opgørelse").click()
    expect(page.locator("#refund-rate")).to_have_text("50,00 %")
    assert page.locator("#empty").count() == 0, "the quarter should hold demo time"

    # Download the workbook and read it back.
    with page.expect_download() as download_info:
        page.locator("#download-workbook").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / "preview.xlsx"
    download.save_as(path)
    preview = overview(openpyxl.load_workbook(path))
    assert preview["Status"] == "Foreløbig (ikke låst)"
    assert preview["Antal registreringer"] > 0
    assert preview["Registreringernes minutter stemmer med borgerne"] == "Ja"

    # Claim the period: the confirmation states the totals, which match the workbook.
    page.locator("#claim").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekræft refusionskrav")
    refund_text = page.locator('#claim-totals td[data-field="refund"]').inner_text()
    refund = danish_amount(refund_text)
    assert refund > 0
    assert Decimal(str(preview["Refusion i alt (inkl. uddannelse)"])) == refund
    page.get_by_role("button", name="Opret refusionskrav og lås perioden").click()
    expect(
        page.get_by_role("status").filter(has_text="er oprettet, og perioden er låst")
    ).to_be_visible()
    with Session(server.engine) as session:
        claim = session.exec(select(RefundClaim).where(RefundClaim.period_from == start)).one()
        assert claim.period_to == end and claim.totals["refund"] == f"{refund:.2f}"
    finance.close()

    # Later, the mentor registers time in the claimed period: refused in Danish.
    day = min(clock.today(), end)
    referral_id = demo_mentor_referral(server, day)
    mentor = browser.new_context(locale="da-DK")
    page = mentor.new_page()
    login(page, server, Role.mentor)
    page.goto(f"{server.url}/tid?start={(day - timedelta(days=day.weekday())).isoformat()}")
    form = page.locator("form", has=page.locator("#field-referral_id"))
    form.locator("#field-referral_id").select_option(str(referral_id))
    form.locator("#field-date").fill(day.isoformat())
    form.locator("#field-minutes").fill("30")
    form.get_by_role("button", name="Registrér").click()
    error = page.locator("#error-date")
    expect(error).to_contain_text("Perioden er afregnet")
    expect(error).to_contain_text("registreringen kan ikke ændres")
    mentor.close()


@pytest.fixture(scope="module")
def big_claim_server(tmp_path_factory) -> Iterator[LiveServer]:
    """Another server of its own, so either test finds an open quarter with demo time."""
    with serve_demo(tmp_path_factory.mktemp("big-claim-live")) as server:
        yield server


def test_a_big_claim_shows_its_progress_then_the_download(
    browser, big_claim_server, monkeypatch, tmp_path
):
    """The claim's page polls the build's status and offers the workbook when it is ready."""
    from reports import claim_builds, exports

    server = big_claim_server
    monkeypatch.setattr(exports, "BACKGROUND_FROM", 1)  # every claim is big
    build = claim_builds.build_claim_workbook

    def slow_build(*args, **kwargs):  # long enough for the page to see it building
        time.sleep(2)
        build(*args, **kwargs)

    monkeypatch.setattr(claim_builds, "build_claim_workbook", slow_build)
    start, end = open_quarter(server)
    context = browser.new_context(locale="da-DK", accept_downloads=True)
    page = context.new_page()
    login(page, server, Role.finance)
    page.goto(f"{server.url}/refusion/krav/nyt?from={start.isoformat()}&to={end.isoformat()}")
    expect(page.locator("#claim-background")).to_be_visible()
    page.get_by_role("button", name="Opret refusionskrav og lås perioden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Refusionskrav nr.")
    expect(page.locator("#claim-build-text")).to_contain_text("Arbejdsbogen bygges")
    expect(page.locator("#claim-build-download")).to_be_hidden()
    # No reload: the page's script polls until the workbook is stored.
    expect(page.locator("#claim-build-download")).to_be_visible(timeout=20_000)
    expect(page.locator("#claim-build-text")).to_contain_text("færdig")
    expect(page.locator("#claim-build-progress")).to_have_attribute("value", "100")
    with page.expect_download() as download_info:
        page.locator("#claim-build-download").click()
    path = tmp_path / "claim.xlsx"
    download_info.value.save_as(path)
    with Session(server.engine) as session:
        claim = session.exec(select(RefundClaim).where(RefundClaim.period_from == start)).one()
    assert claim.status == "ready" and path.read_bytes() == claim.workbook
    lines = overview(openpyxl.load_workbook(path))
    assert lines["Status"] == f"Refusionskrav nr. {claim.id}"
    assert Decimal(str(lines["Refusion i alt (inkl. uddannelse)"])) == Decimal(
        claim.totals["refund"]
    )
    context.close()
