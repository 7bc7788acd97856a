"""Big claims from the page: the claim is stored (and the period locked) in the request, its
workbook is built after it in the background, with progress, and only with the claim's totals.

The background build (a task of `service.core.background`) runs in TestClient right after the
response; tests that look at a claim while it builds defer it (`deferred`) and run it
themselves with the app's session factory.
"""

from __future__ import annotations

import hashlib
import io
from datetime import date, timedelta
from functools import partial

import openpyxl
import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import select

from reports import claim_builds, claims, exports, work
from reports.core.danish import local_naive
from reports.models import RefundClaim
from service.audit.models import AuditEvent
from service.core import background
from service.core.background import BackgroundTask
from service.core.clock import utcnow
from service.core.db import table_of
from service.core.settings import DEFAULT_HOURLY_RATE
from tests.service.refund.conftest import Q1, add_time

PERIOD = f"from={Q1[0]}&to={Q1[1]}"
REAL_RUN = work.run
RATE = DEFAULT_HOURLY_RATE  # the test app's (tests.conftest.app_settings)


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.text[:2000]
    return BeautifulSoup(response.text, "html.parser")


@pytest.fixture(autouse=True)
def big(monkeypatch):
    """Every period of 5 entries or more counts as big (Q1 of the world has 9)."""
    monkeypatch.setattr(exports, "BACKGROUND_FROM", 5)


@pytest.fixture
def deferred(monkeypatch) -> list[tuple]:
    """Builds queued by the pages, not run: (session factory, task id, default rate)."""
    queued: list[tuple] = []
    monkeypatch.setattr(work, "run", lambda *args: queued.append(args))
    return queued


def claim_from_page(client: TestClient):
    """Confirm Q1's claim through the confirmation page's form."""
    confirm = soup(client.get(f"/refusion/krav/nyt?{PERIOD}"))
    assert confirm.select_one("#claim-background")  # says the workbook comes after
    form = confirm.select_one("#claim-form")
    assert form is not None
    return client.post("/refusion/krav", data={i["name"]: i["value"] for i in form.select("input")})


def stored(db, claim_id: int) -> RefundClaim:
    db.expire_all()
    return db.get(RefundClaim, claim_id)


def view(db, claim_id: int) -> claims.ClaimView:
    """The claim with its workbook's state (from its build task)."""
    db.expire_all()
    return claims.get_claim(session=db, claim_id=claim_id)


def task_of(db, claim_id: int) -> BackgroundTask:
    db.expire_all()
    task = claim_builds.build_task(db, claim_id)
    assert task is not None
    return task


@pytest.fixture
def progress(monkeypatch) -> list[int]:
    """The progress every build writes (done counts), in order."""
    seen: list[int] = []
    original = background.Claimed.progress

    def spy(self, done):
        seen.append(done)
        return original(self, done)

    monkeypatch.setattr(background.Claimed, "progress", spy)
    return seen


def overview(content: bytes) -> dict:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return {r[0]: r[1] for r in wb["Oversigt"].iter_rows(values_only=True) if r and r[0]}


def citizen_rows(content: bytes) -> list[tuple]:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return list(wb["Borgere"].iter_rows(values_only=True))


def test_big_claim_is_built_in_the_background(pages, db, monkeypatch, progress, users, world):
    monkeypatch.setattr("reports.core.workbook.PROGRESS_EVERY", 2)
    client = pages("finance")
    response = claim_from_page(client)
    assert response.status_code == 303
    claim = db.exec(select(RefundClaim)).one()
    page_url = f"/refusion/krav/{claim.id}"
    assert response.headers["location"] == page_url
    assert progress == [0, 2, 4, 6, 8, 9]  # progress while the entries are written

    shown = view(db, claim.id)
    assert (shown.status, shown.done, shown.total, shown.error) == ("ready", 9, 9, "")
    assert task_of(db, claim.id).status == "done"
    claim = stored(db, claim.id)
    assert claim.sha256 == hashlib.sha256(claim.workbook).hexdigest()
    status = client.get(f"{page_url}/status").json()
    assert (status["state"], status["percent"], status["stalled"]) == ("done", 100, False)

    page = soup(client.get(page_url))
    assert page.select_one("progress")["value"] == "100"
    assert page.select_one("#claim-build-retry").has_attr("hidden")
    download = client.get(page.select_one("#claim-build-download")["href"])
    assert download.status_code == 200 and download.content == claim.workbook
    api_download = pages("coordinator").get(f"/refusion/krav/{claim.id}/regneark")
    assert api_download.content == claim.workbook

    # The workbook's numbers are the claim's, and it is the claim's (id, time, creator).
    lines = overview(download.content)
    totals = claim.totals
    assert lines["Status"] == f"Refusionskrav nr. {claim.id}"
    assert lines["Udarbejdet af"] == users["finance"].name
    made = lines["Udarbejdet"]
    assert abs(made - local_naive(claim.created_at)) < timedelta(seconds=1)
    assert lines["Refusion i alt (inkl. uddannelse)"] == pytest.approx(float(totals["refund"]))
    assert lines["Udgift i alt (inkl. uddannelse)"] == pytest.approx(float(totals["cost"]))
    assert lines["Refusionsberettigede timer"] == pytest.approx(float(totals["hours"]))
    assert lines["Ikke-refusionsberettigede timer"] == pytest.approx(
        float(totals["non_refundable_hours"])
    )
    assert lines["Antal registreringer"] == 9
    assert lines["Registreringernes minutter stemmer med borgerne"] == "Ja"
    # Citizen by citizen, as the same period's workbook built in a request.
    preview = client.get(f"/refusion/regneark?{PERIOD}").content
    assert citizen_rows(download.content) == citizen_rows(preview)

    listing = soup(client.get("/refusion/krav"))
    row = listing.select_one(f'tr[data-claim="{claim.id}"]')
    assert row.select_one("td.claim-state").get_text(strip=True) == "Hent (Excel)"
    events = db.exec(
        select(AuditEvent)
        .where(AuditEvent.entity == "refund_claim", AuditEvent.entity_id == claim.id)
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.detail.get("workbook")) for e in events[:2]] == [
        ("create", "building"),
        ("update", "ready"),
    ]
    assert events[1].detail["sha256"] == claim.sha256


