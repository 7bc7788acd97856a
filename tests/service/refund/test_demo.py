"""seed-demo's refund data: the default rule, and a claimed month when old demo time exists."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
from sqlmodel import func, select

from logbook.models import TimeEntry
from reports.models import RefundClaim, RefundRuleRecord
from service.core import clock
from service.core.settings import DEFAULT_HOURLY_RATE
from service.demo.refund import seed_refund
from service.demo.seed import seed
from tests.factories import make_referral


def test_seed_adds_the_rule(db, monkeypatch):
    today = date.today()  # the corps' demo referrals are dated from the real today
    monkeypatch.setattr(clock, "today", lambda: today)
    messages: list[str] = []
    seed(db, messages.append)
    rule = db.exec(select(RefundRuleRecord)).one()
    assert rule.valid_from == date(2019, 1, 1) and rule.rate == 1 / 2
    assert "own_transport" not in rule.refundable_categories
    assert len(rule.refundable_categories) == 4
    oldest = db.exec(select(func.min(TimeEntry.date))).one()
    claims = db.exec(select(RefundClaim)).all()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    assert len(claims) == (1 if oldest and oldest < last_month else 0)


def test_a_claim_for_the_oldest_month(db, users, world):
    """With time months back (the refund world), the demo claims the oldest month."""
    make_referral(db, users["caseworker"])  # unrelated, no time
    messages: list[str] = []
    seed_refund(db, users, messages.append, default_rate=DEFAULT_HOURLY_RATE)
    claim = db.exec(select(RefundClaim)).one()
    assert (claim.period_from, claim.period_to) == (date(2026, 1, 1), date(2026, 1, 31))
    wb = openpyxl.load_workbook(io.BytesIO(claim.workbook))
    assert wb["Registreringer"].max_row == 4  # header and January's three entries
    assert any("refusionskrav nr." in m for m in messages)
