"""E-mail against a real SMTP server on loopback (aiosmtpd): Danish, plain text, no CPR."""

from __future__ import annotations

import socket
from datetime import date, timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

from service.core.clock import utcnow
from service.notifications import mail
from service.notifications.inbox import notify
from service.notifications.models import Notification
from tests.conftest import app_settings
from tests.factories import make_citizen, make_referral
from tests.service.jobs.conftest import scope  # noqa: F401  (the fixture)


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(
            (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=default))
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield sink, app_settings(smtp_host="127.0.0.1", smtp_port=controller.port)
    controller.stop()


def test_new_notifications_are_mailed_once_in_danish_without_cpr(db, users, smtp, scope):  # noqa: F811
    sink, settings = smtp
    caseworker = users["caseworker"]
    citizen = make_citizen(db, name="Anna Hansen")
    referral = make_referral(db, caseworker, citizen=citizen)
    for key, text in (
        ("1", "Henvisning nr. 1 (Anna) er sendt retur til dig."),
        ("2", f"CPR {citizen.cpr}"),
        ("3", f"Ring om {citizen.cpr[:6]}-{citizen.cpr[6:]} før mødet på fredag."),
    ):
        notify(
            db,
            user_ids=[caseworker.id],
            kind="k",
            text=text,
            dedup_key=key,
            referral_id=referral.id,
        )
    db.flush()

    assert mail.deliver_pending(scope, settings) == 1
    assert mail.deliver_pending(scope, settings) == 0
    [(to, message)] = sink.messages
    assert to == [caseworker.email]
    assert message["Subject"] == "Mentorkorps: 3 nye notifikationer"
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    body = message.get_content()
    assert "Du har nye notifikationer i Mentorkorps" in body and "sendt retur til dig" in body
    assert "Log ind på Mentorkorps" in body and "før mødet på fredag" in body  # æøå intact
    assert body.count("[skjult]") == 2
    raw = message.as_string()
    for cpr in (citizen.cpr, f"{citizen.cpr[:6]}-{citizen.cpr[6:]}"):
        assert cpr not in body and cpr not in raw
    db.expire_all()
    assert all(n.emailed_at is not None for n in db.query(Notification).all())


def test_digest_users_get_one_daily_mail(db, users, smtp):
    sink, settings = smtp
    finance = users["finance"]
    finance.email_digest = True
    db.add(finance)
    for key in ("a", "b", "c"):
        notify(db, user_ids=[finance.id], kind="k", text=f"Besked {key}", dedup_key=key)
    assert mail.send_digests(db, settings) == "email_digest: 1 oversigter sendt"
    assert mail.send_digests(db, settings) == "email_digest: 0 oversigter sendt"
    [(to, message)] = sink.messages
    assert to == [finance.email] and "dagens oversigt (3 notifikationer)" in message["Subject"]
    assert mail.send_digests(db, app_settings()).startswith("email_digest: e-mail er ikke sat op")


def test_smtp_refusal_releases_the_claim_and_old_notifications_are_not_mailed(db, users, scope):  # noqa: F811
    settings = app_settings(smtp_host="127.0.0.1", smtp_port=free_port())  # nobody listens
    coordinator = users["coordinator"]
    notify(db, user_ids=[coordinator.id], kind="k", text="Ny", dedup_key="new")
    db.add(Notification(user_id=coordinator.id, kind="k", text="Gammel", dedup_key="old",
                        created_at=utcnow() - timedelta(days=3)))  # fmt: skip
    db.flush()
    assert mail.deliver_pending(scope, settings) == 0
    db.expire_all()
    assert all(n.emailed_at is None for n in db.query(Notification).all())


def test_mail_is_off_without_smtp_host(scope):  # noqa: F811
    assert mail.deliver_pending(scope, app_settings()) == 0
    assert not mail.enabled(app_settings())


def test_a_job_run_mails_its_notifications_once(db, users, smtp, scope, monkeypatch):  # noqa: F811
    from service.jobs import runner
    from tests.service.jobs.conftest import utc

    sink, settings = smtp
    monkeypatch.setattr(mail, "get_settings", lambda: settings)
    citizen = make_citizen(db, name="Mette Frederiksen Holm")
    make_referral(db, users["caseworker"], citizen=citizen, submitted_at=utc(2026, 3, 2, 9))
    for _ in range(2):  # a rerun notifies nobody, so it mails nobody
        runner.run_job("unmatched_referrals", date(2026, 4, 10), scope=scope)
    [(to, message)] = sink.messages
    assert to == [users["coordinator"].email]
    assert message["Subject"] == "Mentorkorps: ny notifikation"
    body = message.get_content()
    assert "(Mette) har ventet på en mentor i 26 arbejdsdage." in body
    assert citizen.cpr not in body and "Holm" not in body
