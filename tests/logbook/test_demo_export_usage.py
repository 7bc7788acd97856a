"""seed-demo's logbook and time, the citizen access export, and hours against granted."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import func, select

from logbook.models import LogbookEntry, LogbookVersion, TimeEntry
from logbook.usage import granted_hours, usage
from service.audit.models import AuditEvent
from service.core import clock
from service.corps.models import Referral
from service.demo.seed import seed


def test_seed_adds_entries_and_time_within_the_rules(db, monkeypatch):
    today = date.today()  # the corps' demo referrals are dated from the real today
    monkeypatch.setattr(clock, "today", lambda: today)
    messages: list[str] = []
    seed(db, messages.append)
    entries = db.exec(select(LogbookEntry)).all()
    times = db.exec(select(TimeEntry)).all()
    assert entries and times
    assert any("logbogsnotater" in m for m in messages)
    referrals = {r.id: r for r in db.exec(select(Referral))}
    earliest = today - timedelta(days=92)
    for t in times:
        r = referrals[t.referral_id]
        assert earliest <= t.date <= today and r.start_date <= t.date <= r.end_date
    per_day = Counter()
    for t in times:
        per_day[(t.mentor_id, t.date)] += t.minutes
    assert max(per_day.values()) <= 1440
    assert all(e.occurred_on <= today for e in entries)
    assert db.exec(select(func.max(LogbookVersion.version))).one() >= 2


def test_access_export(api, db, users, referral):
    entry = (
        api("mentor")
        .post(
            f"/api/v1/referrals/{referral.id}/logbook",
            json={"occurred_on": "2026-06-01", "kind": "phone", "text": "Første"},
        )
        .json()
    )
    api("mentor").post(
        f"/api/v1/logbook/{entry['id']}/amendments", json={"text": "Anden", "reason": "R"}
    )
    api("mentor").post(
        "/api/v1/time-entries",
        json={
            "referral_id": referral.id,
            "date": "2026-06-02",
            "minutes": 30,
            "category": "own_transport",
        },
    )
    api("caseworker").get(f"/api/v1/referrals/{referral.id}/logbook")
    response = api("admin").get(f"/api/v1/citizens/{referral.citizen_id}/access-export")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["citizen"]["id"] == referral.citizen_id
    assert [r["id"] for r in body["referrals"]] == [referral.id]
    assert body["referrals"][0]["granted_hours_per_week"] == "3.00"
    assert len(body["referrals"][0]["sub_goals"]) == 2
    [logged] = body["logbook"]
    assert [v["text"] for v in logged["versions"]] == ["Første", "Anden"]
    assert logged["versions"][1]["reason"] == "R"
    assert logged["versions"][0]["author"]["user_id"] == users["mentor"].id
    assert [t["minutes"] for t in body["time_entries"]] == [30]
    trail = [(a["user"]["user_id"], a["action"], a["purpose"]) for a in body["audit_trail"]]
    assert (users["caseworker"].id, "read", "casework") in trail
    assert trail[-1] == (users["admin"].id, "export", "citizen_access")
    exported = db.exec(select(AuditEvent).where(AuditEvent.purpose == "citizen_access")).one()
    assert exported.citizen_id == referral.citizen_id


def test_access_export_roles_and_404(api, referral):
    url = f"/api/v1/citizens/{referral.citizen_id}/access-export"
    for role in ("mentor", "caseworker", "finance"):
        assert api(role).get(url).status_code == 403
    assert api("coordinator").get(url).status_code == 200
    assert api("coordinator").get("/api/v1/citizens/999999/access-export").status_code == 404


def test_usage_warns_at_80_and_100_percent():
    granted = Decimal("10.00")
    assert usage(479, granted).level == "ok"  # 7.98 h
    assert usage(480, granted).level == "warning"  # 8.00 h = 80 %
    assert usage(599, granted).level == "warning"
    assert usage(600, granted).level == "full"  # 100 %
    assert usage(900, granted).percent == 150
    assert usage(0, Decimal("0")).level == "ok" and usage(1, Decimal("0")).level == "full"


def test_granted_hours_pro_rata_inside_the_referral():
    weekly = Decimal("3.00")
    week = (date(2026, 6, 8), date(2026, 6, 14))
    assert granted_hours(weekly, *week, date(2026, 1, 1), date(2026, 12, 31)) == Decimal("3.00")
    assert granted_hours(weekly, *week, date(2026, 6, 11), date(2026, 12, 31)) == Decimal("1.71")
    june = (date(2026, 6, 1), date(2026, 6, 30))
    assert granted_hours(weekly, *june, date(2026, 1, 1), date(2026, 12, 31)) == Decimal("12.86")
    assert granted_hours(weekly, *june, date(2026, 7, 1), date(2026, 12, 31)) == Decimal("0.00")
