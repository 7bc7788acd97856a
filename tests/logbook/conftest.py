"""Fixtures of the logbook tests: a fixed 'today', the mentor of users['mentor'] and referrals."""

from __future__ import annotations

from datetime import date

import pytest

from service.core import clock
from tests.factories import make_mentor, make_referral

TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def mentor(db, users):
    """The mentor profile of the `mentor` role user (api('mentor') acts as this mentor)."""
    return make_mentor(db, user=users["mentor"])


@pytest.fixture
def referral(db, users, mentor):
    """An active referral of users['caseworker'] assigned to `mentor`, with two sub-goals."""
    return make_referral(
        db, users["caseworker"], mentor=mentor, sub_goals=("Møde stabilt", "Tage bussen")
    )


@pytest.fixture
def other_referral(db, users):
    """An active referral assigned to another mentor."""
    return make_referral(db, users["caseworker"], mentor=make_mentor(db))


def make_claim(db, user, period_from: date, period_to: date):
    """A refund claim locking period_from..period_to."""
    from reports.models import RefundClaim

    claim = RefundClaim(
        period_from=period_from,
        period_to=period_to,
        created_by=user.id,
        workbook=b"",
        sha256="0" * 64,
    )
    db.add(claim)
    db.flush()
    return claim
