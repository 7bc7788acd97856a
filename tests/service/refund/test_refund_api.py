"""The refund API of the contract: the report, rules, claims and the locked period."""

from __future__ import annotations

import hashlib
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from sqlmodel import func, select

from logbook.models import TimeEntry, TrainingExpense
from reports.models import RefundClaim
from service.audit.models import AuditEvent
from service.corps.models import MentorRate, Referral
from tests.service.refund.conftest import Q1

CATEGORIES = (
    "citizen_contact",
    "professional_dialogue",
    "transport_with_citizen",
    "administration",
    "own_transport",
)
REFUNDABLE = set(CATEGORIES) - {"own_transport"}


def report(api, start=Q1[0], end=Q1[1], role="finance"):
    return api(role).get(f"/api/v1/reports/refund?from={start}&to={end}")


def loc(response):
    return response.json()["detail"][0]["loc"][-1]


def recompute(db, start: date, end: date, default_ore=40_000) -> dict:
    """The report the slow way: every entry in Python, its rate looked up one by one."""
    rates: dict[int, list[tuple[date, int]]] = {}
    for rate in db.exec(select(MentorRate)):
        rates.setdefault(rate.mentor_id, []).append((rate.valid_from, int(rate.hourly_rate * 100)))
    per_citizen: dict[int, dict] = {}
    for entry in db.exec(select(TimeEntry).where(TimeEntry.date >= start, TimeEntry.date <= end)):
        citizen = db.get(Referral, entry.referral_id).citizen_id
        row = per_citizen.setdefault(citizen, {"minutes": dict.fromkeys(CATEGORIES, 0), "mo": 0})
        row["minutes"][entry.category] += entry.minutes
        if entry.category in REFUNDABLE:
            known = [r for f, r in sorted(rates.get(entry.mentor_id, [])) if f <= entry.date]
            row["mo"] += entry.minutes * (known[-1] if known else default_ore)
    out = {}
    for cid, row in per_citizen.items():
        cost = (Decimal(row["mo"]) / 6000).quantize(Decimal("0.01"), "ROUND_HALF_UP")
        out[cid] = {
            "minutes_by_category": row["minutes"],
            "cost": f"{cost:.2f}",
            "refund": f"{(cost / 2).quantize(Decimal('0.01'), 'ROUND_HALF_UP'):.2f}",
        }
    return out


class TestReport:
    def test_hand_computed_quarter(self, api, world):
        response = report(api)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["from"] == "2026-01-01" and body["to"] == "2026-03-31"
        assert body["refund_rate"] == "0.50"
        assert [r["cpr"] for r in body["rows"]] == ["0102031234", "1507770000", "2912851111"]
        anna, half, formula = body["rows"]
        assert anna["minutes_by_category"] == {
            "citizen_contact": 695,
            "professional_dialogue": 0,
            "transport_with_citizen": 61,
            "administration": 30,
            "own_transport": 45,
        }
        # 600 min at 400.10 before m1's change, 186 min at 437.37 after it.
        assert (anna["hours"], anna["non_refundable_hours"]) == ("13.10", "0.75")
        assert (anna["cost"], anna["refund"]) == ("5356.85", "2678.43")
        # 3 min × 400.10 = 20.005 kr: half-up to 20.01 (banker's would give 20.00).
        assert (half["cost"], half["refund"]) == ("20.01", "10.01")
        # m2 has no rate: DEFAULT_HOURLY_RATE 400.00; own transport not refunded.
        assert formula["name"] == '=HYPERLINK("http://x","y")'
        assert (formula["hours"], formula["cost"], formula["refund"]) == (
            "2.37",
            "946.67",
            "473.34",
        )
        assert body["training"] == {"cost": "8000.00", "refund": "4000.00"}
        assert body["totals"] == {
            "hours": "15.52",
            "non_refundable_hours": "1.30",
            "cost": "14323.53",
            "refund": "7161.78",
        }

    def test_equals_a_python_recomputation(self, api, db, world):
        db.add(
            MentorRate(
                mentor_id=world.m2.id, valid_from=date(2026, 2, 3), hourly_rate=Decimal("333.33")
            )
        )
        db.flush()
        for start, end in (
            (date(2026, 1, 1), date(2026, 3, 31)),
            (date(2026, 2, 1), date(2026, 6, 15)),
        ):
            body = report(api, start, end).json()
            expected = recompute(db, start, end)
            got = {
                r["citizen_id"]: {k: r[k] for k in ("minutes_by_category", "cost", "refund")}
                for r in body["rows"]
            }
            assert got == expected

    def test_empty_period(self, api, world):
        body = report(api, "2025-01-01", "2025-01-31").json()
        assert body["rows"] == [] and body["training"] == {"cost": "0.00", "refund": "0.00"}
        assert body["totals"]["cost"] == "0.00"

    def test_training_only_in_its_period(self, api, world):
        body = report(api, "2026-04-01", "2026-04-30").json()
        assert body["training"] == {"cost": "999.99", "refund": "500.00"}

    @pytest.mark.parametrize(
        "query, field",
        [
            ("from=2026-03-31&to=2026-01-01", "to"),
            ("from=2026-13-01&to=2026-03-31", "from"),
            ("from=2026-01-01&to=nope", "to"),
            ("from=2026-01-01", "to"),
        ],
    )
    def test_bad_periods_are_422(self, api, world, query, field):
        response = api("finance").get(f"/api/v1/reports/refund?{query}")
        assert response.status_code == 422 and loc(response) == field

    def test_full_cpr_read_is_audited_once_per_citizen(self, api, db, world):
        before = db.exec(select(func.count()).select_from(AuditEvent)).one()
        assert report(api, role="coordinator").status_code == 200
        reads = db.exec(
            select(AuditEvent).where(
                AuditEvent.entity == "citizen",
                AuditEvent.action == "read",
                AuditEvent.purpose == "refund",
            )
        ).all()
        assert sorted(e.citizen_id for e in reads) == sorted(
            [world.anna.id, world.formula.id, world.half.id]
        )
        assert db.exec(select(func.count()).select_from(AuditEvent)).one() == before + 3

    def test_other_roles_are_refused(self, api, world):
        for role in ("mentor", "caseworker", "admin"):
            assert report(api, role=role).status_code == 403