def test_period_is_locked_while_the_workbook_builds(pages, api, app, db, deferred, world):
    client = pages("finance")
    response = claim_from_page(client)
    claim = db.exec(select(RefundClaim)).one()
    assert response.headers["location"] == f"/refusion/krav/{claim.id}"
    task = task_of(db, claim.id)
    assert [(t, r) for _f, t, r in deferred] == [(task.id, RATE)]
    assert (claim.status, claim.total, claim.workbook) == ("building", 9, b"")
    assert (task.status, task.done, task.total) == ("queued", 0, 9)

    # The period is locked from phase 1's commit.
    new = {"referral_id": world.r_anna.id, "minutes": 30, "category": "citizen_contact"}
    refused = api("mentor").post("/api/v1/time-entries", json={**new, "date": "2026-03-10"})
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("Perioden er afregnet")

    # No workbook yet: a clear 409 on the API and the page, never empty bytes.
    building = f"Arbejdsbogen til refusionskrav nr. {claim.id} bygges stadig."
    xlsx = api("finance").get(f"/api/v1/refund-claims/{claim.id}.xlsx")
    assert xlsx.status_code == 409 and xlsx.json()["detail"] == building
    page_download = client.get(f"/refusion/krav/{claim.id}/regneark")
    assert page_download.status_code == 409 and building in page_download.text
    listed = api("finance").get("/api/v1/refund-claims").json()
    assert [c["id"] for c in listed] == [claim.id]

    status = client.get(f"/refusion/krav/{claim.id}/status").json()
    assert status == {
        "id": claim.id,
        "status": "building",
        "state": "running",
        "done": 0,
        "total": 9,
        "percent": 0,
        "error": "",
        "stalled": False,
    }
    page = soup(client.get(f"/refusion/krav/{claim.id}"))
    assert page.select_one("#claim-build-download").has_attr("hidden")
    assert page.select_one("#claim-build-retry").has_attr("hidden")
    status_url = page.select_one("#claim-build")["data-status-url"]
    assert status_url.endswith(f"/refusion/krav/{claim.id}/status")
    listing = soup(client.get("/refusion/krav"))
    state = listing.select_one(f'tr[data-claim="{claim.id}"] td.claim-state')
    assert state.get_text(strip=True) == "Bygges – 0 %"

    # Half way, then done.
    run = background.claim(app.state.session_factory, task.id)
    assert run is not None
    run.progress(4)
    listing = soup(client.get("/refusion/krav"))
    state = listing.select_one(f'tr[data-claim="{claim.id}"] td.claim-state')
    assert state.get_text(strip=True) == "Bygges – 44 %"
    claim_builds.build_claim_workbook(run, RATE)
    claim = stored(db, claim.id)
    assert claim.status == "ready"
    xlsx = api("finance").get(f"/api/v1/refund-claims/{claim.id}.xlsx")
    assert xlsx.status_code == 200 and xlsx.content == claim.workbook


def test_the_api_claims_synchronously(api, db, world):
    response = api("finance").post("/api/v1/refund-claims", json={"from": Q1[0], "to": Q1[1]})
    assert response.status_code == 201
    claim = db.get(RefundClaim, response.json()["id"])
    assert claim.status == "ready" and claim.workbook and claim.total == 9
    assert claim_builds.build_task(db, claim.id) is None  # built in its request
    xlsx = api("finance").get(f"/api/v1/refund-claims/{claim.id}.xlsx")
    assert xlsx.status_code == 200 and xlsx.content == claim.workbook


