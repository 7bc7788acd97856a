"""The admin's jobs page speaks Danish and runs a job by hand ("Kør nu"), audited."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from reports.core.danish import TIMEZONE
from service.audit.models import AuditEvent
from service.core import clock
from service.jobs.describe import next_run, schedule_text
from service.jobs.registry import JOBS
from service.jobs.runs import JobRun
from tests.conftest import csrf_token

NOW = datetime(2026, 12, 1, 22, 0, tzinfo=TIMEZONE)  # a Tuesday evening


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "local_now", lambda: NOW)
    monkeypatch.setattr(clock, "today", lambda: NOW.date())


def _text(tag, selector: str) -> str:
    found = tag.select_one(selector)
    assert found is not None, selector
    return found.get_text(strip=True)


def job_rows(response) -> dict[str, dict[str, str]]:
    assert response.status_code == 200
    table = BeautifulSoup(response.text, "html.parser").select_one("#jobs")
    assert table is not None
    return {
        str(tr["data-job"]): {
            "title": _text(tr, ".job-title"),
            "schedule": _text(tr, ".schedule"),
            "next": _text(tr, ".next-run"),
            "text": tr.get_text(" ", strip=True),
        }
        for tr in table.select("tbody tr")
    }


def test_every_job_has_a_danish_name_schedule_and_next_run(pages, frozen):
    rows = job_rows(pages("admin").get("/admin/planlagte-job"))
    assert set(rows) == set(JOBS)
    unmatched = rows["unmatched_referrals"]
    assert unmatched["title"] == "Henvisninger uden mentor"
    assert unmatched["schedule"] == "hverdage kl. 07.00"
    assert unmatched["next"] == "2. december 2026 kl. 07.00"
    assert rows["monthly_refund_draft"]["schedule"] == "den 1.–7. i måneden kl. 07.20"
    assert rows["monthly_refund_draft"]["next"] == "2. december 2026 kl. 07.20"
    assert rows["weekly_time_reminder"]["schedule"] == "mandag–onsdag kl. 08.00"
    assert rows["email_digest"]["schedule"] == "hver dag kl. 16.00"
    for name, row in rows.items():
        assert name not in row["text"] and "=" not in row["text"], row["text"]
        assert "Aldrig kørt" in row["text"] and "Kør nu" in row["text"]


def test_schedules_outside_the_worded_fields_are_refused():
    assert {schedule_text(job.cron) for job in JOBS.values()}
    with pytest.raises(ValueError, match="second"):
        schedule_text({"second": "*/2"})
    assert schedule_text({"day_of_week": "sun", "hour": 3, "minute": 5}) == "hver søndag kl. 03.05"
    assert next_run({"day_of_week": "mon-fri", "hour": 7, "minute": 0}, NOW) == datetime(
        2026, 12, 2, 7, 0, tzinfo=TIMEZONE
    )


def test_kor_nu_runs_the_job_records_the_run_and_audits_it(pages, db, users, frozen):
    client = pages("admin")
    response = client.post(
        "/admin/planlagte-job/unmatched_referrals/koer-nu",
        data={"csrf_token": csrf_token(client)},
    )
    assert response.status_code == 303
    run = db.exec(select(JobRun).where(JobRun.job == "unmatched_referrals")).one()
    assert (run.run_date, run.status, run.trigger) == (date(2026, 12, 1), "done", "manual")
    audit = db.exec(select(AuditEvent).where(AuditEvent.action == "run")).one()
    assert (audit.user_id, audit.entity) == (users["admin"].id, "job")
    assert audit.purpose == "administration" and audit.detail["job"] == "unmatched_referrals"
    page = client.get("/admin/planlagte-job")
    assert "»Henvisninger uden mentor« er sat i gang" in page.text
    row = job_rows(page)["unmatched_referrals"]
    assert "Gennemført" in row["text"] and "Startet i hånden" in row["text"]


@pytest.mark.parametrize("role", ["coordinator", "caseworker", "mentor", "finance"])
def test_kor_nu_is_for_admins_only(pages, db, role, frozen):
    client = pages(role)
    response = client.post(
        "/admin/planlagte-job/unmatched_referrals/koer-nu",
        data={"csrf_token": csrf_token(client)},
    )
    assert response.status_code == 403
    assert db.exec(select(JobRun)).all() == []
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "run")).all() == []


def test_kor_nu_needs_the_csrf_token_and_a_known_job(pages, db, frozen):
    client = pages("admin")
    assert client.post("/admin/planlagte-job/unmatched_referrals/koer-nu").status_code == 403
    token = {"csrf_token": csrf_token(client)}
    assert client.post("/admin/planlagte-job/no_such_job/koer-nu", data=token).status_code == 404
    assert db.exec(select(JobRun)).all() == []