class TestRules:
    def post(self, api, role="admin", **body):
        payload = {
            "valid_from": "2026-02-01",
            "rate": "0.40",
            "refundable_categories": ["citizen_contact", "administration"],
            **body,
        }
        return api(role).post("/api/v1/refund-rules", json=payload)

    def test_a_rule_change_inside_the_period_is_422(self, api, db, world):
        response = self.post(api)
        assert response.status_code == 201, response.text
        assert response.json()["rate"] == "0.40"
        response = report(api)
        assert response.status_code == 422 and loc(response) in ("from", "to")
        assert "1. februar 2026" in response.json()["detail"][0]["msg"]
        january = report(api, "2026-01-01", "2026-01-31").json()
        assert january["refund_rate"] == "0.50"  # no stored rule before: the default
        later = report(api, "2026-02-01", "2026-03-31").json()
        assert later["refund_rate"] == "0.40"
        anna = later["rows"][0]
        # Transport with the citizen is no longer refundable under the new rule.
        assert anna["hours"] == "2.08" and anna["non_refundable_hours"] == "1.02"
        assert db.exec(select(AuditEvent).where(AuditEvent.entity == "refund_rule")).one()

    def test_own_transport_is_never_refundable(self, api, world):
        response = self.post(api, refundable_categories=["own_transport"])
        assert response.status_code == 422

    def test_rate_outside_0_1_is_422(self, api, world):
        assert self.post(api, rate="1.5").status_code == 422

    def test_only_admin_adds(self, api, world):
        assert self.post(api, role="finance").status_code == 403
        assert api("finance").get("/api/v1/refund-rules").status_code == 200