def test_totals_that_differ_fail_the_build_and_it_can_be_rebuilt(
    pages, api, app, db, deferred, world
):
    client = pages("finance")
    claim_from_page(client)
    claim = db.exec(select(RefundClaim)).one()
    right = dict(claim.totals)
    # The period changed behind the lock (a claim's totals cannot be changed: migration 0007j).
    extra = add_time(db, world.r_anna, world.m1, date(2026, 3, 10), 600)
    [(factory, task_id, _rate)] = deferred
    REAL_RUN(factory, task_id, RATE)
    claim = stored(db, claim.id)
    assert (claim.status, claim.workbook, claim.sha256) == ("building", b"", "")
    shown = view(db, claim.id)
    assert shown.status == "failed" and task_of(db, claim.id).status == "failed"
    assert f"refusionskrav nr. {claim.id}" in shown.error
    assert f"i stedet for {right['refund']}" in shown.error
    assert "ikke gemt" in shown.error

    failed = f"Arbejdsbogen til refusionskrav nr. {claim.id} kunne ikke bygges."
    xlsx = api("finance").get(f"/api/v1/refund-claims/{claim.id}.xlsx")
    assert xlsx.status_code == 409 and xlsx.json()["detail"].startswith(failed)
    listing = soup(client.get("/refusion/krav"))
    state = listing.select_one(f'tr[data-claim="{claim.id}"] td.claim-state')
    assert state.get_text(strip=True) == "Fejlet"
    page = soup(client.get(f"/refusion/krav/{claim.id}"))
    assert "ikke gemt" in page.select_one("#claim-build-text").get_text()
    assert not page.select_one("#claim-build-retry").has_attr("hidden")
    assert client.get(f"/refusion/krav/{claim.id}/status").json()["state"] == "failed"

    # Put the period right, and build again from the claim's page.
    db.delete(extra)
    db.flush()
    form = page.select_one("#rebuild-form")
    data = {i["name"]: i["value"] for i in form.select("input")}
    response = client.post(form["action"], data=data)
    assert response.status_code == 303
    assert response.headers["location"] == f"/refusion/krav/{claim.id}"
    assert deferred[-1][1] == task_id
    assert view(db, claim.id).status == "building"
    assert (task_of(db, claim.id).status, task_of(db, claim.id).error) == ("queued", "")
    # A second click while it builds changes nothing.
    again = client.post(form["action"], data=data)
    assert again.status_code == 303 and len(deferred) == 2
    REAL_RUN(factory, task_id, RATE)
    claim = stored(db, claim.id)
    assert claim.status == "ready" and view(db, claim.id).error == ""
    assert overview(claim.workbook)["Refusion i alt (inkl. uddannelse)"] == pytest.approx(
        float(right["refund"])
    )
    assert api("finance").get(f"/api/v1/refund-claims/{claim.id}.xlsx").content == claim.workbook
    assert client.post(form["action"], data=data).status_code == 303  # ready: nothing to do
    assert len(deferred) == 2
    rebuilt = db.exec(
        select(AuditEvent)
        .where(
            AuditEvent.entity == "refund_claim",
            AuditEvent.entity_id == claim.id,
            AuditEvent.action == "update",
        )
        .order_by(AuditEvent.id)
    ).all()
    assert [e.detail["workbook"] for e in rebuilt] == ["rebuild", "ready"]


def _make_stale(db, claim_id: int) -> None:
    table = table_of(BackgroundTask)
    db.execute(
        sa.update(table)
        .where(table.c.kind == "claim_workbook", table.c.subject_id == claim_id)
        .values(progress_at=utcnow() - background.STALE_AFTER - timedelta(seconds=5), done=4)
    )
    db.flush()


def test_a_stalled_build_can_be_rebuilt(pages, app, db, deferred, world):
    client = pages("coordinator")
    claim_from_page(client)
    claim = db.exec(select(RefundClaim)).one()
    [(factory, task_id, _rate)] = deferred
    old = background.claim(factory, task_id)  # a build runs, then its process dies
    assert old is not None
    # Still alive: no button, and a forged POST is refused with the Danish reason.
    response = client.post(
        f"/refusion/krav/{claim.id}/genopbyg", data={"csrf_token": client.cookies["mk_csrf"]}
    )
    assert response.status_code == 303 and len(deferred) == 1
    page = soup(client.get(response.headers["location"]))
    assert "bygges stadig" in page.get_text()
    _make_stale(db, claim.id)
    page = soup(client.get(f"/refusion/krav/{claim.id}"))
    assert not page.select_one("#claim-build-retry").has_attr("hidden")
    assert not page.select_one("#claim-build-stalled").has_attr("hidden")
    assert client.get(f"/refusion/krav/{claim.id}/status").json()["stalled"] is True
    listing = soup(client.get("/refusion/krav"))
    state = listing.select_one(f'tr[data-claim="{claim.id}"] td.claim-state')
    assert state.get_text(strip=True) == "Gået i stå – 44 %"
    form = page.select_one("#rebuild-form")
    client.post(form["action"], data={i["name"]: i["value"] for i in form.select("input")})
    assert deferred[-1][1] == task_id and task_of(db, claim.id).status == "queued"
    # The old build, should it wake up, is superseded and stores nothing.
    background.execute(old, partial(claim_builds.build_claim_workbook, default_rate=RATE))
    assert stored(db, claim.id).status == "building"
    assert task_of(db, claim.id).status == "queued"
    REAL_RUN(factory, task_id, RATE)
    assert stored(db, claim.id).status == "ready"


