"""E-mail for notifications through SMTP (plain-text Danish), only when SMTP_HOST is set.

Users with `email_digest` get one daily mail (the `email_digest` job); everyone else gets
their new notifications mailed by the scheduler's outbox tick (every few minutes) and after
each job run. Each mail is sent and marked on its own: its rows are claimed (a try counted,
committed) before sending and `emailed_at` is set only once the SMTP server took the mail.
Any failure (a refused address, an outage, a bad stored address) is recorded on the rows
(`email_error`) and retried with backoff, up to MAX_ATTEMPTS tries; it never stops the
mail of the next user. A crash between sending and marking may mail a row twice, never
mark an unsent one. Notifications older than a day are not mailed (no flood when SMTP is
switched on late).
Mails hold the notification texts only: no CPR number (scrubbed again), no health data.
"""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from sqlmodel import Session, col, select

from service.auth.models import User
from service.core.clock import utcnow
from service.core.db import rowcount
from service.core.settings import Settings, get_settings
from service.notifications.inbox import scrub
from service.notifications.models import Notification

log = logging.getLogger(__name__)
FRESH_FOR = timedelta(days=1)
RETRY_AFTER = timedelta(minutes=5)  # doubled after each failed try
MAX_ATTEMPTS = 5
FOOTER = (
    "\n\nLog ind på Mentorkorps for at se dine notifikationer.\n"
    "Denne e-mail er sendt automatisk og kan ikke besvares.\n"
)


def enabled(settings: Settings | None = None) -> bool:
    return bool((settings or get_settings()).smtp_host)


def send_mail(settings: Settings, to: str, subject: str, body: str) -> None:
    """Send one plain-text UTF-8 mail through the configured SMTP server."""
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = scrub(subject)
    message.set_content(scrub(body), charset="utf-8")
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:
        smtp.send_message(message)


def _body(rows: list[Notification]) -> str:
    lines = [f"- {row.text}" for row in rows]
    return "Du har nye notifikationer i Mentorkorps:\n\n" + "\n".join(lines) + FOOTER


def backoff(attempts: int) -> timedelta:
    """How long to wait after the given number of failed tries: 5, 10, 20, 40 minutes."""
    return RETRY_AFTER * 2 ** max(0, attempts - 1)


def _due(row: Notification, now: datetime) -> bool:
    return row.email_tried_at is None or row.email_tried_at <= now - backoff(row.email_attempts)


def _pending(session: Session, *, digest: bool, now: datetime, user_id: int | None = None):
    """Due notifications by user: unsent, unread, fresh, not given up, past their backoff."""
    query = select(Notification, User)
    if user_id is not None:
        query = query.where(col(Notification.user_id) == user_id)
    rows = session.exec(
        query.join(User, col(User.id) == Notification.user_id)
        .where(
            col(Notification.emailed_at).is_(None),
            col(Notification.read_at).is_(None),
            col(Notification.created_at) >= now - FRESH_FOR,
            col(Notification.email_attempts) < MAX_ATTEMPTS,
            col(User.active).is_(True),
            col(User.email_digest).is_(digest),
        )
        .order_by(col(Notification.user_id), col(Notification.created_at), col(Notification.id))
    ).all()
    by_user: dict[int, tuple[User, list[Notification]]] = {}
    grouped: defaultdict[int, list[Notification]] = defaultdict(list)
    for notification, user in rows:
        if _due(notification, now):
            by_user[user.id] = (user, grouped[user.id])
            grouped[user.id].append(notification)
    return list(by_user.values())


def _claim(session: Session, rows: list[Notification], now: datetime) -> list[int]:
    """Count a try on each row not claimed meanwhile by another process; return those ids."""
    claimed = []
    for row in rows:
        statement = (
            sa.update(Notification)
            .where(
                col(Notification.id) == row.id,
                col(Notification.emailed_at).is_(None),
                col(Notification.email_attempts) == row.email_attempts,
            )
            .values(email_attempts=row.email_attempts + 1, email_tried_at=now)
        )
        if rowcount(session.execute(statement)) == 1:
            claimed.append(row.id)
    return claimed


def _mark_sent(session: Session, ids: list[int], now: datetime) -> None:
    session.execute(
        sa.update(Notification)
        .where(col(Notification.id).in_(ids))
        .values(emailed_at=now, email_error=None)
    )


def _mark_failed(session: Session, ids: list[int], error: Exception) -> None:
    text = f"{type(error).__name__}: {error}"[:300]
    session.execute(
        sa.update(Notification).where(col(Notification.id).in_(ids)).values(email_error=text)
    )


def _subject(count: int) -> str:
    return (
        "Mentorkorps: ny notifikation" if count == 1 else f"Mentorkorps: {count} nye notifikationer"
    )


def deliver_pending(
    scope: Callable[[], AbstractContextManager[Session]], settings: Settings | None = None
) -> int:
    """Mail each non-digest user their due notifications (one mail per user); return mails sent.

    Each mail is claimed, sent and marked on its own; a failure of any kind is recorded on
    its rows and retried on a later tick, and the next user's mail goes out regardless.
    """
    settings = settings or get_settings()
    if not settings.smtp_host:
        return 0
    with scope() as session:
        users = [u.id for u, _ in _pending(session, digest=False, now=utcnow())]
    sent = 0
    for user_id in users:
        now = utcnow()
        with scope() as session:  # claim (committed) before sending: one sender per row
            due = _pending(session, digest=False, now=now, user_id=user_id)
            if not due:
                continue
            user, rows = due[0]
            email, ids = user.email, _claim(session, rows, now)
            body = _body([r for r in rows if r.id in ids])
        if not ids:
            continue
        try:
            send_mail(settings, email, _subject(len(ids)), body)
        except Exception as error:  # any failure: record it, go on
            log.warning(
                "e-mail til bruger %s kunne ikke sendes (%s)", user_id, type(error).__name__
            )
            with scope() as session:
                _mark_failed(session, ids, error)
            continue
        with scope() as session:
            _mark_sent(session, ids, now)
        sent += 1
    return sent


def send_digests(session: Session, settings: Settings | None = None) -> str:
    """The daily digest: one mail per digest user with their unread, unmailed notifications."""
    settings = settings or get_settings()
    if not settings.smtp_host:
        return "email_digest: e-mail er ikke sat op (SMTP_HOST); intet sendt"
    now = utcnow()
    sent, failed = 0, 0
    for user, rows in _pending(session, digest=True, now=now):
        ids = [row.id for row in rows]
        subject = f"Mentorkorps: dagens oversigt ({len(rows)} notifikationer)"
        for row in rows:
            row.email_attempts += 1
            row.email_tried_at = now
            session.add(row)
        try:
            send_mail(settings, user.email, subject, _body(rows))
        except Exception as error:  # any failure: record it, go on
            log.warning("e-mail-oversigt til bruger %s kunne ikke sendes", user.id)
            session.flush()
            _mark_failed(session, ids, error)
            failed += 1
            continue
        session.flush()
        _mark_sent(session, ids, now)
        sent += 1
    return f"email_digest: {sent} oversigter sendt" + (f", {failed} fejlede" if failed else "")


def email_digest(session: Session, today: date) -> str:
    """The daily digest as a job (only when SMTP_HOST is set)."""
    return send_digests(session)
