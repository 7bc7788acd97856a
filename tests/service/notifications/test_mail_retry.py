"""One bad address or an SMTP outage stops nobody else's mail (issue 11, defect 6).

Against a real SMTP server on loopback (aiosmtpd); the bad address is stored behind the
app's back, as one stored before addresses were checked would be.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from sqlmodel import col, select

from service.auth.models import User
from service.core.clock import utcnow
from service.notifications import mail
from service.notifications.inbox import notify
from service.notifications.models import Notification
from tests.conftest import app_settings, make_user
from tests.service.jobs.conftest import scope  # noqa: F401  (the fixture)
from tests.service.notifications.test_mail import Sink, free_port, smtp  # noqa: F401

BAD = "evil@x.dk\r\nBcc: spy@evil.example"


def bad_user(db, role="coordinator"):
    """A user whose stored address the e-mail library refuses (set behind the app's back)."""
    user = make_user(db, role)
    db.execute(sa.update(User).where(User.id == user.id).values(email=BAD))
    db.expire_all()
    return user


def rows(db, user) -> list[Notification]:
    db.expire_all()
    return list(db.exec(select(Notification).where(Notification.user_id == user.id)))


def age_tries(db, by: timedelta):
    """Move every recorded try back in time (the backoff has passed)."""
    db.expire_all()
    for row in db.exec(select(Notification).where(col(Notification.email_tried_at).is_not(None))):
        row.email_tried_at -= by
        db.add(row)
    db.flush()


def test_bad_address_before_a_good_one_stops_nobody(db, smtp, scope):  # noqa: F811
    sink, settings = smtp
    evil = bad_user(db)
    good = make_user(db, "caseworker")
    assert evil.id < good.id  # the outbox goes by user id: the bad one comes first
    for user in (evil, good):
        notify(db, user_ids=[user.id], kind="k", text="Ny henvisning", dedup_key="x")
    db.flush()

    assert mail.deliver_pending(scope, settings) == 1
    [(to, message)] = sink.messages
    assert to == [good.email] and message["Subject"] == "Mentorkorps: ny notifikation"
    [sent] = rows(db, good)
    assert sent.emailed_at is not None and sent.email_error is None
    [failed] = rows(db, evil)
    assert failed.emailed_at is None  # never marked sent
    assert failed.email_attempts == 1 and failed.email_tried_at is not None
    assert failed.email_error

    assert mail.deliver_pending(scope, settings) == 0  # backoff: not again at once
    assert rows(db, evil)[0].email_attempts == 1
    for attempt in range(2, mail.MAX_ATTEMPTS + 1):
        age_tries(db, timedelta(days=1) / 4)
        assert mail.deliver_pending(scope, settings) == 0
        assert rows(db, evil)[0].email_attempts == attempt
    age_tries(db, timedelta(days=1) / 4)
    mail.deliver_pending(scope, settings)
    [given_up] = rows(db, evil)
    assert given_up.email_attempts == mail.MAX_ATTEMPTS and given_up.emailed_at is None
    assert len(sink.messages) == 1


def test_smtp_outage_marks_nothing_and_the_next_tick_delivers(db, users, scope):  # noqa: F811
    port = free_port()
    settings = app_settings(smtp_host="127.0.0.1", smtp_port=port)  # nobody listens yet
    coordinator, caseworker = users["coordinator"], users["caseworker"]
    for user in (coordinator, caseworker):
        notify(db, user_ids=[user.id], kind="k", text="Besked", dedup_key="x")
    db.flush()

    assert mail.deliver_pending(scope, settings) == 0
    db.expire_all()
    notes = list(db.exec(select(Notification)))
    assert all(n.emailed_at is None and n.email_attempts == 1 and n.email_error for n in notes)

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert mail.deliver_pending(scope, settings) == 0  # still inside the backoff
        age_tries(db, mail.backoff(1))
        assert mail.deliver_pending(scope, settings) == 2
    finally:
        controller.stop()
    assert sorted(to[0] for to, _ in sink.messages) == sorted([coordinator.email, caseworker.email])
    db.expire_all()
    assert all(
        n.emailed_at is not None and n.email_error is None for n in db.exec(select(Notification))
    )


def test_digest_goes_on_past_a_bad_address(db, smtp):  # noqa: F811
    sink, settings = smtp
    evil, good = bad_user(db, "finance"), make_user(db, "finance")
    for user in (evil, good):
        db.execute(sa.update(User).where(User.id == user.id).values(email_digest=True))
        notify(db, user_ids=[user.id], kind="k", text="Besked", dedup_key="d")
    db.flush()
    assert mail.send_digests(db, settings) == "email_digest: 1 oversigter sendt, 1 fejlede"
    assert [to for to, _ in sink.messages] == [[good.email]]
    [failed] = rows(db, evil)
    assert failed.emailed_at is None and failed.email_attempts == 1 and failed.email_error
    assert rows(db, good)[0].emailed_at is not None


@pytest.mark.parametrize("attempts", [1, 2, 3, 4])
def test_backoff_doubles(attempts):
    assert mail.backoff(attempts) == mail.RETRY_AFTER * 2 ** (attempts - 1)


def test_old_failures_stay_unsent(db, smtp, scope):  # noqa: F811
    """A notification older than a day is not mailed, failed before or not."""
    sink, settings = smtp
    user = make_user(db, "mentor")
    db.add(Notification(user_id=user.id, kind="k", text="Gammel", dedup_key="o",
                        created_at=utcnow() - timedelta(days=2), email_attempts=1))  # fmt: skip
    db.flush()
    assert mail.deliver_pending(scope, settings) == 0 and sink.messages == []