def test_a_build_taken_over_midway_stops_and_stores_nothing(
    pages, app, db, deferred, monkeypatch, world
):
    monkeypatch.setattr("reports.core.workbook.PROGRESS_EVERY", 2)
    claim_from_page(pages("finance"))
    claim = db.exec(select(RefundClaim)).one()
    original = background.Claimed.progress
    writes, stores = [], []
    table = table_of(BackgroundTask)

    def taken_over_at_four(self, done):
        writes.append(done)
        if done == 4:  # meanwhile another run has taken the task over
            db.execute(sa.update(table).where(table.c.id == self.id).values(owner="other"))
            db.flush()
        return original(self, done)

    monkeypatch.setattr(background.Claimed, "progress", taken_over_at_four)
    monkeypatch.setattr(claim_builds, "_store_workbook", lambda *args: stores.append(args))
    [(factory, task_id, _rate)] = deferred
    REAL_RUN(factory, task_id, RATE)
    # It stopped at its first write after the takeover: not failed, nothing stored.
    assert writes == [0, 2, 4] and stores == []
    claim = stored(db, claim.id)
    assert (claim.status, claim.workbook) == ("building", b"")
    # (On one test connection the build's rollback also undoes the writes nested in it.)
    task = task_of(db, claim.id)
    assert (task.status, task.error) == ("running", "")


def test_startup_resumes_builds_left_building(app, db, pages, deferred, monkeypatch, world):
    claim_from_page(pages("finance"))
    claim = db.exec(select(RefundClaim)).one()
    # Its build never ran. Fresh: perhaps another process still builds it; not taken over.
    assert work.resume(app.state.session_factory, RATE, wait=False) == []
    assert task_of(db, claim.id).status == "queued"
    _make_stale(db, claim.id)
    with TestClient(app):  # the lifespan: the server starts again
        thread = app.state.background_work
        assert thread is not None
        thread.join(timeout=60)
    claim = stored(db, claim.id)
    assert claim.status == "ready" and view(db, claim.id).done == 9
    assert overview(claim.workbook)["Status"] == f"Refusionskrav nr. {claim.id}"
    with TestClient(app):
        assert app.state.background_work is None  # nothing left to resume


def test_resume_waits_until_a_silent_build_has_stalled(
    app, db, pages, deferred, monkeypatch, world
):
    claim_from_page(pages("finance"))
    claim = db.exec(select(RefundClaim)).one()
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        _make_stale(db, claim.id)  # nothing was heard from the build meanwhile

    built = work.resume(app.state.session_factory, RATE, sleep=sleep)
    assert built == [task_of(db, claim.id).id] and len(slept) == 1
    assert 0 < slept[0] <= background.STALE_AFTER.total_seconds() + 1
    assert stored(db, claim.id).status == "ready"


def test_unknown_claim_is_404(pages):
    client = pages("finance")
    assert client.get("/refusion/krav/999999").status_code == 404
    assert client.get("/refusion/krav/999999/status").status_code == 404
    assert client.get("/refusion/krav/999999/regneark").status_code == 404
    rebuild = client.post(
        "/refusion/krav/999999/genopbyg", data={"csrf_token": client.cookies["mk_csrf"]}
    )
    assert rebuild.status_code == 404


def test_progress_counts_are_written_the_danish_way(pages, db, deferred, world):
    client = pages("finance")
    claim_from_page(client)
    claim = db.exec(select(RefundClaim)).one()
    table = table_of(RefundClaim)
    db.execute(sa.update(table).where(table.c.id == claim.id).values(total=400_000))
    tasks = table_of(BackgroundTask)
    db.execute(sa.update(tasks).where(tasks.c.subject_id == claim.id).values(done=12_500))
    db.flush()
    text = soup(client.get(f"/refusion/krav/{claim.id}")).select_one("#claim-build-text")
    assert text.get_text().strip() == "Arbejdsbogen bygges: 12.500 af 400.000 registreringer."