class TestClaims:
    def claim(self, api, start=Q1[0], end=Q1[1], role="finance"):
        return api(role).post("/api/v1/refund-claims", json={"from": start, "to": end})

    def test_create_list_and_workbook(self, api, db, users, world):
        response = self.claim(api)
        assert response.status_code == 201, response.text
        body = response.json()
        assert set(body) == {"id", "from", "to", "created_at", "created_by", "totals"}
        assert (body["from"], body["to"], body["created_by"]) == (*Q1, users["finance"].id)
        assert body["totals"]["refund"] == "7161.78"
        listed = api("coordinator").get("/api/v1/refund-claims").json()
        assert [c["id"] for c in listed] == [body["id"]]
        download = api("finance").get(f"/api/v1/refund-claims/{body['id']}.xlsx")
        assert download.status_code == 200
        assert "attachment" in download.headers["content-disposition"]
        stored = db.get(RefundClaim, body["id"])
        assert download.content == stored.workbook
        assert hashlib.sha256(download.content).hexdigest() == stored.sha256
        wb = openpyxl.load_workbook(io.BytesIO(download.content))
        overview = {r[0]: r[1] for r in wb["Oversigt"].iter_rows(values_only=True) if r and r[0]}
        assert overview["Status"] == f"Refusionskrav nr. {body['id']}"
        created = db.exec(
            select(AuditEvent).where(
                AuditEvent.entity == "refund_claim", AuditEvent.action == "create"
            )
        ).one()
        assert created.purpose == "refund" and created.entity_id == body["id"]

    def test_overlapping_claim_is_409(self, api, world):
        assert self.claim(api).status_code == 201
        response = self.claim(api, "2026-03-31", "2026-04-30")
        assert response.status_code == 409
        assert self.claim(api, "2026-04-01", "2026-04-30").status_code == 201

    def test_bad_claim_period_is_422(self, api, world):
        response = self.claim(api, "2026-03-01", "2026-02-01")
        assert response.status_code == 422 and loc(response) == "to"

    def test_time_in_a_claimed_period_is_locked(self, api, db, world):
        inside = db.exec(
            select(TimeEntry).where(
                TimeEntry.referral_id == world.r_anna.id, TimeEntry.date == date(2026, 2, 20)
            )
        ).one()
        assert self.claim(api).status_code == 201
        mentor = api("mentor")
        new = {"referral_id": world.r_anna.id, "minutes": 30, "category": "citizen_contact"}
        response = mentor.post("/api/v1/time-entries", json={**new, "date": "2026-03-10"})
        assert response.status_code == 409
        assert "afregnet" in response.json()["detail"]
        assert (
            mentor.patch(f"/api/v1/time-entries/{inside.id}", json={"minutes": 20}).status_code
            == 409
        )
        assert mentor.delete(f"/api/v1/time-entries/{inside.id}").status_code == 409
        # Moving an open entry into the claimed period is refused as well.
        outside = mentor.post("/api/v1/time-entries", json={**new, "date": "2026-04-10"})
        assert outside.status_code == 201
        moved = mentor.patch(
            f"/api/v1/time-entries/{outside.json()['id']}", json={"date": "2026-03-11"}
        )
        assert moved.status_code == 409
        expense = {"mentor_id": world.m1.id, "description": "Kursus", "amount": "100.00"}
        coordinator = api("coordinator")
        assert (
            coordinator.post(
                "/api/v1/training-expenses", json={**expense, "date": "2026-03-01"}
            ).status_code
            == 409
        )
        assert (
            coordinator.post(
                "/api/v1/training-expenses", json={**expense, "date": "2026-04-01"}
            ).status_code
            == 201
        )

    def test_claimed_workbook_never_changes(self, api, db, world):
        claim = self.claim(api).json()
        first = api("finance").get(f"/api/v1/refund-claims/{claim['id']}.xlsx").content
        # Later: time elsewhere, a new rate for m2 reaching back into the period, training.
        new = {"referral_id": world.r_anna.id, "minutes": 50, "category": "citizen_contact"}
        assert (
            api("mentor")
            .post("/api/v1/time-entries", json={**new, "date": "2026-05-05"})
            .status_code
            == 201
        )
        db.add(
            MentorRate(
                mentor_id=world.m2.id, valid_from=date(2026, 1, 1), hourly_rate=Decimal("500.00")
            )
        )
        db.add(
            TrainingExpense(
                mentor_id=world.m2.id,
                date=date(2026, 5, 1),
                description="x",
                amount=Decimal("1.00"),
                created_by=world.m2.user_id,
            )
        )
        db.flush()
        assert report(api).json()["totals"]["refund"] != claim["totals"]["refund"]  # live differs
        again = api("finance").get(f"/api/v1/refund-claims/{claim['id']}.xlsx").content
        assert again == first

    def test_unknown_claim_is_404(self, api, world):
        assert api("finance").get("/api/v1/refund-claims/999999.xlsx").status_code == 404


class TestWorkbook:
    def test_sheets_text_and_numbers(self, api, world):
        response = api("finance").get(f"/api/v1/reports/refund.xlsx?from={Q1[0]}&to={Q1[1]}")
        assert response.status_code == 200
        disposition = response.headers["content-disposition"]
        assert (
            "filename*=UTF-8''refusionsopg%C3%B8relse-2026-01-01-til-2026-03-31.xlsx" in disposition
        )
        wb = openpyxl.load_workbook(io.BytesIO(response.content))
        assert wb.sheetnames == ["Oversigt", "Borgere", "Registreringer"]
        citizens = wb["Borgere"]
        cpr_cells = [row[0] for row in citizens.iter_rows(min_row=2, max_row=4)]
        assert [c.value for c in cpr_cells] == ["0102031234", "1507770000", "2912851111"]
        assert all(c.data_type == "s" for c in cpr_cells)
        name = citizens.cell(row=4, column=2)
        assert name.value == '=HYPERLINK("http://x","y")' and name.data_type == "s"
        cost_col = [c.value for c in citizens[1]].index("Udgift") + 1
        assert citizens.cell(row=2, column=cost_col).value == pytest.approx(5356.85)
        entries = list(wb["Registreringer"].iter_rows(min_row=2, values_only=True))
        assert len(entries) == 9
        notes = [
            c
            for row in wb["Registreringer"].iter_rows(min_row=2)
            for c in row
            if c.value == "=1+1 samtale"
        ]
        assert notes and notes[0].data_type == "s"

    def test_workbook_export_is_audited(self, api, db, world):
        api("coordinator").get(f"/api/v1/reports/refund.xlsx?from={Q1[0]}&to={Q1[1]}")
        export = db.exec(select(AuditEvent).where(AuditEvent.entity == "refund_report")).one()
        assert export.action == "export" and export.purpose == "refund"
