"""One runner for the refund's background work: a workbook export or a claim's workbook left
behind by a process that died (no sign of life for STALE_AFTER) is found and built again."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import select

from reports import exports, work
from service.core import background
from service.core.background import BackgroundTask
from service.core.clock import utcnow
from service.core.db import table_of
from service.core.settings import DEFAULT_HOURLY_RATE
from tests.service.refund.conftest import Q1

PERIOD = f"from={Q1[0]}&to={Q1[1]}"
RATE = DEFAULT_HOURLY_RATE  # the test app's (tests.conftest.app_settings)


@pytest.fixture(autouse=True)
def big(monkeypatch):
    """Every period of 5 entries or more is built in the background (Q1 of the world has 9)."""
    monkeypatch.setattr(exports, "BACKGROUND_FROM", 5)


@pytest.fixture
def deferred(monkeypatch) -> list[tuple]:
    """Work the pages queued to run after the response, not run: (factory, task id, rate)."""
    queued: list[tuple] = []
    monkeypatch.setattr(work, "run", lambda *args: queued.append(args))
    return queued


def start_export(client: TestClient) -> str:
    """Ask for Q1's workbook from the refund page; the export's page."""
    page = BeautifulSoup(client.get(f"/refusion?{PERIOD}").text, "html.parser")
    button = page.select_one("#build-workbook")
    assert button is not None
    form = button.find_parent("form")
    assert form is not None
    data = {i["name"]: i["value"] for i in form.select("input")}
    response = client.post("/refusion/eksporter", data=data)
    assert response.status_code == 303
    return response.headers["location"]


def make_stale(db, task_id: int, silent_for: timedelta = background.STALE_AFTER) -> None:
    """Nothing heard from the task's run for `silent_for` (and 5 seconds)."""
    table = table_of(BackgroundTask)
    db.execute(
        sa.update(table)
        .where(table.c.id == task_id)
        .values(progress_at=utcnow() - silent_for - timedelta(seconds=5))
    )
    db.flush()


def stored(db, task_id: int) -> BackgroundTask:
    db.expire_all()
    return db.get(BackgroundTask, task_id)


def test_a_stale_export_is_found_and_resumed_at_startup(app, db, pages, deferred, world):
    client = pages("finance")
    export_page = start_export(client)
    [(_factory, task_id, _rate)] = deferred  # the process died before it ran
    assert export_page == f"/refusion/eksporter/{task_id}"
    assert client.get(f"{export_page}/status").json()["state"] == "running"
    make_stale(db, task_id)

    with TestClient(app):  # the server starts again
        thread = app.state.background_work
        assert thread is not None
        thread.join(timeout=60)

    status = client.get(f"{export_page}/status").json()
    assert (status["status"], status["state"], status["percent"]) == ("done", "done", 100)
    assert (status["done"], status["total"]) == (9, 9)
    page = BeautifulSoup(client.get(export_page).text, "html.parser")
    download = client.get(page.select_one("#export-download")["href"])
    assert download.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(download.content))["Registreringer"].max_row == 10
    assert stored(db, task_id).attempts == 1
    with TestClient(app):
        assert app.state.background_work is None  # nothing left to resume


def test_a_running_export_that_went_silent_is_taken_over(app, db, pages, deferred, world):
    client = pages("finance")
    start_export(client)
    [(factory, task_id, _rate)] = deferred
    # A run claims it and writes some progress, then its process dies.
    claimed = background.claim(factory, task_id)
    assert claimed is not None
    claimed.progress(4)
    # Still alive as far as anyone can tell: not taken over.
    assert work.resume(app.state.session_factory, RATE, wait=False) == []
    make_stale(db, task_id)
    assert work.resume(app.state.session_factory, RATE, wait=False) == [task_id]
    task = stored(db, task_id)
    assert (task.status, task.done, task.total, task.attempts) == ("done", 9, 9, 2)
    assert task.owner != claimed.owner and task.result
    # The old run, should it wake up, writes nothing.
    with pytest.raises(background.Superseded):
        claimed.progress(6)
    assert stored(db, task_id).done == 9


def test_resume_waits_until_a_silent_export_has_stalled(app, db, pages, deferred, world):
    start_export(pages("finance"))
    [(_factory, task_id, _rate)] = deferred
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        make_stale(db, task_id)  # nothing was heard from it meanwhile

    built = work.resume(app.state.session_factory, RATE, sleep=sleep)
    assert built == [task_id] and len(slept) == 1
    assert 0 < slept[0] <= background.STALE_AFTER.total_seconds() + 1
    assert stored(db, task_id).status == "done"


def test_work_that_keeps_dying_is_given_up(app, db, pages, deferred, world):
    start_export(pages("finance"))
    [(_factory, task_id, _rate)] = deferred
    table = table_of(BackgroundTask)
    db.execute(
        sa.update(table)
        .where(table.c.id == task_id)
        .values(status="running", attempts=background.MAX_ATTEMPTS, owner="dead")
    )
    make_stale(db, task_id)
    assert work.resume(app.state.session_factory, RATE, wait=False) == []
    task = stored(db, task_id)
    assert task.status == "failed" and task.error
    status = pages("finance").get(f"/refusion/eksporter/{task_id}/status").json()
    assert status["state"] == "failed" and status["error"] == task.error


def test_one_table_holds_both_kinds_of_work(db, pages, deferred, world):
    client = pages("finance")
    start_export(client)
    confirm = BeautifulSoup(client.get(f"/refusion/krav/nyt?{PERIOD}").text, "html.parser")
    form = confirm.select_one("#claim-form")
    assert form is not None
    client.post("/refusion/krav", data={i["name"]: i["value"] for i in form.select("input")})
    kinds = [t.kind for t in db.exec(select(BackgroundTask).order_by(BackgroundTask.id))]
    assert kinds == ["refund_workbook", "claim_workbook"]
    assert len(deferred) == 2
