"""Logbook events that notify: observations that need the caseworker."""

from __future__ import annotations

from sqlmodel import select

from service.notifications.models import Notification
from tests.logbook.test_logbook_api import post_entry


def notifications_of(db, user):
    return db.exec(select(Notification).where(Notification.user_id == user.id)).all()


def test_a_health_relapse_notifies_the_caseworker_without_naming_it(api, db, users, referral):
    response = post_entry(api, referral, observations=["health_relapse", "increased_motivation"])
    assert response.status_code == 201
    [note] = notifications_of(db, users["caseworker"])
    assert note.referral_id == referral.id
    assert "tilbagefald" not in note.text.lower()  # announced, never named


def test_ordinary_observations_notify_nobody(api, db, users, referral):
    assert post_entry(api, referral, observations=["increased_motivation"]).status_code == 201
    assert notifications_of(db, users["caseworker"]) == []
