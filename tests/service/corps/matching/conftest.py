"""Fixtures of the matching service tests: a fixed 'today' and a small corps."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from service.core import clock
from tests.factories import make_mentor, make_referral

TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


def accepted(db, users, **fields):
    """An accepted referral of users['caseworker'] without a mentor."""
    return make_referral(db, users["caseworker"], status="accepted", **fields)


def mentor(db, **fields):
    """A mentor who fits the default referral (Danish, social anxiety, Aarhus C)."""
    return make_mentor(db, **fields)


def busy(db, users, who, count=1, hours=Decimal("3.00")):
    """Give the mentor `count` active referrals of `hours` each."""
    for _ in range(count):
        make_referral(db, users["caseworker"], mentor=who, granted_hours_per_week=hours)
